/**
 * The query parameters any public page or API answer depends on. Others (utm_source …) are
 * ignored by every route, so they are left out of cache keys and of the links pages build.
 */
export const publicParams = ['theme', 'kind', 'sdg', 'country', 'q', 'page', 'per_page', 'lang'] as const;

/** The query string with only public parameters, in a stable order ("" or "?a=1&b=2"). */
export function canonicalSearch(search: string | URLSearchParams): string {
	const params = new URLSearchParams(search);
	const kept = new URLSearchParams();
	for (const name of publicParams) for (const value of params.getAll(name)) kept.append(name, value);
	const query = kept.toString();
	return query ? `?${query}` : '';
}
