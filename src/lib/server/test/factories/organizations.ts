import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import { organization, organizationMember, type OrganizationKind } from '../../organizations/schema.ts';

export interface TestOrganization {
	id: number;
	slug: string;
	name: { sv: string; en: string };
	country: string;
}

/**
 * An organization of its own for a test: by default a district abroad (Botswana) with a point on
 * the map; `country: 'SE'` makes a Swedish one (in no county unless given one, so counts of the
 * reference municipalities stay as they are). Each call makes a new one with a unique address.
 * `members` are user ids who work for it, `admins` those who also administer it.
 */
export async function anOrganization(
	db: Database,
	options: {
		name?: string;
		country?: string;
		kind?: OrganizationKind;
		county?: string | null;
		lat?: number | null;
		lon?: number | null;
		members?: string[];
		/** Members who administer it. */
		admins?: string[];
	} = {}
): Promise<TestOrganization> {
	const tag = randomUUID().slice(0, 8);
	const country = options.country ?? 'BW';
	const name = options.name ?? `${country === 'SE' ? 'Testkommun' : 'Test District'} ${tag}`;
	const slug = `test-org-${tag}`;
	const [row] = await db
		.insert(organization)
		.values({
			slug,
			kind: options.kind ?? (country === 'SE' ? 'municipality' : 'district'),
			name: { sv: name, en: name },
			country,
			county: options.county ?? null,
			lat: options.lat === undefined ? -21.7 : options.lat,
			lon: options.lon === undefined ? 21.65 : options.lon
		})
		.returning({ id: organization.id });
	const people = [
		...(options.members ?? []).map((userId) => ({ organizationId: row!.id, userId })),
		...(options.admins ?? []).map((userId) => ({ organizationId: row!.id, userId, admin: true }))
	];
	if (people.length) await db.insert(organizationMember).values(people);
	return { id: row!.id, slug, name: { sv: name, en: name }, country };
}

/** A reference organization (a Swedish municipality or region) by its address: "ale-kommun". */
export async function referenceOrganization(db: Database, slug: string): Promise<TestOrganization> {
	const [row] = await db.select().from(organization).where(eq(organization.slug, slug));
	if (!row) throw new Error(`No reference organization ${slug}`);
	return {
		id: row.id,
		slug: row.slug,
		name: { sv: row.name.sv ?? '', en: row.name.en ?? '' },
		country: row.country
	};
}
