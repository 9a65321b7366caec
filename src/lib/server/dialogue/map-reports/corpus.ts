import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import { runSystemChange } from '../../kernel/write.ts';
import { dialogueSpace } from '../spaces/schema.ts';
import type { ReportPrecision, ReportStatus } from '../../../dialogue-values.ts';
import { mapReport, mapReportCategory, mapReportEvent, mapReportSetup } from './schema.ts';
import { gridCentre, nearestDistrict } from './place.ts';

// Synthetic reports for the bench (never the demo): `count` reports in an existing space that takes
// reports, written in bulk straight to the tables, so that the public map, its list and its
// downloads can be measured at a city's size. The same seed gives the same reports on every run.

const day = 86_400_000;
const hour = 3_600_000;

/** Rows per insert: 17 parameters a report stays well under PostgreSQL's 65,535 per statement. */
const batchSize = 3000;

/** A small seeded generator (mulberry32), as the other corpora use. */
function random(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const pick = <T>(items: readonly T[], r: number) => items[Math.floor(r * items.length) % items.length]!;

const texts: { text: string; language: string }[] = [
	{
		text: 'Water has stood in the ditch along the lane for over a week since the last rain.',
		language: 'en'
	},
	{ text: 'Genangan air di depan gang tidak surut sejak hujan.', language: 'id' },
	{ text: 'Many larvae in the open water drums behind the stalls.', language: 'en' },
	{ text: 'Sampah menumpuk di tepi sungai setelah pasar malam.', language: 'id' },
	{ text: 'The storm drain at the crossing is blocked and the street floods.', language: 'en' }
];

const notes = [
	'Checked by the district team: the report is correct.',
	'The sanitation team will clear the place this week.',
	'The place has been cleared and checked again after five days.'
];

/**
 * As a team works: a report of the last few days is mostly waiting for review, an older one mostly
 * resolved; a few are refused, and a few old ones were never answered (a backlog is real).
 */
function statusFor(ageDays: number, r: number): ReportStatus {
	if (ageDays < 3) return r < 0.7 ? 'new' : 'verified';
	if (ageDays < 20) return pick(['new', 'verified', 'in-progress', 'in-progress', 'resolved'] as const, r);
	if (r < 0.03) return 'new';
	if (r < 0.06) return 'rejected';
	if (r < 0.14) return 'verified';
	if (r < 0.24) return 'in-progress';
	return 'resolved';
}

/** The first step a team member takes towards the status (what `firstAnsweredAt` records). */
const firstStep = (status: Exclude<ReportStatus, 'new'>): Exclude<ReportStatus, 'new'> =>
	status === 'resolved' ? 'verified' : status;

/**
 * Adds `count` reports to the space `spaceSlug` (which must take reports and have categories):
 * points spread evenly over its map's box, which gives the most distinct public points and so the
 * heaviest public map; written over the last two years. Each has its public history: 'new' when
 * written, its first answer, and its resolution where it is resolved. Returns how many were added.
 */
export async function addSyntheticReports(db: Database, spaceSlug: string, count: number): Promise<number> {
	const [space] = await db
		.select({ id: dialogueSpace.id, setup: mapReportSetup })
		.from(dialogueSpace)
		.innerJoin(mapReportSetup, eq(mapReportSetup.spaceId, dialogueSpace.id))
		.where(eq(dialogueSpace.slug, spaceSlug));
	if (!space) throw new Error(`No space ${spaceSlug} that takes reports`);
	const categories = await db
		.select({ id: mapReportCategory.id })
		.from(mapReportCategory)
		.where(eq(mapReportCategory.spaceId, space.id))
		.orderBy(asc(mapReportCategory.position), asc(mapReportCategory.id));
	if (!categories.length) throw new Error(`The space ${spaceSlug} has no report categories`);
	const { bbox, districts, gridMeters } = space.setup;
	const [west, south, east, north] = bbox;
	const next = random(20_261_211);
	const now = Date.now();

	return runSystemChange(db, async (tx) => {
		for (let done = 0; done < count; done += batchSize) {
			const reports = Array.from({ length: Math.min(batchSize, count - done) }, () => {
				const lat = Math.round((south + next() * (north - south)) * 1e5) / 1e5;
				const lon = Math.round((west + next() * (east - west)) * 1e5) / 1e5;
				const ageDays = next() * 730;
				const createdAt = new Date(now - ageDays * day);
				const status = statusFor(ageDays, next());
				// Every step before now, however young the report: the pages compare them with now.
				const latest = now - hour;
				const first =
					status === 'new' ? null : new Date(Math.min(latest, createdAt.getTime() + (1 + next() * 3) * day));
				const resolved =
					status === 'resolved' && first
						? new Date(Math.min(latest, first.getTime() + (2 + next() * 8) * day))
						: null;
				const words = pick(texts, next());
				const shown = gridCentre(lat, lon, gridMeters);
				return {
					spaceId: space.id,
					categoryId: pick(categories, next()).id,
					description: words.text,
					language: words.language,
					district: nearestDistrict(districts, lat, lon),
					precision: (next() < 0.7 ? 'exact' : 'approximate') as ReportPrecision,
					lat,
					lon,
					publicLat: shown.lat,
					publicLon: shown.lon,
					status,
					public: status !== 'new' && status !== 'rejected',
					note: first ? pick(notes, next()) : null,
					noteLanguage: first ? 'en' : null,
					createdAt,
					firstAnsweredAt: first,
					resolvedAt: resolved
				};
			});
			const made = await tx.insert(mapReport).values(reports).returning({ id: mapReport.id });
			// `returning` keeps the order of `values`, so each id meets its own row.
			const events = made.flatMap(({ id: reportId }, i) => {
				const r = reports[i]!;
				const history: (typeof mapReportEvent.$inferInsert)[] = [
					{ reportId, status: 'new', at: r.createdAt }
				];
				if (r.status !== 'new' && r.firstAnsweredAt)
					history.push({
						reportId,
						status: firstStep(r.status),
						note: r.note,
						language: 'en',
						at: r.firstAnsweredAt
					});
				if (r.resolvedAt)
					history.push({ reportId, status: 'resolved', note: r.note, language: 'en', at: r.resolvedAt });
				return history;
			});
			for (let i = 0; i < events.length; i += batchSize * 2)
				await tx.insert(mapReportEvent).values(events.slice(i, i + batchSize * 2));
		}
		return {
			result: count,
			audit: { action: 'dialogue.corpus', after: { space: spaceSlug, reports: count } },
			// Dialogue writes leave the content revision alone (their pages are never cached).
			public: false
		};
	});
}
