import { and, asc, count, desc, eq, inArray, max, ne, sql } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { pick } from '../../kernel/localized.ts';
import { authorizeOn, type Actor } from '../../kernel/policy.ts';
import { organization } from '../../organizations/schema.ts';
import { censusEntry, dialogueSpace, residentVerification, type VerificationMethod } from '../schema.ts';
import { dialoguePolicy } from '../policy.ts';
import { residentOrganizations } from '../participation.ts';
import { ownerActors } from '../spaces/queries.ts';

// Reads of resident verification: what the verify page offers and shows, and a census list's
// state for those who upload it.

export interface OrganizationChoice {
	id: number;
	slug: string;
	name: string;
}

/** The organizations with a census list, by name. */
export async function censusOrganizations(db: Database, locale: string): Promise<OrganizationChoice[]> {
	const rows = await db
		.select({ id: organization.id, slug: organization.slug, name: organization.name })
		.from(organization)
		.where(
			sql`exists (select 1 from ${censusEntry} where ${censusEntry.organizationId} = ${organization.id})`
		);
	return rows
		.map((r) => ({ ...r, name: pick(r.name, locale) }))
		.sort((a, b) => a.name.localeCompare(b.name, locale));
}

/** The dialogue a participant came from and whose residents it admits (404 for a draft). */
export async function spaceResidency(db: Database, slug: string, locale: string) {
	const [space] = await db
		.select({ id: dialogueSpace.id, slug: dialogueSpace.slug, title: dialogueSpace.title })
		.from(dialogueSpace)
		.where(and(eq(dialogueSpace.slug, slug), ne(dialogueSpace.status, 'draft')));
	if (!space) throw new NotFoundError('Dialogue space');
	const organizations = await db
		.select({ id: organization.id, slug: organization.slug, name: organization.name })
		.from(organization)
		.where(sql`${organization.id} in ${residentOrganizations(space.id)}`)
		.orderBy(asc(organization.slug));
	return {
		slug: space.slug,
		title: pick(space.title, locale),
		organizations: organizations.map((o) => ({ ...o, name: pick(o.name, locale) }))
	};
}

export interface Verified {
	organizationId: number;
	organization: string;
	method: VerificationMethod;
	verifiedAt: Date;
}

/** Where the participant is a verified resident. */
export async function verificationsOf(db: Database, userId: string, locale: string): Promise<Verified[]> {
	const rows = await db
		.select({
			organizationId: organization.id,
			name: organization.name,
			method: residentVerification.method,
			verifiedAt: residentVerification.verifiedAt
		})
		.from(residentVerification)
		.innerJoin(organization, eq(organization.id, residentVerification.organizationId))
		.where(eq(residentVerification.userId, userId))
		.orderBy(desc(residentVerification.verifiedAt));
	return rows.map((r) => ({
		organizationId: r.organizationId,
		organization: pick(r.name, locale),
		method: r.method,
		verifiedAt: r.verifiedAt
	}));
}

/** Organization names by id (the page naming where one was just verified). */
export async function organizationNames(db: Database, ids: number[], locale: string): Promise<string[]> {
	if (!ids.length) return [];
	const rows = await db
		.select({ name: organization.name })
		.from(organization)
		.where(inArray(organization.id, ids));
	return rows.map((r) => pick(r.name, locale));
}

/** A census list's state, for one who may upload it (403 for anyone else). */
export async function censusStatus(db: Database, actor: Actor, slug: string, locale: string) {
	const [org] = await db
		.select({ id: organization.id, slug: organization.slug, name: organization.name })
		.from(organization)
		.where(eq(organization.slug, slug));
	if (!org) throw new NotFoundError('Organization');
	await authorizeOn(actor, dialoguePolicy.runSpace, await ownerActors(db, { organizationId: org.id }));
	const [list] = await db
		.select({ count: count(), uploadedAt: max(censusEntry.uploadedAt) })
		.from(censusEntry)
		.where(eq(censusEntry.organizationId, org.id));
	return {
		slug: org.slug,
		name: pick(org.name, locale),
		count: list?.count ?? 0,
		uploadedAt: list?.uploadedAt ?? null
	};
}
