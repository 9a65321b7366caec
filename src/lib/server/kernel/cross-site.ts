// The cross-site check for form submissions, done here instead of by SvelteKit (whose check has no
// way to let one route through): a form POST, PUT, PATCH or DELETE whose Origin is not this site's
// is refused, as SvelteKit does, except on the routes the caller names. Those are links that must
// work from outside the site with no Origin at all, authorised by a signed token in the address
// (a mail program's one-click unsubscribe, RFC 8058).

const mutating = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const formTypes = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/** True when the request is a form submission from another site (or one that does not say). */
export function isCrossSiteForm(request: Request, selfOrigin: string): boolean {
	if (!mutating.has(request.method)) return false;
	const type = request.headers.get('content-type');
	// A body without a type is read like a form by some servers: treated as one, as SvelteKit does.
	const formLike = !type || formTypes.has(type.split(';', 1)[0]!.trim().toLowerCase());
	return formLike && request.headers.get('origin') !== selfOrigin;
}
