import { localizePath, messages, type Locale } from '#lib/i18n/index.ts';
import type { PublicReport, ReportSpace } from './queries.ts';

// The downloads of a space's public reports: CSV for a spreadsheet and GeoJSON for a map program.
// Both carry the public point only, and nothing about who reported.

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The CSV's header (in the page's language) and one record per report. */
export function reportCsv(space: ReportSpace, reports: PublicReport[], locale: Locale) {
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
		records: reports.map((r) => [
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

/** A GeoJSON FeatureCollection (RFC 7946: longitude first); reports without a place have no geometry. */
export function reportGeoJson(space: ReportSpace, reports: PublicReport[], locale: Locale, origin: string) {
	const categories = new Map(space.categories.map((k) => [k.id, k]));
	return {
		type: 'FeatureCollection' as const,
		features: reports.map((r) => ({
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
		}))
	};
}
