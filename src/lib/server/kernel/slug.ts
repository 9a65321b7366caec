// The browser's forms fill in an address from a title with the same function.
export { slugify } from '../../slug.ts';

/**
 * The first free address of the form `base`, `base-2`, `base-3` … given a lookup of the taken
 * ones that start with `base` (one query; a race still ends on the unique index, not a duplicate).
 */
export async function uniqueSlug(
	base: string,
	taken: (prefix: string) => Promise<string[]>
): Promise<string> {
	const used = new Set(await taken(base));
	if (!used.has(base)) return base;
	for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}
