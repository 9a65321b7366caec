import { config } from '../kernel/config.ts';
import { ValidationError } from '../kernel/errors.ts';

/**
 * Upload forms read and handled at once in this process. A 10 MB form costs about 25–30 MB while
 * it is read and parsed, so ten at once cost ten times that before the decoder's queue
 * (process.ts) even sees them. Two: one is read while the other is decoded.
 */
export const uploadsAtOnce = 2;

/** Gives up a turn; a second call does nothing. */
export type Release = () => void;

/** A first-come, first-served limit on work running at once, with a bounded wait for a turn. */
export function turns(size: number) {
	let active = 0;
	const waiting: { grant: () => void }[] = [];

	function releaser(): Release {
		let done = false;
		return () => {
			if (done) return;
			done = true;
			const next = waiting.shift();
			// The turn passes straight to the next in line, so nobody can overtake it.
			if (next) next.grant();
			else active--;
		};
	}

	return {
		/** A turn, or null when none came free within `maxWaitMs`. */
		take(maxWaitMs: number): Promise<Release | null> {
			if (active < size) {
				active++;
				return Promise.resolve(releaser());
			}
			return new Promise((resolve) => {
				const entry = {
					grant: () => {
						clearTimeout(timer);
						resolve(releaser());
					}
				};
				const timer = setTimeout(() => {
					waiting.splice(waiting.indexOf(entry), 1);
					resolve(null);
				}, maxWaitMs);
				waiting.push(entry);
			});
		},
		/** Running now, and waiting for a turn. */
		counts: () => ({ active, waiting: waiting.length })
	};
}

const uploads = turns(uploadsAtOnce);

/** Upload forms being handled, and waiting with their bodies unread, in this process. */
export const uploadCounts = () => uploads.counts();

/**
 * How long an upload waits for its turn: half the request time limit (REQUEST_TIMEOUT_SECONDS),
 * which counts from the request's start, so that the body can still be read after the wait.
 */
export const uploadWaitMs = () => Math.max(1000, Math.floor(config().server.requestTimeoutMs / 2));

/** Too many uploads waited before this one: the form says to try again. */
export const uploadsBusy = () => new ValidationError([{ field: 'file', code: 'uploadsBusy' }], 'media');

/** The text fields of a form whose files were dropped unread, and which file fields carried bytes. */
export interface TextOnly {
	form: FormData;
	files: Set<string>;
}

/**
 * Runs an upload form's action when its turn comes, before anything reads the request's body:
 * while it waits, the body stays in the connection's buffers rather than in memory. If no turn
 * comes within `uploadWaitMs`, the body is read as it streams past, keeping only its text fields
 * (the browser reads no answer before it has sent its form), and `busy` answers with them, so
 * the form can come back with what was typed.
 */
export async function inUploadTurn<T>(
	request: Request,
	work: () => Promise<T>,
	busy: (sent: TextOnly) => Promise<T>,
	maxWaitMs = uploadWaitMs()
): Promise<T> {
	const release = await uploads.take(maxWaitMs);
	if (!release) return busy(await textFieldsOf(request));
	try {
		return await work();
	} finally {
		release();
	}
}

/** The most text kept from a form read without its files (a proposal's text is at most ~20 KB). */
const maxTextBytes = 256 * 1024;
/** A part's headers longer than this are no browser's: the rest of the body is only drained. */
const maxHeaderBytes = 16 * 1024;

/**
 * Reads a request's body to its end, keeping the text fields of a multipart form (up to
 * `maxTextBytes` in all) and dropping every file's bytes as they pass: memory stays at a chunk,
 * whatever the file's size. A body cut off, over the server's limit or not multipart gives what
 * was read before (often nothing).
 */
export async function textFieldsOf(request: Request): Promise<TextOnly> {
	const sent: TextOnly = { form: new FormData(), files: new Set() };
	if (!request.body || request.bodyUsed) return sent;
	const boundary = /^multipart\/form-data;.*\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(
		request.headers.get('content-type') ?? ''
	);
	// Every part starts after CRLF "--" boundary; a CRLF before the first makes it one pattern.
	const delimiter = boundary ? Buffer.from(`\r\n--${boundary[1] ?? boundary[2]}`) : null;
	let pending = Buffer.from('\r\n');
	let state: 'preamble' | 'headers' | 'content' | 'done' = delimiter ? 'preamble' : 'done';
	let part: { name: string; file: boolean; chunks: Buffer[] } | null = null;
	let kept = 0;
	const take = (bytes: Buffer) => {
		if (!part || !bytes.length) return;
		if (part.file) sent.files.add(part.name);
		else if ((kept += bytes.length) <= maxTextBytes) part.chunks.push(Buffer.from(bytes));
	};
	const finish = () => {
		if (part && !part.file && kept <= maxTextBytes) {
			sent.form.append(part.name, Buffer.concat(part.chunks).toString('utf8'));
		}
		part = null;
	};
	try {
		for await (const chunk of request.body) {
			// Read on to the end even when done: the browser waits to have sent its form.
			if (state === 'done') continue;
			pending = Buffer.concat([pending, chunk]);
			for (;;) {
				if (state === 'preamble' || state === 'content') {
					const at = pending.indexOf(delimiter!);
					if (at === -1) {
						// Keep only what could be the start of a delimiter split across chunks.
						const keep = Math.min(pending.length, delimiter!.length - 1);
						if (state === 'content') take(pending.subarray(0, pending.length - keep));
						pending = Buffer.from(pending.subarray(pending.length - keep));
						break;
					}
					if (state === 'content') {
						take(pending.subarray(0, at));
						finish();
					}
					pending = pending.subarray(at + delimiter!.length);
					state = 'headers';
				}
				if (pending.length < 2) break;
				// "--" after a delimiter ends the form.
				if (pending[0] === 0x2d && pending[1] === 0x2d) {
					state = 'done';
					break;
				}
				const end = pending.indexOf('\r\n\r\n');
				if (end === -1) {
					if (pending.length > maxHeaderBytes) state = 'done';
					break;
				}
				const headers = pending.subarray(0, end).toString('utf8');
				const name = /content-disposition:[^\r\n]*;\s*name="([^"]*)"/i.exec(headers)?.[1];
				// A file part names a file or a type (a browser's text fields have neither).
				const file = /;\s*filename\*?=|^content-type:/im.test(headers);
				part = name ? { name, file, chunks: [] } : null;
				pending = pending.subarray(end + 4);
				state = 'content';
			}
		}
	} catch {
		// Cut off or over the body limit: what was read stands.
	}
	return sent;
}
