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

/**
 * Runs an upload form's action when its turn comes, before anything reads the request's body:
 * while it waits, the body stays in the connection's buffers rather than in memory. If no turn
 * comes within `uploadWaitMs`, the body is read and thrown away (the browser reads no answer
 * before it has sent its form) and `busy` answers.
 */
export async function inUploadTurn<T>(
	request: Request,
	work: () => Promise<T>,
	busy: () => Promise<T>,
	maxWaitMs = uploadWaitMs()
): Promise<T> {
	const release = await uploads.take(maxWaitMs);
	if (!release) {
		await discardBody(request);
		return busy();
	}
	try {
		return await work();
	} finally {
		release();
	}
}

async function discardBody(request: Request): Promise<void> {
	if (!request.body || request.bodyUsed) return;
	try {
		for await (const chunk of request.body) void chunk;
	} catch {
		// Cut off or over the body limit: there is nothing left to wait for.
	}
}
