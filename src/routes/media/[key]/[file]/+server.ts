import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { logger } from '#lib/server/kernel/logger.ts';
import { db } from '#lib/server/app/database.ts';
import { mediaStore } from '#lib/server/app/media.ts';
import { findServedFile } from '#lib/server/media/queries.ts';

/**
 * A file of the media library, for everyone (published articles show them):
 * `/media/<key>/<width>.webp` (an image variant) or `/media/<key>/<name>.pdf` (a download).
 * Anything else, a width the image lacks or another name for the document, is a 404.
 * What is under a key never changes, so browsers may keep it for a year without asking.
 */
const serve =
	(head: boolean): RequestHandler =>
	async ({ params, request, locals }) => {
		const notFound: () => never = () => error(404, messages(locals.locale).errors.notFound);
		const file = await findServedFile(await db(), params.key, params.file);
		if (!file) notFound();
		const headers = new Headers({
			'content-type': file.contentType,
			'cache-control': 'public, max-age=31536000, immutable',
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
