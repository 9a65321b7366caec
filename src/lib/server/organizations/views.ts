import { z } from 'zod';
import { localizePath, type Locale } from '#lib/i18n/locales.ts';
import { organizationKindValues } from '#lib/partnership-values.ts';
import type { OrganizationRow } from './queries.ts';

/**
 * What `GET /api/v1/organizations` answers with (a contract: see docs/api.md): JSON, also as Zod
 * schemas for the OpenAPI document, and the CSV's columns.
 */

/** An organization in the list. */
export const organizationView = z.object({
	slug: z.string(),
	name: z.string(),
	kind: z.enum(organizationKindValues),
	/** ISO 3166-1 alpha-2 (XK for Kosovo). */
	country: z.string(),
	/** The Swedish county (two digits). */
	county: z.string().nullable(),
	/** A Swedish municipality's (four digits) or region's (two) code. */
	municipalityCode: z.string().nullable(),
	lat: z.number().nullable(),
	lon: z.number().nullable(),
	/** How many partnerships it is a member of. */
	partnerships: z.number().int(),
	url: z.url()
});

/** `GET /api/v1/organizations` */
export const organizationListView = z.object({
	items: z.array(organizationView),
	total: z.number().int(),
	page: z.number().int(),
	perPage: z.number().int()
});

export type OrganizationView = z.infer<typeof organizationView>;
export type OrganizationListView = z.infer<typeof organizationListView>;

const pageOf = (origin: string, locale: Locale, slug: string) =>
	origin + localizePath(locale, `/organizations/${slug}`);

/** A page of the list, as the API shows it. */
export function organizationListJson(
	origin: string,
	locale: Locale,
	list: { rows: OrganizationRow[]; total: number; page: number; perPage: number }
): OrganizationListView {
	return {
		items: list.rows.map((o) => ({ ...o, url: pageOf(origin, locale, o.slug) })),
		total: list.total,
		page: list.page,
		perPage: list.perPage
	};
}

/** The CSV columns of a list of organizations. */
export const organizationCsvHeader = [
	'slug',
	'name',
	'kind',
	'country',
	'county',
	'municipality_code',
	'lat',
	'lon',
	'partnerships',
	'url'
];

/** One organization as a CSV row. */
export function organizationCsvRecord(
	origin: string,
	locale: Locale,
	o: OrganizationRow
): (string | number | null)[] {
	return [
		o.slug,
		o.name,
		o.kind,
		o.country,
		o.county,
		o.municipalityCode,
		o.lat,
		o.lon,
		o.partnerships,
		pageOf(origin, locale, o.slug)
	];
}
