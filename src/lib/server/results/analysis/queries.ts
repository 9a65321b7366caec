import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import type { LocalizedText } from '../../kernel/localized.ts';
import { organization } from '../../organizations/schema.ts';
import { partnership, partnershipMember } from '../../partnerships/schema.ts';
import { theme } from '../../taxonomy/schema.ts';
import { annualReport, reportPrinciple } from '../reports/schema.ts';
import { dashboardFigures } from '../dashboard/queries.ts';
import { locales } from '#lib/i18n/locales.ts';
import { analysisQuote, analysisVersion } from './schema.ts';
import type { AnalysisSnapshot, SnapshotQuote } from './snapshot.ts';

// Reads of the yearly analysis: the texts editors may quote, the quotes chosen, the published
// versions, and the snapshot of everything the page shows, built from the live data.

type Db = Database | Transaction;

/** An approved report's principle text for the year, with whether (and how) it is quoted. */
export interface Candidate {
	reportId: number;
	principle: string;
	partnershipId: number;
	slug: string;
	score: number | null;
	text: LocalizedText;
	chosen: boolean;
	excerpt: LocalizedText;
	position: number | null;
}

/** Every principle text of the year's approved reports (those with any text), in the principles' order. */
export async function candidates(db: Db, year: number): Promise<Candidate[]> {
	const rows = await db
		.select({
			reportId: reportPrinciple.reportId,
			principle: reportPrinciple.principle,
			partnershipId: annualReport.partnershipId,
			slug: partnership.slug,
			score: reportPrinciple.score,
			text: reportPrinciple.text,
			excerpt: analysisQuote.excerpt,
			position: analysisQuote.position
		})
		.from(reportPrinciple)
		.innerJoin(annualReport, eq(annualReport.id, reportPrinciple.reportId))
		.innerJoin(partnership, eq(partnership.id, annualReport.partnershipId))
		.innerJoin(theme, eq(theme.key, reportPrinciple.principle))
		.leftJoin(
			analysisQuote,
			and(
				eq(analysisQuote.year, annualReport.year),
				eq(analysisQuote.reportId, reportPrinciple.reportId),
				eq(analysisQuote.principle, reportPrinciple.principle)
			)
		)
		.where(
			and(
				eq(annualReport.year, year),
				eq(annualReport.status, 'approved'),
				sql`${reportPrinciple.text} <> '{}'::jsonb`
			)
		)
		.orderBy(asc(theme.position), asc(theme.key), asc(partnership.slug));
	return rows.map((r) => ({
		...r,
		chosen: r.position !== null,
		excerpt: r.excerpt ?? {}
	}));
}

/** The partnerships' names per language: the Swedish side first, as their own pages name them. */
export async function partnershipNames(db: Db, ids: number[]): Promise<Map<number, LocalizedText>> {
	if (ids.length === 0) return new Map();
	const rows = await db
		.select({ id: partnershipMember.partnershipId, name: organization.name, side: partnershipMember.role })
		.from(partnershipMember)
		.innerJoin(organization, eq(organization.id, partnershipMember.organizationId))
		.where(inArray(partnershipMember.partnershipId, [...new Set(ids)]))
		.orderBy(asc(partnershipMember.partnershipId), asc(organization.id));
	const names = new Map<number, LocalizedText>();
	for (const id of new Set(ids)) {
		const orgs = rows
			.filter((r) => r.id === id)
			.sort((a, b) => Number(a.side !== 'swedish') - Number(b.side !== 'swedish'));
		names.set(
			id,
			Object.fromEntries(locales.map((l) => [l, orgs.map((o) => o.name[l] ?? o.name.sv ?? '').join(' – ')]))
		);
	}
	return names;
}

/** Everything the year's page shows, built now from the live data (the draft, and what publishing freezes). */
export async function analysisSnapshot(db: Db, year: number, today = new Date()): Promise<AnalysisSnapshot> {
	const principles = await db
		.select({ key: theme.key, name: theme.name })
		.from(theme)
		.where(eq(theme.kind, 'principle'))
		.orderBy(asc(theme.position), asc(theme.key));
	// One after the other: inside the publishing transaction they share one connection.
	const figures = await dashboardFigures(
		db,
		{ year },
		principles.map((p) => p.key),
		today
	);
	const texts = await candidates(db, year);
	const chosen = texts.filter((c) => c.chosen).sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
	const names = await partnershipNames(
		db,
		chosen.map((c) => c.partnershipId)
	);
	const quoteOf = (c: Candidate): SnapshotQuote => ({
		partnership: names.get(c.partnershipId) ?? {},
		slug: c.slug,
		// The excerpt where one was chosen for the language, else the whole text.
		text: { ...c.text, ...c.excerpt },
		score: c.score
	});
	return {
		year,
		partnerships: figures.partnerships,
		principles: principles.map((p) => {
			const s = figures.scores.find((x) => x.principle === p.key);
			const m = figures.progress.mean.find((x) => x.principle === p.key);
			return {
				key: p.key,
				name: p.name,
				counts: s?.counts ?? [0, 0, 0, 0, 0],
				total: s?.total ?? 0,
				mean: s?.mean ?? null,
				progress: m?.mean == null ? null : Math.round(m.mean * 100),
				indicators: m?.counted ?? 0,
				quotes: chosen.filter((c) => c.principle === p.key).map(quoteOf)
			};
		}),
		buckets: figures.progress.buckets,
		lights: figures.lights
	};
}

/** The year's published versions, latest first (without their snapshots). */
export async function versions(db: Db, year: number) {
	return db
		.select({ version: analysisVersion.version, publishedAt: analysisVersion.publishedAt })
		.from(analysisVersion)
		.where(eq(analysisVersion.year, year))
		.orderBy(desc(analysisVersion.version));
}

/** One published version with its snapshot (the latest when no number is given), or none. */
export async function publishedVersion(db: Db, year: number, version?: number) {
	const [row] = await db
		.select({
			version: analysisVersion.version,
			publishedAt: analysisVersion.publishedAt,
			snapshot: analysisVersion.snapshot
		})
		.from(analysisVersion)
		.where(and(eq(analysisVersion.year, year), version ? eq(analysisVersion.version, version) : undefined))
		.orderBy(desc(analysisVersion.version))
		.limit(1);
	return row;
}

/** The years with a published analysis, latest first, with their latest version. */
export async function publishedYears(db: Db) {
	return db
		.select({
			year: analysisVersion.year,
			version: sql<number>`max(${analysisVersion.version})`.mapWith(Number),
			publishedAt: sql<Date>`max(${analysisVersion.publishedAt})`.mapWith((v) => new Date(v))
		})
		.from(analysisVersion)
		.groupBy(analysisVersion.year)
		.orderBy(desc(analysisVersion.year));
}

/** The years with an approved report, latest first (the years an analysis can be made of). */
export async function reportYears(db: Db): Promise<number[]> {
	const rows = await db
		.selectDistinct({ year: annualReport.year })
		.from(annualReport)
		.where(eq(annualReport.status, 'approved'))
		.orderBy(desc(annualReport.year));
	return rows.map((r) => r.year);
}
