import { localizePath, messages, type Locale } from '#lib/i18n/index.ts';
import type { PublicReport, ReportSpace } from './queries.ts';

// The downloads of a space's public reports: CSV for a spreadsheet and GeoJSON for a map program.
// Both carry the public point only, and nothing about who reported.

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The CSV's header (in the page's language) and one record per report. */
export function reportCsv(space: ReportSpace, locale: Locale) {
	const t = messages(locale).dialogue;
	const c = t.mapReports.csvColumns;
	const categories = new Map(space.categories.map((k) => [k.id, k.key]));
	return {
		header: [
			c.id,
			c.category,
			c.description,
			c.language,
			c.district,
			c.lat,
			c.lon,
			c.status,
			c.note,
			c.created,
			c.firstAnswered,
			c.resolved
		],
		records: (reports: PublicReport[]) =>
			reports.map((r) => [
				r.id,
				categories.get(r.categoryId) ?? null,
				r.description,
				r.language,
				r.district,
				r.lat,
				r.lon,
				r.status,
				r.note,
				iso(r.createdAt),
				iso(r.firstAnsweredAt),
				iso(r.resolvedAt)
			])
	};
}

/**
 * A GeoJSON FeatureCollection (RFC 7946: longitude first) written a batch at a time; reports
 * without a place have no geometry.
 */
export async function* reportGeoJson(
	space: ReportSpace,
	batches: AsyncIterable<PublicReport[]>,
	locale: Locale,
	origin: string
): AsyncGenerator<string> {
	const categories = new Map(space.categories.map((k) => [k.id, k]));
	const feature = (r: PublicReport) => ({
		type: 'Feature' as const,
		id: r.id,
		geometry:
			r.lat === null || r.lon === null ? null : { type: 'Point' as const, coordinates: [r.lon, r.lat] },
		properties: {
			category: categories.get(r.categoryId)?.key ?? null,
			categoryTitle: categories.get(r.categoryId)?.title ?? null,
			description: r.description,
			language: r.language,
			district: r.district,
			status: r.status,
			note: r.note,
			noteLanguage: r.noteLanguage,
			created: iso(r.createdAt),
			firstAnswered: iso(r.firstAnsweredAt),
			resolved: iso(r.resolvedAt),
			url: `${origin}${localizePath(locale, `/dialogue/${space.slug}/reports/${r.id}`)}`
		}
	});
	yield '{"type":"FeatureCollection","features":[';
	let first = true;
	for await (const reports of batches) {
		if (!reports.length) continue;
		yield (first ? '' : ',') + reports.map((r) => JSON.stringify(feature(r))).join(',');
		first = false;
	}
	yield ']}';
}
