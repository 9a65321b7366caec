import { hashPassword } from 'better-auth/crypto';
import { isAPIError } from 'better-auth/api';
import type { Database } from '../kernel/database.ts';
import { readForm } from '../kernel/input.ts';
import { actorOf, recordAuthEvent, type Auth } from './auth.ts';
import type { SignInThrottle } from './throttle.ts';
import type { Client } from './sign-in.ts';
import { signUpForm } from './input.ts';

/**
 * A resident makes their own account: a reader, through better-auth's sign-up (its ids, its
 * password hashing with the platform's policy, its verification mail in the chosen language).
 * Nobody signs in before the address is confirmed through the mailed link.
 *
 * The answer never says whether the address has an account: for one that has, better-auth
 * answers as for a new one and its owner gets a mail about the attempt (auth.ts). Limits: a few
 * sign-ups an hour from one client address (`tooMany`, said on the form), and a few mails an hour
 * to one e-mail address (past that, the same answer and no mail: nobody is flooded).
 */

type Raw = FormData | Record<string, unknown>;

export type SignUpOutcome = { ok: true; email: string } | { ok: false; reason: 'tooMany' };

export async function signUp(
	auth: Auth,
	throttle: SignInThrottle,
	db: Database,
	raw: Raw,
	client: Client,
	/** Where the confirmation link leads once it has signed the person in (a path on this site). */
	afterVerification: string
): Promise<SignUpOutcome> {
	const input = readForm(raw, signUpForm, 'accounts');
	if (!(await throttle.signUpAllowed(client.ip))) return { ok: false, reason: 'tooMany' };
	if (!(await throttle.signUpMailAllowed(input.email))) {
		// As long as a real sign-up takes: the answer's timing tells nothing either.
		await hashPassword(input.password);
		await recordAuthEvent(db, null, {
			action: 'auth.sign-up-limited',
			subject: `email:${input.email}`,
			ip: client.ip
		});
		return { ok: true, email: input.email };
	}
	const headers = new Headers({ 'x-client-ip': client.ip });
	if (client.userAgent) headers.set('user-agent', client.userAgent.slice(0, 500));
	let created: { id: string } | undefined;
	try {
		const answer = await auth.api.signUpEmail({
			// Only these fields: the library refuses a role, and its hook makes every sign-up a reader.
			body: {
				name: input.displayName,
				email: input.email,
				password: input.password,
				locale: input.lang,
				callbackURL: afterVerification
			},
			headers
		});
		created = answer.user;
	} catch (error) {
		// Two sign-ups for one address at once: the second finds the first's row. Same answer.
		if (!isAPIError(error)) throw error;
		created = undefined;
	}
	// The library answers an existing address with a made-up user: only a row that exists is logged
	// as the new person's (a sign-up for an existing address is logged by the address, like a
	// failed sign-in).
	const context = await auth.$context;
	const user = created ? await context.internalAdapter.findUserById(created.id) : null;
	if (user)
		await recordAuthEvent(db, actorOf(user), {
			action: 'user.sign-up',
			subject: `user:${user.id}`,
			after: { role: 'reader', locale: input.lang },
			ip: client.ip
		});
	else
		await recordAuthEvent(db, null, {
			action: 'auth.sign-up-existing',
			subject: `email:${input.email}`,
			ip: client.ip
		});
	return { ok: true, email: input.email };
}
