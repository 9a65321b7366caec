/**
 * An address part from a name: "Region Västerbotten" → "region-vasterbotten", "Peja (Pejë)" →
 * "peja-peje". Lower-case a–z, digits and single hyphens (what the route matchers accept).
 */
export function slugify(name: string, maxLength = 80): string {
	return name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, maxLength)
		.replace(/-+$/, '');
}

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
