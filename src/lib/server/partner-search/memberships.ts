import { eq } from 'drizzle-orm';
import type { Database, Transaction } from '../kernel/database.ts';
import { pick, type LocalizedText } from '../kernel/localized.ts';
import { organization, organizationMember } from '../organizations/schema.ts';
import type { Locale } from '#lib/i18n/index.ts';
import type { StaffedOrganization } from './policy.ts';

// Who works for which organization on the platform (organization_member): they post its profile
// and write to others on its behalf.

/** An organization a person works for, named in the reader's language. */
export interface Membership {
	id: number;
	slug: string;
	name: string;
	country: string;
}

/** The organizations a user works for, with their names in every language. */
export async function membershipRows(
	db: Database | Transaction,
	userId: string
): Promise<{ id: number; slug: string; name: LocalizedText; country: string }[]> {
	return db
		.select({
			id: organization.id,
			slug: organization.slug,
			name: organization.name,
			country: organization.country
		})
		.from(organizationMember)
		.innerJoin(organization, eq(organization.id, organizationMember.organizationId))
		.where(eq(organizationMember.userId, userId));
}

/** The organizations a user works for on the platform, by name. */
export async function membershipsOf(
	db: Database | Transaction,
	userId: string,
	locale: Locale
): Promise<Membership[]> {
	return (await membershipRows(db, userId))
		.map((o) => ({ ...o, name: pick(o.name, locale) }))
		.sort((a, b) => a.name.localeCompare(b.name, locale));
}

/** An organization and its staff (the policy's subject for `editProfile`), or null. */
export async function staffedOrganization(
	db: Database | Transaction,
	organizationId: number
): Promise<(StaffedOrganization & { id: number }) | null> {
	const found = await db
		.select({ id: organization.id, member: organizationMember.userId })
		.from(organization)
		.leftJoin(organizationMember, eq(organizationMember.organizationId, organization.id))
		.where(eq(organization.id, organizationId));
	if (!found.length) return null;
	return { id: organizationId, staff: found.flatMap((r) => (r.member ? [r.member] : [])) };
}
