/** A redirect target from a query string, only if it stays on this site ("/admin", not "//evil"). */
export function localTarget(value: string | null, fallback: string): string {
	if (!value || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return fallback;
	return value;
}
