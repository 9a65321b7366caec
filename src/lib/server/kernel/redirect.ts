/**
 * A redirect target from a query string, only if it stays on this site ("/admin", not "//evil",
 * "/\evil" or "/\t/evil": browsers drop tabs and newlines and read a backslash as a slash).
 */
export function localTarget(value: string | null, fallback: string): string {
	if (!value || !value.startsWith('/') || value.length > 500) return fallback;
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u001f\u007f\\\s]/.test(value)) return fallback;
	if (value.startsWith('//')) return fallback;
	return value;
}
