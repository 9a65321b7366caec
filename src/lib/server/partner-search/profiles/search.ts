import { and, asc, desc, eq, or, sql } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import { nearness, startsWord, wordPlaceholders, wordValues, type Found } from '../../kernel/fold.ts';
import { builtOnce } from '../../kernel/sql.ts';
import { pick } from '../../kernel/localized.ts';
import { organization } from '../../organizations/schema.ts';
import { countryName, type Locale } from '#lib/i18n/index.ts';
import { partnerProfile } from '../schema.ts';
import { shown, type ShownText } from '../names.ts';
import { visible } from './queries.ts';

export interface ProfileHit {
	id: number;
	organization: string;
	countryName: string;
	offer: ShownText;
}

const matching = builtOnce((db: Database, count: number) => {
	const p = partnerProfile;
	const words = wordPlaceholders(count);
	const match = and(...words.each.map((w) => or(startsWord(organization.words, w), startsWord(p.words, w))));
	return db
		.select({
			id: p.id,
			name: organization.name,
			country: organization.country,
			offer: p.offer,
			total: sql<number>`(count(*) over ())::int`
		})
		.from(p)
		.innerJoin(organization, eq(organization.id, p.organizationId))
		.where(and(visible, match))
		.orderBy(desc(nearness(organization.folded, words.all)), asc(organization.folded))
		.limit(sql.placeholder('limit'))
		.offset(sql.placeholder('offset'))
		.prepare('');
});

/**
 * Listed profiles by their organization's name and what they offer and seek (both languages,
 * without accents): each word begins a word of either.
 */
export async function searchProfiles(
	db: Database,
	locale: Locale,
	words: string[],
	{ page, perPage }: { page: number; perPage: number }
): Promise<Found<ProfileHit>> {
	if (!words.length) return { total: 0, hits: [] };
	const rows = await matching(db, words.length).execute({
		...wordValues(words),
		limit: perPage,
		offset: (page - 1) * perPage
	});
	return {
		total: rows[0]?.total ?? 0,
		hits: rows.map((r) => ({
			id: r.id,
			organization: pick(r.name, locale),
			countryName: countryName(locale, r.country),
			offer: shown(r.offer, locale)
		}))
	};
}
