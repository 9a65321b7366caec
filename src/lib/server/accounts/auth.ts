import { eq } from 'drizzle-orm';
import { betterAuth, type BetterAuthPlugin } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { admin, twoFactor } from 'better-auth/plugins';
import { createAccessControl } from 'better-auth/plugins/access';
import { defaultStatements } from 'better-auth/plugins/admin/access';
import { APIError, createAuthMiddleware, isAPIError } from 'better-auth/api';
import { hashPassword, verifyPassword } from 'better-auth/crypto';
import { messages, format, isLocale } from '#lib/i18n/index.ts';
import type { AuditEntry } from '../kernel/audit.ts';
import type { Database } from '../kernel/database.ts';
import type { Mail } from '../kernel/mail.ts';
import type { Actor } from '../kernel/policy.ts';
import { runCommand, runSystemChange } from '../kernel/write.ts';
import { maxPasswordLength, minPasswordLength, passwordProblem } from './password-policy.ts';
import * as schema from './schema.ts';
import { accountsPolicy } from './policy.ts';

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

function mailFor(
	kind: 'verify' | 'reset' | 'invite',
	user: { email: string; name: string; locale?: string | null },
	url: string
): Mail {
	const m = messages(isLocale(user.locale) ? user.locale : 'sv').accounts.mail;
	const params = { name: user.name, url };
	const [subject, text] =
		kind === 'verify'
			? [m.verifySubject, m.verifyText]
			: kind === 'invite'
				? [m.inviteSubject, m.inviteText]
				: [m.resetSubject, m.resetText];
	return { to: user.email, subject, text: format(text, params) };
}

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

/** The better-auth instance for one database: accounts by invitation, email and password, TOTP. */
export function createAuth(options: AuthOptions) {
	const secure = options.baseURL.startsWith('https:');
	return betterAuth({
		appName: 'Partnerskap för lokal demokrati',
		baseURL: options.baseURL,
		secret: options.secret,
		database: drizzleAdapter(options.db, { provider: 'pg', schema }),
		user: {
			additionalFields: {
				locale: { type: 'string', defaultValue: 'sv', input: false }
			}
		},
		emailAndPassword: {
			enabled: true,
			// Staff accounts come by invitation; there is no open sign-up.
			disableSignUp: true,
			minPasswordLength,
			maxPasswordLength,
			requireEmailVerification: true,
			resetPasswordTokenExpiresIn: 60 * 60,
			revokeSessionsOnPasswordReset: true,
			// Every new password, however it is set (reset, change, an admin), passes the policy.
			password: {
				hash: async (password) => {
					const problem = passwordProblem(password);
					if (problem)
						throw new APIError('BAD_REQUEST', {
							code: `PASSWORD_${problem.toUpperCase()}`,
							message: problem
						});
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
		rateLimit: {
			enabled: true,
			storage: 'database',
			window: 60,
			max: 100,
			customRules: {
				'/sign-in/email': { window: 60, max: 10 },
				'/request-password-reset': { window: 60, max: 3 },
				'/two-factor/*': { window: 60, max: 10 }
			}
		},
		advanced: {
			cookiePrefix: 'partnerskap',
			useSecureCookies: secure,
			defaultCookieAttributes: { sameSite: 'lax', httpOnly: true, secure },
			ipAddress: { ipAddressHeaders: ['x-client-ip'] }
		},
		disabledPaths: ['/admin/impersonate-user', '/admin/stop-impersonating', '/sign-up/email'],
		plugins: [
			twoFactor({ issuer: 'Partnerskap', backupCodeOptions: { amount: 10, length: 10 } }),
			admin({ ac, roles: adminRoles, defaultRole: 'reader', adminRoles: ['admin'] }),
			auditSignIns(options.db),
			...(options.plugins ?? [])
		]
	});
}

export type Auth = ReturnType<typeof createAuth>;
