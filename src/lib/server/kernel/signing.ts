import { createHmac, timingSafeEqual } from 'node:crypto';
import { config } from './config.ts';
import { serverSecret } from './secrets.ts';

// Signatures for tokens the server hands out and later takes back (unsubscribe links, a survey
// form's one-time token): an HMAC keyed with the server's secret (BETTER_AUTH_SECRET or its file,
// as sessions are signed), and from it a key of each purpose only, so that a token of one kind is
// never valid as another.

const keys = new Map<string, { source: string; key: Buffer }>();

function key(purpose: string): Buffer {
	const { secret, secretFile } = config().auth;
	const source = serverSecret({ value: secret, file: secretFile });
	let found = keys.get(purpose);
	if (found?.source !== source) {
		found = { source, key: createHmac('sha256', source).update(purpose).digest() };
		keys.set(purpose, found);
	}
	return found.key;
}

/** The signature of `payload` for `purpose`: 43 characters of base64url. */
export const sign = (purpose: string, payload: string) =>
	createHmac('sha256', key(purpose)).update(payload).digest('base64url');

/** Whether `signature` is this server's for `payload` and `purpose` (in constant time). */
export function signedHere(purpose: string, payload: string, signature: string): boolean {
	const expected = Buffer.from(sign(purpose, payload));
	const given = Buffer.from(signature);
	return given.length === expected.length && timingSafeEqual(given, expected);
}
