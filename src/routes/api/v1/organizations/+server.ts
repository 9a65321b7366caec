import type { RequestHandler } from './$types';
import { localizePath } from '#lib/i18n/locales.ts';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { csvResponse } from '#lib/server/kernel/csv.ts';
import { parseFormat } from '#lib/server/partnerships/validation.ts';
import { parseLang, parsePerPage } from '#lib/server/content/validation.ts';
import { listOrganizations, parseOrganizationFilter } from '#lib/server/organizations/queries.ts';

/** GET /api/v1/organizations: kind, country, county, lang, page, per_page, format=csv. */
export const GET: RequestHandler = ({ url }) => {
	const requested = url.searchParams.get('lang');
	return forApi(requested === 'en' ? 'en' : 'sv', async () => {
		const lang = parseLang(url.searchParams, 'sv');
		const format = parseFormat(url.searchParams);
		const filter = parseOrganizationFilter(url.searchParams);
		const perPage = format === 'csv' ? 10_000 : parsePerPage(url.searchParams);
		const result = await listOrganizations(await db(), lang, filter, perPage);
		const href = (slug: string) => url.origin + localizePath(lang, `/organizations/${slug}`);
		if (format === 'csv') {
			return csvResponse(
				'organizations.csv',
				[
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
				],
				result.rows.map((o) => [
					o.slug,
					o.name,
					o.kind,
					o.country,
					o.county,
					o.municipalityCode,
					o.lat,
					o.lon,
					o.partnerships,
					href(o.slug)
				])
			);
		}
		return Response.json({
			items: result.rows.map((o) => ({ ...o, url: href(o.slug) })),
			total: result.total,
			page: result.page,
			perPage: result.perPage
		});
	});
};
