import { createOTP } from '@better-auth/utils/otp';
import { base32 } from '@better-auth/utils/base32';

/**
 * Signing in over HTTP, as the sign-in form does: the global set-up prepares a session for every
 * journey that is not about signing in (so no journey spends its time on the sign-in pages), and
 * the permission table signs in one person of each role this way.
 */

export interface PreparedSession {
	/** The Cookie header of the signed-in session. */
	cookie: string;
	/** The TOTP secret, for people who set up two-step verification. */
	secret?: string;
}

/** Merges the cookies a response sets into a Cookie header. */
export function withCookies(jar: string, res: Response): string {
	const map = new Map(
		jar
			.split('; ')
			.filter(Boolean)
			.map((c) => [c.split('=')[0]!, c] as const)
	);
	for (const set of res.headers.getSetCookie()) {
		const pair = set.split(';')[0]!;
		const [name, value] = [pair.split('=')[0]!, pair.slice(pair.indexOf('=') + 1)];
		if (value) map.set(name, pair);
		else map.delete(name);
	}
	return [...map.values()].join('; ');
}

const form = (baseUrl: string, cookie = '') => ({
	'content-type': 'application/x-www-form-urlencoded',
	origin: baseUrl,
	accept: 'text/html',
	cookie
});

/** Signs in with the sign-in form; returns the session's Cookie header. */
export async function signInOverHttp(baseUrl: string, email: string, password: string): Promise<string> {
	const res = await fetch(`${baseUrl}/sign-in`, {
		method: 'POST',
		redirect: 'manual',
		headers: form(baseUrl),
		body: new URLSearchParams({ email, password })
	});
	if (res.status !== 303) throw new Error(`Sign-in of ${email} answered ${res.status}`);
	return withCookies('', res);
}

/** Sets up two-step verification on a signed-in session, as /account/two-factor does. */
export async function withSecondFactor(
	baseUrl: string,
	jar: string,
	password: string
): Promise<PreparedSession> {
	const post = (action: string, body: Record<string, string>, cookie: string) =>
		fetch(`${baseUrl}/account/two-factor?/${action}`, {
			method: 'POST',
			redirect: 'manual',
			headers: form(baseUrl, cookie),
			body: new URLSearchParams(body)
		});
	const started = await post('start', { password }, jar);
	const secret = /<code class="secret">([A-Z2-7=]+)<\/code>/.exec(await started.text())?.[1];
	if (!secret) throw new Error('The two-step set-up showed no secret');
	jar = withCookies(jar, started);
	const confirmed = await post('confirm', { code: await totp(secret) }, jar);
	if (!(await confirmed.text()).includes('Klart!')) throw new Error('The two-step set-up was not confirmed');
	return { cookie: withCookies(jar, confirmed), secret };
}

/** The current one-time code for a TOTP secret. */
export function totp(secret: string): Promise<string> {
	return createOTP(base32.decode(secret)).totp();
}

/** A session for a person: signed in, and with two-step verification where their role needs it. */
export async function prepareSession(
	baseUrl: string,
	person: { email: string; password: string; role: string }
): Promise<PreparedSession> {
	const cookie = await signInOverHttp(baseUrl, person.email, person.password);
	if (person.role === 'admin' || person.role === 'editor') {
		return withSecondFactor(baseUrl, cookie, person.password);
	}
	return { cookie };
}
