import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { logger } from '#lib/server/kernel/logger.ts';
import { db } from '#lib/server/app/database.ts';
import { mediaStore } from '#lib/server/app/media.ts';
import { appAccounts } from '#lib/server/app/accounts.ts';
import { servedFile } from '#lib/server/app/report-attachments.ts';
import { currentUser, mustSetUpSecondFactor } from '#lib/server/accounts/sessions.ts';
import type { Actor } from '#lib/server/kernel/policy.ts';

/**
 * A file of the media library (published articles show them): `/media/<key>/<width>.webp` (an
 * image variant) or `/media/<key>/<name>.pdf` (a download). Anything else, a width the image lacks
 * or another name for the document, is a 404, and so is the photo of a proposal the viewer may not
 * see (app/proposal-photos.ts) and the attachment of a yearly report they may not read
 * (app/report-attachments.ts). What is under a key never changes, so browsers may keep the
 * library's own files for a year without asking; a proposal's photo or a public report's
 * attachment is asked for again, and one only some may see is kept nowhere.
 */
const serve =
	(head: boolean): RequestHandler =>
	async ({ params, request, locals }) => {
		const notFound: () => never = () => error(404, messages(locals.locale).errors.notFound);
		const file = await servedFile(await db(), params.key, params.file, () => viewer(request));
		if (!file) notFound();
		const headers = new Headers({
			'content-type': file.contentType,
			'cache-control': file.cacheControl,
			etag: file.etag,
			'x-content-type-options': 'nosniff',
			'cross-origin-resource-policy': 'same-site'
		});
		if (file.downloadName) headers.set('content-disposition', attachment(file.downloadName));
		const ifNoneMatch = request.headers.get('if-none-match');
		if (ifNoneMatch && ifNoneMatch.split(/\s*,\s*/).some((tag) => tag.replace(/^W\//, '') === file.etag)) {
			return new Response(null, { status: 304, headers });
		}
		let object;
		try {
			object = await mediaStore().get(file.objectKey);
		} catch (e) {
			logger.error({ err: e, key: file.objectKey }, 'The media store did not answer');
			error(503, messages(locals.locale).errors.server);
		}
		if (!object) {
			logger.warn({ key: file.objectKey }, 'A media file in the database is missing from the store');
			notFound();
		}
		if (object.size !== null) headers.set('content-length', String(object.size));
		if (head) {
			await object.body.cancel();
			return new Response(null, { headers });
		}
		return new Response(object.body, { headers });
	};

/**
 * Who asks, read only for a file not everyone may see (hooks.server.ts reads no session for
 * media). Staff who still have to set up two-step verification see no more than a visitor.
 */
async function viewer(request: Request): Promise<Actor> {
	if (!request.headers.has('cookie')) return null;
	const { auth } = await appAccounts();
	const user = await currentUser(auth, request.headers);
	return user && !mustSetUpSecondFactor(user, '/media') ? user : null;
}

/**
 * `Content-Disposition: attachment` with an ASCII `filename` for old clients and the RFC 5987
 * `filename*` for the rest. Stored names are already plain ASCII; this stays safe if that changes.
 */
function attachment(name: string): string {
	const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
	const encoded = encodeURIComponent(name).replace(
		/['()*]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
	);
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export const GET = serve(false);
export const HEAD = serve(true);
