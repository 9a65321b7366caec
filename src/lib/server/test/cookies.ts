/** The Cookie header a browser would send back after these Set-Cookie headers (deleted ones left out). */
export function cookiesOf(headers: Headers): string {
	return headers
		.getSetCookie()
		.map((c) => c.split(';')[0]!)
		.filter((c) => !c.endsWith('='))
		.join('; ');
}
