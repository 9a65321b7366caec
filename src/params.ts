import { defineParams } from '@sveltejs/kit/params';

/** Route parameters that are checked before any code runs: a bad one is a plain 404. */
export const params = defineParams({
	/** A database id: 1 to 9 digits, no leading zero. */
	id: (param: string) => (/^[1-9]\d{0,8}$/.test(param) ? Number(param) : undefined),
	/** An article's address part: lowercase letters, digits and single hyphens. */
	slug: (param: string) =>
		param.length <= 120 && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(param) ? param : undefined,
	/** Open311 GeoReport v2's two formats, named by the address's extension. */
	open311: (param: string) => (param === 'json' || param === 'xml' ? param : undefined)
});
