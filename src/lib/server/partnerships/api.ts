import { localizePath, type Locale } from '#lib/i18n/locales.ts';
import type { OrganizationRef, PartnershipDetail, PartnershipRow } from './queries.ts';

const orgJson = (origin: string, locale: Locale, o: OrganizationRef) => ({
	slug: o.slug,
	name: o.name,
	kind: o.kind,
	country: o.country,
	county: o.county,
	municipalityCode: o.municipalityCode,
	lat: o.lat,
	lon: o.lon,
	url: origin + localizePath(locale, `/organizations/${o.slug}`)
});

/** The public JSON shape of a partnership in a list (a contract: see docs/api.md). */
export function partnershipSummaryJson(origin: string, locale: Locale, p: PartnershipRow) {
	return {
		slug: p.slug,
		status: p.status,
		startYear: p.startYear,
		endYear: p.endYear,
		summary: p.summary,
		swedish: p.swedish.map((o) => orgJson(origin, locale, o)),
		international: p.international.map((o) => orgJson(origin, locale, o)),
		themes: p.themes.map((t) => t.key),
		goals: p.goals,
		targets: p.targets,
		url: origin + localizePath(locale, `/partnerships/${p.slug}`)
	};
}

export function partnershipJson(origin: string, locale: Locale, p: PartnershipDetail) {
	return {
		...partnershipSummaryJson(origin, locale, p),
		lang: locale,
		description: p.description,
		phases: p.phases,
		team: p.team.map(({ side, role, name, title }) => ({ side, role, name, title })),
		documents: p.documents.map((d) => ({ title: d.title, url: origin + d.href })),
		inspiration: p.articles.map((a) => ({
			slug: a.slug,
			title: a.title,
			url: origin + localizePath(locale, `/inspiration/${a.slug}`)
		})),
		updatedAt: p.updatedAt
	};
}

/** The CSV columns of a partnership list (one row a partnership). */
export const partnershipCsvHeader = [
	'slug',
	'status',
	'start_year',
	'end_year',
	'swedish',
	'swedish_codes',
	'international',
	'countries',
	'themes',
	'goals',
	'targets',
	'summary',
	'url'
];

export function partnershipCsvRecord(origin: string, locale: Locale, p: PartnershipRow) {
	return [
		p.slug,
		p.status,
		p.startYear,
		p.endYear,
		p.swedish.map((o) => o.name).join('; '),
		p.swedish.map((o) => o.municipalityCode ?? '').join('; '),
		p.international.map((o) => o.name).join('; '),
		[...new Set(p.international.map((o) => o.country))].join('; '),
		p.themes.map((t) => t.key).join('; '),
		p.goals.join('; '),
		p.targets.join('; '),
		p.summary,
		origin + localizePath(locale, `/partnerships/${p.slug}`)
	];
}
