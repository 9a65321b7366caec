import { asc, desc, sql } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { nearness, startsWords, type Found } from '../kernel/fold.ts';
import { pick } from '../kernel/localized.ts';
import { organization, type OrganizationKind } from './schema.ts';
import { countryName, type Locale } from '#lib/i18n/index.ts';

export interface OrganizationHit {
	slug: string;
	name: string;
	kind: OrganizationKind;
	country: string;
	countryName: string;
}

/** Organizations whose name (either language, without accents) the words begin; nearest first. */
export async function searchOrganizations(
	db: Database,
	locale: Locale,
	words: string[],
	{ page, perPage }: { page: number; perPage: number }
): Promise<Found<OrganizationHit>> {
	if (!words.length) return { total: 0, hits: [] };
	const rows = await db
		.select({
			slug: organization.slug,
			name: organization.name,
			kind: organization.kind,
			country: organization.country,
			total: sql<number>`(count(*) over ())::int`
		})
		.from(organization)
		.where(startsWords(organization.words, words))
		.orderBy(desc(nearness(organization.folded, words)), asc(organization.folded))
		.limit(perPage)
		.offset((page - 1) * perPage);
	return {
		total: rows[0]?.total ?? 0,
		hits: rows.map(({ total: _total, name, ...r }) => ({
			...r,
			name: pick(name, locale),
			countryName: countryName(locale, r.country)
		}))
	};
}
