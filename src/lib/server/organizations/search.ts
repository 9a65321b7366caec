import { asc, desc, sql } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { nearness, startsWords, wordPlaceholders, wordValues, type Found } from '../kernel/fold.ts';
import { builtOnce } from '../kernel/sql.ts';
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

const matching = builtOnce((db: Database, count: number) => {
	const words = wordPlaceholders(count);
	return db
		.select({
			slug: organization.slug,
			name: organization.name,
			kind: organization.kind,
			country: organization.country,
			total: sql<number>`(count(*) over ())::int`
		})
		.from(organization)
		.where(startsWords(organization.words, words.each))
		.orderBy(desc(nearness(organization.folded, words.all)), asc(organization.folded))
		.limit(sql.placeholder('limit'))
		.offset(sql.placeholder('offset'))
		.prepare('');
});

/** Organizations whose name (either language, without accents) the words begin; nearest first. */
export async function searchOrganizations(
	db: Database,
	locale: Locale,
	words: string[],
	{ page, perPage }: { page: number; perPage: number }
): Promise<Found<OrganizationHit>> {
	if (!words.length) return { total: 0, hits: [] };
	const rows = await matching(db, words.length).execute({
		...wordValues(words),
		limit: perPage,
		offset: (page - 1) * perPage
	});
	return {
		total: rows[0]?.total ?? 0,
		hits: rows.map(({ total: _total, name, ...r }) => ({
			...r,
			name: pick(name, locale),
			countryName: countryName(locale, r.country)
		}))
	};
}
