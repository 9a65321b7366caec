import { z } from 'zod';
import { fields, readForm, readQuery, requiredLine, type Input } from '../kernel/input.ts';
import type { Locale } from '#lib/i18n/locales.ts';
import { organizationKinds, type OrganizationKind } from './schema.ts';

/** What people send about organizations: the open data's filters and the editors' form. */

// ---------------------------------------------------------------------------------------------
// The list's filters

const kind = z.enum(organizationKinds, 'invalidOrganizationKind');

/** `?kind=municipality&country=SE&county=14&page=2` */
export const organizationFilterQuery = {
	kind: kind.optional(),
	country: fields.country.optional(),
	county: fields.county.optional(),
	page: fields.page.optional()
};

/** `GET /api/v1/organizations`: the filters, the language, a page's size, JSON or CSV. */
export const organizationListApiQuery = {
	...organizationFilterQuery,
	lang: fields.lang.optional(),
	per_page: fields.perPage.optional(),
	format: fields.format.optional()
};

export interface OrganizationFilter {
	kind?: OrganizationKind;
	country?: string;
	county?: string;
	page: number;
}

/** A page of the API's JSON, unless asked otherwise. */
export const apiPageSize = 20;
/** The CSV is the whole filtered list, not a page. */
export const csvRows = 10_000;

const filterOf = (q: Input<typeof organizationFilterQuery>): OrganizationFilter => ({
	kind: q.kind,
	country: q.country,
	county: q.county,
	page: q.page ?? 1
});

/** Reads the filters of a list of organizations; each bad or repeated one is named. */
export function readOrganizationFilter(params: URLSearchParams): OrganizationFilter {
	return filterOf(readQuery(params, organizationFilterQuery, 'organizations'));
}

/** Reads `GET /api/v1/organizations`' query string. */
export function readOrganizationListApiQuery(params: URLSearchParams): {
	filter: OrganizationFilter;
	lang: Locale;
	format: 'json' | 'csv';
	perPage: number;
} {
	const q = readQuery(params, organizationListApiQuery, 'organizations');
	const format = q.format ?? 'json';
	return {
		filter: filterOf(q),
		lang: q.lang ?? 'sv',
		format,
		perPage: format === 'csv' ? csvRows : (q.per_page ?? apiPageSize)
	};
}

// ---------------------------------------------------------------------------------------------
// The editors' form

/**
 * A point's latitude or longitude in decimal degrees, with a decimal comma or point ("-21,70"),
 * at most seven decimals, within ±`max`.
 */
const coordinate = (max: number, code: 'invalidLatitude' | 'invalidLongitude') =>
	z
		.string(code)
		.transform((v) => v.trim().replace(',', '.'))
		.pipe(z.string().regex(/^-?\d{1,3}(\.\d{1,7})?$/, code))
		.transform(Number)
		.pipe(z.number().min(-max, code).max(max, code));

/** An organization: names in both languages, a kind, a country and a point on the map. */
export const organizationForm = {
	name_sv: requiredLine(160),
	name_en: requiredLine(160),
	kind,
	country: fields.country,
	lat: coordinate(90, 'invalidLatitude'),
	lon: coordinate(180, 'invalidLongitude')
};

/** The same for one that exists (its id in a hidden field: a bad one is a tampered form). */
export const organizationUpdateForm = {
	id: z
		.string('unknownOrganization')
		.refine((v) => fields.id.safeParse(v).success, 'unknownOrganization')
		.transform(Number),
	...organizationForm
};

/** The organization as the form describes it, checked. */
export interface ParsedOrganization {
	name: { sv: string; en: string };
	kind: OrganizationKind;
	country: string;
	lat: number;
	lon: number;
}

const parsedOf = (o: Input<typeof organizationForm>): ParsedOrganization => ({
	name: { sv: o.name_sv, en: o.name_en },
	kind: o.kind,
	country: o.country,
	lat: o.lat,
	lon: o.lon
});

/** Reads the form (FormData, or the values `formValues` took from one); names each bad field. */
export function parseOrganizationForm(raw: FormData | Record<string, unknown>): ParsedOrganization {
	return parsedOf(readForm(raw, organizationForm, 'organizations'));
}

/** Reads the form of a change to an organization. */
export function parseOrganizationUpdate(
	raw: FormData | Record<string, unknown>
): ParsedOrganization & { id: number } {
	const input = readForm(raw, organizationUpdateForm, 'organizations');
	return { id: input.id, ...parsedOf(input) };
}
