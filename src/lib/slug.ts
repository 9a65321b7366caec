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
