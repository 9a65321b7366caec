import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import type { LocalizedText } from '../../kernel/localized.ts';
import type { Locale } from '#lib/i18n/index.ts';
import type { Role } from '#lib/roles.ts';
import { user } from '../../accounts/schema.ts';
import { organization, organizationMember } from '../../organizations/schema.ts';
import { partnerProfile } from '../../partner-search/schema.ts';
import { expiryFrom } from '../../partner-search/profiles/commands.ts';
import { anActor, type TestActor } from '../actors.ts';

/** An organization on the platform and the people who work for it. */
export interface StaffedOrganization {
	id: number;
	slug: string;
	name: LocalizedText;
	country: string;
	staff: TestActor[];
}

/**
 * Makes an organization with staff (one reader unless told): `await anOrganizationWithStaff(db,
 * { name: { sv: 'Hörby kommun', en: 'Hörby Municipality' }, country: 'SE' })`. Each call makes a new
 * organization and new people; `locale` is the staff's account language (accounts start in Swedish).
 */
export async function anOrganizationWithStaff(
	db: Database,
	options: {
		name?: LocalizedText;
		country?: string;
		staff?: number;
		role?: Role;
		locale?: Locale;
	} = {}
): Promise<StaffedOrganization> {
	const slug = `org-${randomUUID().slice(0, 8)}`;
	const name = options.name ?? { sv: `Organisation ${slug}`, en: `Organization ${slug}` };
	const country = options.country ?? 'SE';
	const [row] = await db
		.insert(organization)
		.values({ slug, kind: 'municipality', name, country })
		.returning({ id: organization.id });
	const staff: TestActor[] = [];
	for (let i = 0; i < (options.staff ?? 1); i++) {
		const person = await anActor(db, options.role ?? 'reader');
		if (options.locale) await db.update(user).set({ locale: options.locale }).where(eq(user.id, person.id));
		await db.insert(organizationMember).values({ organizationId: row!.id, userId: person.id });
		staff.push(person);
	}
	return { id: row!.id, slug, name, country, staff };
}

/** Makes a person staff of one more organization. */
export async function employ(db: Database, person: TestActor, organizationId: number): Promise<void> {
	await db.insert(organizationMember).values({ organizationId, userId: person.id });
}

/** What a profile says: themes, goals, targets, places, languages, texts and its contact. */
export interface ProfileFacts {
	themes: string[];
	goals: number[];
	targets: string[];
	regions: string[];
	languages: string[];
	offer: LocalizedText;
	seek: LocalizedText;
	contactName: string;
	contactEmail: string;
	contactUserId: string | null;
}

/**
 * Puts a listed profile straight into the database (for tests that read profiles; tests of
 * saving go through `saveProfile`). Its contact is the organization's first staff member unless told.
 */
export async function aProfile(
	db: Database,
	of: StaffedOrganization,
	facts: Partial<ProfileFacts> = {}
): Promise<number> {
	const now = new Date();
	const contact = of.staff[0];
	const [row] = await db
		.insert(partnerProfile)
		.values({
			organizationId: of.id,
			themes: ['participation'],
			goals: [],
			targets: [],
			regions: [],
			languages: ['sv'],
			offer: { sv: 'Vi erbjuder erfarenhet av medborgardialog.' },
			seek: { sv: 'Vi söker en partner att lära av.' },
			contactName: contact?.name ?? 'Kontakt',
			contactEmail: contact?.email ?? `kontakt-${of.slug}@example.se`,
			contactUserId: contact?.id ?? null,
			renewedAt: now,
			expiresAt: expiryFrom(now),
			...facts
		})
		.returning({ id: partnerProfile.id });
	return row!.id;
}

/** The profile form as a browser sends it (lists as lists), for `saveProfile`; change what a test needs. */
export function aProfileForm(
	organizationId: number,
	over: Record<string, unknown> = {}
): Record<string, unknown> {
	return {
		organization: String(organizationId),
		themes: ['participation', 'transparency'],
		goals: ['16'],
		targets: '16.7, 16.6',
		regions: ['europe', 'XK'],
		languages: ['sv', 'en', 'sq'],
		offerSv: 'Vi har lång erfarenhet av medborgardialog och öppna nämndmöten.',
		offerEn: 'We have long experience of citizen dialogue and open council meetings.',
		seekSv: 'En kommun på Balkan som vill arbeta med insyn.',
		seekEn: '',
		contactName: 'Hanna Hörbysson',
		contactEmail: 'hanna@horby.example',
		...over
	};
}
