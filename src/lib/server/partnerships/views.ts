import { z } from 'zod';
import { localizePath, locales, type Locale } from '#lib/i18n/locales.ts';
import {
	organizationKindValues,
	partnershipPhases,
	partnershipStatuses,
	teamRoles
} from '#lib/partnership-values.ts';
import type { OrganizationRef, PartnershipDetail, PartnershipPage, PartnershipRow } from './queries.ts';

/**
 * What the open data answers with (a contract: see docs/api.md): the JSON of `/api/v1/partnerships`
 * and `/api/v1/partnerships/<slug>`, each also as a Zod schema for the OpenAPI document, and the
 * CSV's columns.
 */

/** A member organization as the API shows it. */
export const partnershipOrganizationView = z.object({
	slug: z.string(),
	name: z.string(),
	kind: z.enum(organizationKindValues),
	/** ISO 3166-1 alpha-2 (XK for Kosovo). */
	country: z.string(),
	/** The Swedish county (two digits). */
	county: z.string().nullable(),
	municipalityCode: z.string().nullable(),
	lat: z.number().nullable(),
	lon: z.number().nullable(),
	url: z.url()
});

/** A partnership in a list. */
export const partnershipSummaryView = z.object({
	slug: z.string(),
	status: z.enum(partnershipStatuses),
	startYear: z.number().int().nullable(),
	endYear: z.number().int().nullable(),
	summary: z.string(),
	swedish: z.array(partnershipOrganizationView),
	international: z.array(partnershipOrganizationView),
	/** Theme keys. */
	themes: z.array(z.string()),
	goals: z.array(z.number().int()),
	/** Target codes ("16.7"). */
	targets: z.array(z.string()),
	url: z.url()
});

/** `GET /api/v1/partnerships` */
export const partnershipListView = z.object({
	items: z.array(partnershipSummaryView),
	total: z.number().int(),
	page: z.number().int(),
	perPage: z.number().int()
});

/** `GET /api/v1/partnerships/<slug>` */
export const partnershipView = partnershipSummaryView.extend({
	lang: z.enum(locales),
	/** Sanitised HTML. */
	description: z.string(),
	phases: z.array(
		z.object({
			phase: z.enum(partnershipPhases),
			fromYear: z.number().int(),
			toYear: z.number().int().nullable()
		})
	),
	team: z.array(
		z.object({
			/** "swedish" or "international". */
			side: z.string(),
			role: z.enum(teamRoles),
			name: z.string(),
			title: z.string()
		})
	),
	documents: z.array(z.object({ title: z.string(), url: z.url() })),
	inspiration: z.array(z.object({ slug: z.string(), title: z.string(), url: z.url() })),
	updatedAt: z.iso.datetime()
});

export type PartnershipSummaryView = z.infer<typeof partnershipSummaryView>;
export type PartnershipListView = z.infer<typeof partnershipListView>;
export type PartnershipView = z.infer<typeof partnershipView>;

const organizationJson = (origin: string, locale: Locale, o: OrganizationRef) => ({
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

/** A partnership in a list, as the API shows it. */
export function partnershipSummaryJson(
	origin: string,
	locale: Locale,
	p: PartnershipRow
): PartnershipSummaryView {
	return {
		slug: p.slug,
		status: p.status,
		startYear: p.startYear,
		endYear: p.endYear,
		summary: p.summary,
		swedish: p.swedish.map((o) => organizationJson(origin, locale, o)),
		international: p.international.map((o) => organizationJson(origin, locale, o)),
		themes: p.themes.map((t) => t.key),
		goals: p.goals,
		targets: p.targets,
		url: origin + localizePath(locale, `/partnerships/${p.slug}`)
	};
}

/** A page of the list, as the API shows it. */
export function partnershipListJson(
	origin: string,
	locale: Locale,
	page: PartnershipPage
): PartnershipListView {
	return {
		items: page.rows.map((p) => partnershipSummaryJson(origin, locale, p)),
		total: page.total,
		page: page.page,
		perPage: page.perPage
	};
}

/** One partnership with everything its page shows, as the API shows it. */
export function partnershipJson(origin: string, locale: Locale, p: PartnershipDetail): PartnershipView {
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

/** One partnership as a CSV row; several values in a cell are joined with "; ". */
export function partnershipCsvRecord(
	origin: string,
	locale: Locale,
	p: PartnershipRow
): (string | number | null)[] {
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
