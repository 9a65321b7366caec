import type { Database } from '../../kernel/database.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { reads } from '../../kernel/sql.ts';
import { pick } from '../../kernel/localized.ts';
import { authorize, can, type Actor } from '../../kernel/policy.ts';
import { buckets, lights } from '../dashboard/queries.ts';
import { analysisPolicy } from './policy.ts';
import { analysisYear, field, quoteKey } from './input.ts';
import {
	analysisSnapshot,
	candidates,
	partnershipNames,
	publishedVersion,
	publishedYears,
	reportYears,
	versions
} from './queries.ts';
import type { AnalysisSnapshot, SnapshotBucket } from './snapshot.ts';
import { locales } from '#lib/i18n/locales.ts';

// What the analysis pages show: a snapshot (published, or the draft built now) with its texts in
// the reader's language, the year's versions, and the editors' form of quotable texts.

// The snapshot's buckets are the dashboard's: this fails the type check if they part ways.
const sameBuckets: readonly SnapshotBucket[] = buckets;

export type AnalysisPage = ReturnType<typeof inLanguage>;

/** A snapshot with its texts picked for the reader, figures in the dashboard's order. */
export function inLanguage(s: AnalysisSnapshot, locale: string) {
	return {
		year: s.year,
		partnerships: s.partnerships,
		principles: s.principles.map((p) => ({
			...p,
			name: pick(p.name, locale),
			quotes: p.quotes.map((q) => ({
				partnership: pick(q.partnership, locale),
				slug: q.slug,
				text: pick(q.text, locale),
				score: q.score
			}))
		})),
		buckets: sameBuckets.map((key) => ({ key, count: s.buckets[key] ?? 0 })),
		indicators: sameBuckets.reduce((n, key) => n + (s.buckets[key] ?? 0), 0),
		lights: lights.map((key) => ({ key, count: s.lights[key] ?? 0 }))
	};
}

/** A published version (the latest without a number): 404 when there is none. */
export async function publishedView(
	db: Database,
	actor: Actor,
	locale: string,
	year: number,
	version?: number
) {
	const found = await publishedVersion(db, analysisYear(year), version);
	if (!found) throw new NotFoundError('analysis');
	return {
		page: inLanguage(found.snapshot, locale),
		version: found.version,
		publishedAt: found.publishedAt.toISOString(),
		versions: await publishedList(db, year),
		canEdit: can(actor, analysisPolicy.editAnalysis)
	};
}

/** The draft: the page as publishing would freeze it now (editors only). */
export async function draftView(db: Database, actor: Actor, locale: string, year: number) {
	authorize(actor, analysisPolicy.editAnalysis);
	return {
		page: inLanguage(await analysisSnapshot(db, analysisYear(year)), locale),
		versions: await publishedList(db, year)
	};
}

/** The editors' form: every quotable text of the year with its checkbox and excerpt fields. */
export async function quoteFormView(db: Database, actor: Actor, locale: string, year: number) {
	authorize(actor, analysisPolicy.editAnalysis);
	const texts = await candidates(db, analysisYear(year));
	const [names, published] = await reads(
		db,
		() =>
			partnershipNames(
				db,
				texts.map((t) => t.partnershipId)
			),
		() => publishedList(db, year)
	);
	const snapshot = await analysisSnapshot(db, year);
	return {
		year,
		approvedReports: snapshot.partnerships.approvedReports,
		versions: published,
		principles: snapshot.principles.map((p) => ({
			key: p.key,
			name: pick(p.name, locale),
			texts: texts
				.filter((t) => t.principle === p.key)
				.map((t) => {
					const key = quoteKey(t.reportId, t.principle);
					return {
						key,
						partnership: pick(names.get(t.partnershipId), locale),
						score: t.score,
						chosen: t.chosen,
						/** The text and its excerpt field in each language. */
						languages: locales.map((l) => ({
							lang: l,
							text: t.text[l] ?? '',
							name: field.excerpt(key, l),
							excerpt: t.excerpt[l] ?? ''
						}))
					};
				})
		}))
	};
}

/** The year's versions, latest first, their dates as ISO text for the page. */
async function publishedList(db: Database, year: number) {
	return (await versions(db, year)).map((v) => ({
		version: v.version,
		publishedAt: v.publishedAt.toISOString()
	}));
}

/** The years with a published analysis; editors also see the years they could work on. */
export async function analysisIndexView(db: Database, actor: Actor) {
	const canEdit = can(actor, analysisPolicy.editAnalysis);
	return {
		years: (await publishedYears(db)).map((y) => ({ ...y, publishedAt: y.publishedAt.toISOString() })),
		canEdit,
		workYears: canEdit ? await reportYears(db) : []
	};
}
