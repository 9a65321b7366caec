/**
 * The query parameters of the public listings and the API. Links the pages build keep only these;
 * a request with any other parameter is answered fresh rather than from the render cache.
 */
export const publicParams = [
	'theme',
	'kind',
	'sdg',
	'country',
	'q',
	'page',
	'per_page',
	'lang',
	'status',
	'county',
	'format'
] as const;

/** The query string with only public parameters, in a stable order ("" or "?a=1&b=2"). */
export function canonicalSearch(search: string | URLSearchParams): string {
	const params = new URLSearchParams(search);
	const kept = new URLSearchParams();
	for (const name of publicParams) for (const value of params.getAll(name)) kept.append(name, value);
	const query = kept.toString();
	return query ? `?${query}` : '';
}

/** Whether every parameter is one of `publicParams`. */
export function onlyPublicParams(params: URLSearchParams): boolean {
	for (const name of params.keys()) if (!(publicParams as readonly string[]).includes(name)) return false;
	return true;
}
