import { eq } from 'drizzle-orm';
import { betterAuth, type BetterAuthPlugin } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { admin, twoFactor } from 'better-auth/plugins';
import { createAccessControl } from 'better-auth/plugins/access';
import { defaultStatements } from 'better-auth/plugins/admin/access';
import { APIError, createAuthMiddleware, isAPIError } from 'better-auth/api';
import { hashPassword, verifyPassword } from 'better-auth/crypto';
import { z } from 'zod';
import { messages, format, isLocale, localizePath, locales } from '#lib/i18n/index.ts';
import type { AuditEntry } from '../kernel/audit.ts';
import type { Database } from '../kernel/database.ts';
import type { Mail } from '../kernel/mail.ts';
import type { Actor } from '../kernel/policy.ts';
import { runCommand, runSystemChange } from '../kernel/write.ts';
import { maxPasswordLength, minPasswordLength, passwordProblem } from './password-policy.ts';
import * as schema from './schema.ts';
import { accountsPolicy } from './policy.ts';
import { userName } from './input.ts';
import { createUsedCodes } from './throttle.ts';

export interface AuthOptions {
	db: Database;
	/** The public origin: links in mail point here, and only it may call the auth endpoints. */
	baseURL: string;
	secret: string;
	sendMail: (mail: Mail) => Promise<void>;
	/** Added last (the SvelteKit cookie bridge must come after every other plugin). */
	plugins?: BetterAuthPlugin[];
}

/** A user as better-auth hands it over, as the actor commands take: an unknown role is a reader. */
export function actorOf(u: { id: string; role?: unknown }): NonNullable<Actor> {
	const role = schema.roles.find((r) => r === u.role) ?? 'reader';
	return { id: u.id, role };
}

/**
 * Logs an event of signing in or out (better-auth's hooks below, the sign-in throttle, turning on
 * a second factor): under the person when they are known, else under nobody (a failed attempt
 * names the address instead). Nothing else changes, so it is its own small transaction.
 */
export async function recordAuthEvent(
	db: Database,
	who: Actor,
	event: Omit<AuditEntry, 'actorId'>
): Promise<void> {
	const change = { result: undefined, audit: event, public: false };
	if (!who) await runSystemChange(db, async () => change);
	else
		await runCommand(db, who, {
			rule: accountsPolicy.manageOwnAccount,
			parse: () => undefined,
			work: async () => change
		});
}

/**
 * Someone chose a password through a mailed link: that proves the address (an invitee's first
 * sign-in needs no other confirmation), and it is logged. better-auth calls this after it saved
 * the password (its own connection, so this is a transaction of its own).
 */
async function passwordWasReset(db: Database, who: NonNullable<Actor>): Promise<void> {
	await runCommand(db, who, {
		rule: accountsPolicy.manageOwnAccount,
		parse: () => undefined,
		work: async (tx) => {
			await tx.update(schema.user).set({ emailVerified: true }).where(eq(schema.user.id, who.id));
			return {
				result: undefined,
				audit: { action: 'auth.password-reset', subject: `user:${who.id}` },
				public: false
			};
		}
	});
}

// Roles as the admin plugin knows them. Nobody gets "impersonate".
const ac = createAccessControl(defaultStatements);
const adminRoles = {
	admin: ac.newRole({
		user: ['create', 'list', 'set-role', 'ban', 'delete', 'set-password', 'get', 'update'],
		session: ['list', 'revoke', 'delete']
	}),
	editor: ac.newRole({ user: [], session: [] }),
	author: ac.newRole({ user: [], session: [] }),
	reader: ac.newRole({ user: [], session: [] })
};

/** The language a person's mail is written in: their account's, else Swedish. */
const mailLocale = (user: { locale?: string | null }) => (isLocale(user.locale) ? user.locale : 'sv');

function mailFor(
	kind: 'verify' | 'reset' | 'invite',
	user: { email: string; name: string; locale?: string | null },
	url: string
): Mail {
	const m = messages(mailLocale(user)).accounts.mail;
	const params = { name: user.name, url };
	const [subject, text] =
		kind === 'verify'
			? [m.verifySubject, m.verifyText]
			: kind === 'invite'
				? [m.inviteSubject, m.inviteText]
				: [m.resetSubject, m.resetText];
	return { to: user.email, subject, text: format(text, params) };
}

/**
 * Someone tried to sign up with an address that has an account: its owner hears of it (the one
 * who tried gets the same answer as for a new address, so the form tells nobody who has one),
 * with the ways in they may have forgotten.
 */
function existingAccountMail(
	user: { email: string; name: string; locale?: string | null },
	origin: string
): Mail {
	const locale = mailLocale(user);
	const m = messages(locale).accounts.mail;
	const signInUrl = `${origin}${localizePath(locale, '/sign-in')}`;
	const resetUrl = `${origin}${localizePath(locale, '/reset-password')}`;
	return {
		to: user.email,
		subject: m.existingSubject,
		text: format(m.existingText, { name: user.name || user.email, signInUrl, resetUrl })
	};
}

/** The library's sign-up endpoint: the app's sign-up form calls it server-side (sign-up.ts). */
const signUpPath = '/sign-up/email';

/** Sign-ins, failed and successful, and sign-outs go to the audit log (after two-factor has had its say). */
function auditSignIns(db: Database): BetterAuthPlugin {
	return {
		id: 'audit-log',
		hooks: {
			after: [
				{
					matcher: (ctx) =>
						ctx.path === '/sign-in/email' ||
						ctx.path?.startsWith('/two-factor/verify') ||
						ctx.path === '/sign-out',
					handler: createAuthMiddleware(async (ctx) => {
						const returned = ctx.context.returned as { twoFactorRedirect?: boolean } | undefined;
						const ip = ctx.request?.headers.get('x-client-ip') ?? ctx.headers?.get('x-client-ip') ?? null;
						const email = typeof ctx.body?.email === 'string' ? ctx.body.email.slice(0, 200) : undefined;
						if (isAPIError(returned)) {
							await recordAuthEvent(db, null, {
								action: 'auth.sign-in-failed',
								subject: email ? `email:${email}` : undefined,
								after: { path: ctx.path, code: returned.body?.code ?? null },
								ip
							});
						} else if (returned?.twoFactorRedirect) {
							await recordAuthEvent(db, null, {
								action: 'auth.sign-in-second-factor',
								subject: email && `email:${email}`,
								ip
							});
						} else if (ctx.context.newSession) {
							const who = actorOf(ctx.context.newSession.user);
							await recordAuthEvent(db, who, { action: 'auth.sign-in', subject: `user:${who.id}`, ip });
						} else if (ctx.path === '/sign-out') {
							const signedOut = ctx.context.session?.user;
							await recordAuthEvent(db, signedOut ? actorOf(signedOut) : null, {
								action: 'auth.sign-out',
								ip
							});
						}
					})
				}
			]
		}
	};
}

/**
 * A code from the authenticator app works once per person (RFC 6238 §5.2): the code that turned
 * two-step verification on, or signed someone in, is refused if it comes again within its window.
 * At the second step of a sign-in a used code is refused before better-auth checks it: accepted,
 * it would reset the library's count of failed codes. The check after the library catches the
 * rest (two requests with one code at once; the code that turns verification on) and undoes the
 * session a reused code made.
 */
function codesWorkOnce(db: Database): BetterAuthPlugin {
	const usedCodes = createUsedCodes(db);
	const refuse = () => new APIError('UNAUTHORIZED', { code: 'INVALID_CODE', message: 'Invalid code' });
	return {
		id: 'totp-once',
		hooks: {
			before: [
				{
					matcher: (ctx) => ctx.path === '/two-factor/verify-totp',
					handler: createAuthMiddleware(async (ctx) => {
						const pending = ctx.context.createAuthCookie('two_factor');
						const signed = await ctx.getSignedCookie(pending.name, ctx.context.secret);
						if (!signed) return;
						const waiting = await ctx.context.internalAdapter.findVerificationValue(signed);
						const code = typeof ctx.body?.code === 'string' ? ctx.body.code : '';
						if (waiting && (await usedCodes.seen(waiting.value, code))) throw refuse();
					})
				}
			],
			after: [
				{
					matcher: (ctx) => ctx.path === '/two-factor/verify-totp',
					handler: createAuthMiddleware(async (ctx) => {
						if (isAPIError(ctx.context.returned)) return;
						const made = ctx.context.newSession;
						const userId = made?.user.id ?? ctx.context.session?.user.id;
						const code = typeof ctx.body?.code === 'string' ? ctx.body.code : '';
						if (userId && (await usedCodes.firstUse(userId, code))) return;
						if (made) await ctx.context.internalAdapter.deleteSession(made.session.token);
						ctx.context.responseHeaders?.delete('set-cookie');
						throw refuse();
					})
				}
			]
		}
	};
}

/**
 * A name or picture written through the library (its profile and admin endpoints) meets the rules
 * of the app's own forms: a name is one line of at most 120 characters, cleaned the same way, and
 * there is no picture (the app shows none, so none is taken: no `javascript:` address to click).
 */
function profileAsTheFormsTakeIt<T extends { name?: unknown; image?: unknown }>(data: T): { data: T } {
	if (data.image !== undefined && data.image !== null) {
		throw new APIError('BAD_REQUEST', { code: 'IMAGE_NOT_ACCEPTED', message: 'image' });
	}
	if (data.name === undefined) return { data };
	const name = userName.safeParse(data.name);
	if (!name.success) throw new APIError('BAD_REQUEST', { code: 'INVALID_NAME', message: 'name' });
	return { data: { ...data, name: name.data } };
}

/**
 * The library's endpoints a browser may reach over HTTP: only the links in its mails (choosing a
 * password, confirming an address), followed with GET. Signing in, the second step, asking for a
 * reset, the profile and every admin endpoint are called by the app server-side from its own forms
 * and commands, where its lockout, limits, input rules and audit rows apply; over HTTP they would
 * get around all of that, so they answer 404, and so does anything a later version adds.
 */
const mailedLinks = [/^\/reset-password\/[^/]+$/, /^\/verify-email$/];
const basePath = '/api/auth';

function reachableOverHttp(request: Request): boolean {
	const { pathname } = new URL(request.url);
	return (
		request.method === 'GET' &&
		pathname.startsWith(`${basePath}/`) &&
		mailedLinks.some((link) => link.test(pathname.slice(basePath.length)))
	);
}

/**
 * The better-auth instance for one database: staff by invitation, residents by signing up (as
 * readers), email and password, TOTP.
 */
export function createAuth(options: AuthOptions) {
	const secure = options.baseURL.startsWith('https:');
	const auth = betterAuth({
		appName: 'Partnerskap för lokal demokrati',
		baseURL: options.baseURL,
		basePath,
		secret: options.secret,
		database: drizzleAdapter(options.db, { provider: 'pg', schema }),
		// Reset links, second-step challenges and the like are kept as hashes: a copy of the
		// database (a backup, a read-only leak) holds no link that works.
		verification: { storeIdentifier: 'hashed' },
		databaseHooks: {
			user: {
				create: {
					before: async (data, ctx) => {
						const checked = profileAsTheFormsTakeIt(data);
						// Whoever signs themselves up is a reader with an unconfirmed address, whatever
						// was sent: other roles come only by an admin's invitation.
						if (ctx?.path === signUpPath)
							return { data: { ...checked.data, role: 'reader', emailVerified: false } };
						return checked;
					}
				},
				update: { before: async (data) => profileAsTheFormsTakeIt(data) }
			}
		},
		user: {
			additionalFields: {
				// Chosen when signing up (the language of the verification mail); changed on the
				// account page. Only the app's server calls the library with it (see `reachableOverHttp`).
				locale: {
					type: 'string',
					defaultValue: 'sv',
					input: true,
					validator: { input: z.enum(locales) }
				}
			}
		},
		emailAndPassword: {
			enabled: true,
			// Staff accounts come by invitation; residents sign themselves up as readers through the
			// app's own form (sign-up.ts), which calls the library server-side: over HTTP its sign-up
			// endpoint answers 404 like every other (see `reachableOverHttp`).
			disableSignUp: false,
			// An address that has an account gets the same answer as a new one; its owner a mail.
			onExistingUserSignUp: async ({ user }) => options.sendMail(existingAccountMail(user, options.baseURL)),
			minPasswordLength,
			maxPasswordLength,
			requireEmailVerification: true,
			resetPasswordTokenExpiresIn: 60 * 60,
			revokeSessionsOnPasswordReset: true,
			// Every new password, however it is set (reset, change, an admin), passes the policy.
			password: {
				hash: async (password) => {
					const problem = passwordProblem(password);
					// Hashed all the same: better-auth hashes what is typed for an unknown address (or
					// an invited one without a password) to take as long as a wrong password, and a
					// refusal without the hashing would answer sooner and tell them apart.
					if (problem) {
						await hashPassword(password);
						throw new APIError('BAD_REQUEST', {
							code: `PASSWORD_${problem.toUpperCase()}`,
							message: problem
						});
					}
					return hashPassword(password);
				},
				verify: ({ hash, password }) => verifyPassword({ hash, password })
			},
			// Someone who has never confirmed the address was invited: the same link, other words.
			sendResetPassword: async ({ user, url }) =>
				options.sendMail(mailFor(user.emailVerified ? 'reset' : 'invite', user, url)),
			// Choosing a password through the mailed link proves the address.
			onPasswordReset: async ({ user: who }) => passwordWasReset(options.db, actorOf(who))
		},
		emailVerification: {
			sendOnSignUp: true,
			// The sign-in page tells an unverified user a link is on its way: make it so.
			sendOnSignIn: true,
			autoSignInAfterVerification: true,
			expiresIn: 60 * 60,
			sendVerificationEmail: async ({ user, url }) => options.sendMail(mailFor('verify', user, url))
		},
		session: {
			// Absolute and idle limits are enforced in accounts/sessions.ts; this is the outer bound.
			expiresIn: 60 * 60 * 24 * 30,
			updateAge: 60,
			cookieCache: { enabled: false }
		},
		// Over HTTP only the mailed links reach the library (see `reachableOverHttp`), limited per
		// address here; signing in and asking for a reset are limited once, by the app's throttle.
		rateLimit: { enabled: true, storage: 'database', window: 60, max: 100 },
		advanced: {
			cookiePrefix: 'partnerskap',
			useSecureCookies: secure,
			defaultCookieAttributes: { sameSite: 'lax', httpOnly: true, secure },
			ipAddress: { ipAddressHeaders: ['x-client-ip'] }
		},
		plugins: [
			twoFactor({ issuer: 'Partnerskap', backupCodeOptions: { amount: 10, length: 10 } }),
			admin({ ac, roles: adminRoles, defaultRole: 'reader', adminRoles: ['admin'] }),
			// Before the audit hook, so that a reused code is logged as the failure it is.
			codesWorkOnce(options.db),
			auditSignIns(options.db),
			...(options.plugins ?? [])
		]
	});
	const handler = (request: Request) =>
		reachableOverHttp(request)
			? auth.handler(request)
			: Promise.resolve(new Response('Not Found', { status: 404 }));
	return { ...auth, handler, fetch: handler };
}

export type Auth = ReturnType<typeof createAuth>;
