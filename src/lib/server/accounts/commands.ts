import { and, count, eq } from 'drizzle-orm';
import { isAPIError } from 'better-auth/api';
import type { Database, Transaction } from '../kernel/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { readForm } from '../kernel/input.ts';
import { authorize, can, type Actor } from '../kernel/policy.ts';
import { runCommand, runSystemChange, uniqueViolation } from '../kernel/write.ts';
// One's own account (settings, sessions, deleting it) is in own-account/commands.ts.
import { recordAuthEvent, type Auth } from './auth.ts';
import { account, session, user, type Role } from './schema.ts';
import { accountsPolicy } from './policy.ts';
import {
	confirmTwoFactorForm,
	disableForm,
	inviteForm,
	roleForm,
	staffForm,
	startTwoFactorForm
} from './input.ts';

/** A form as sent (FormData) or the values the kernel's `formValues` took from one. */
type Raw = FormData | Record<string, unknown>;

/**
 * Writes the user row and its email-and-password account in the caller's transaction, as
 * better-auth would (its ids; the password's hash as the caller made it, outside the
 * transaction). Accounts are made here rather than through better-auth's API so that they share
 * the transaction of the change they belong to: the audit row, a partnership's access.
 */
async function insertAccount(
	auth: Auth,
	tx: Transaction,
	/** No password hash: nobody can sign in with a password until one is set through a mailed link. */
	input: { email: string; name: string; role: Role; passwordHash: string | null; emailVerified: boolean }
): Promise<string> {
	const [taken] = await tx.select({ id: user.id }).from(user).where(eq(user.email, input.email));
	if (taken) throw new ValidationError([{ field: 'email', code: 'emailTaken' }], 'accounts');
	const context = await auth.$context;
	const newId = (model: 'user' | 'account') => {
		const id = context.generateId({ model });
		if (typeof id !== 'string')
			throw new Error('better-auth must make the ids (advanced.database.generateId)');
		return id;
	};
	const id = newId('user');
	const now = new Date();
	await tx.insert(user).values({
		id,
		email: input.email,
		name: input.name,
		role: input.role,
		emailVerified: input.emailVerified,
		createdAt: now,
		updatedAt: now
	});
	await tx.insert(account).values({
		id: newId('account'),
		accountId: id,
		providerId: 'credential',
		userId: id,
		password: input.passwordHash,
		createdAt: now,
		updatedAt: now
	});
	return id;
}

/**
 * Creates a user with a role, a password and a verified address: the first admin, from the
 * command line (`npm run admin:create`). The platform makes this change itself (no actor).
 */
export async function createStaffUser(
	auth: Auth,
	db: Database,
	raw: Raw
): Promise<{ id: string; role: Role }> {
	const { password, ...input } = readForm(raw, staffForm, 'accounts');
	// A quarter of a second of CPU: before the transaction, which would hold a connection (PGlite's
	// only one) meanwhile. better-auth's hashing, with the platform's password policy.
	const passwordHash = await (await auth.$context).password.hash(password);
	try {
		return await runSystemChange(db, async (tx) => {
			const id = await insertAccount(auth, tx, { ...input, passwordHash, emailVerified: true });
			return {
				result: { id, role: input.role },
				audit: {
					action: 'user.create',
					subject: `user:${id}`,
					after: { email: input.email, role: input.role }
				},
				public: false
			};
		});
	} catch (error) {
		// The same address created at the same moment (`admin:create` makes several at once).
		if (uniqueViolation(error) === 'user_email_unique')
			throw new ValidationError([{ field: 'email', code: 'emailTaken' }], 'accounts');
		throw error;
	}
}

/** A new account waiting for its invitee: the mail with the link goes once the account is saved. */
export interface Invitation {
	userId: string;
	/** The address the invitation goes to, as stored (trimmed, lower-case). */
	email: string;
	/**
	 * Sends the invitation (a one-time link, valid for an hour, where the invitee chooses a
	 * password). Call it after the transaction that made the account has committed: before
	 * that, the link would lead to an account nobody else can see yet.
	 */
	send(): Promise<void>;
}

/**
 * Creates an account that nobody can sign in to until the invitee sets a password through the
 * mailed link, with its audit row in the same transaction. Runs inside a caller's transaction
 * when given one (the app's "invite to a partnership" makes the account and grants access in
 * one change); the caller then sends the mail after its commit.
 *
 * Anyone signed in may make a reader account this way once the calling module's own rule has
 * let them (a partnership's coordinator); any other role takes an admin.
 */
export async function createInvitedAccount(
	auth: Auth,
	db: Database | Transaction,
	actor: Actor,
	raw: Raw,
	setPasswordUrl: string
): Promise<Invitation> {
	return runCommand(db, actor, {
		rule: accountsPolicy.inviteReader,
		parse: () => readForm(raw, inviteForm, 'accounts'),
		check: async (_tx, input, who) => {
			if (input.role !== 'reader' && !can(who, accountsPolicy.manageUsers)) throw new ForbiddenError();
		},
		work: async (tx, input) => {
			const userId = await insertAccount(auth, tx, {
				...input,
				// No password until the invitee chooses one through the link: signing in is refused
				// as for a wrong one (better-auth spends a hash's time on it all the same). Hashing a
				// random one instead cost 0.23 s of CPU an invitation, inside the transaction.
				passwordHash: null,
				emailVerified: false
			});
			return {
				result: {
					userId,
					email: input.email,
					send: () =>
						auth.api
							.requestPasswordReset({ body: { email: input.email, redirectTo: setPasswordUrl } })
							.then(() => undefined)
				},
				audit: {
					action: 'user.invite',
					subject: `user:${userId}`,
					after: { email: input.email, role: input.role }
				},
				public: false
			};
		}
	});
}

/**
 * An admin invites a member of staff with any role: the account (see `createInvitedAccount`),
 * then, once it is saved, the mail. Returns who was invited.
 */
export async function inviteUser(
	auth: Auth,
	db: Database,
	actor: Actor,
	raw: Raw,
	setPasswordUrl: string
): Promise<{ userId: string; email: string }> {
	authorize(actor, accountsPolicy.manageUsers);
	const { send, ...invited } = await createInvitedAccount(auth, db, actor, raw, setPasswordUrl);
	await send();
	return invited;
}

/** Gives a user another role. The last admin cannot stop being one. */
export async function setRole(db: Database, actor: Actor, raw: Raw): Promise<void> {
	await runCommand(db, actor, {
		rule: accountsPolicy.manageUsers,
		parse: () => readForm(raw, roleForm, 'accounts'),
		work: async (tx, { user: userId, role }) => {
			const [current] = await tx
				.select({ role: user.role })
				.from(user)
				.where(eq(user.id, userId))
				.for('update');
			if (!current) throw new NotFoundError('User');
			if (current.role === role) return { result: undefined, audit: [], public: false };
			if (current.role === 'admin') {
				const [{ n } = { n: 0 }] = await tx
					.select({ n: count() })
					.from(user)
					.where(and(eq(user.role, 'admin'), eq(user.banned, false)));
				if (n <= 1) throw new ValidationError([{ field: 'role', code: 'lastAdmin' }], 'accounts');
			}
			await tx.update(user).set({ role }).where(eq(user.id, userId));
			return {
				result: undefined,
				audit: {
					action: 'user.role',
					subject: `user:${userId}`,
					before: { role: current.role },
					after: { role }
				},
				public: false
			};
		}
	});
}

/** Disables a user (every session ends at once) or enables them again. */
export async function setDisabled(db: Database, actor: Actor, raw: Raw): Promise<void> {
	await runCommand(db, actor, {
		rule: accountsPolicy.manageUsers,
		parse: () => readForm(raw, disableForm, 'accounts'),
		check: async (_tx, input, who) => {
			if (input.disabled && input.user === who.id) {
				throw new ValidationError([{ field: 'user', code: 'disableSelf' }], 'accounts');
			}
		},
		work: async (tx, { user: userId, disabled }) => {
			const [current] = await tx
				.select({ banned: user.banned })
				.from(user)
				.where(eq(user.id, userId))
				.for('update');
			if (!current) throw new NotFoundError('User');
			await tx
				.update(user)
				.set({ banned: disabled, banReason: null, banExpires: null })
				.where(eq(user.id, userId));
			if (disabled) await tx.delete(session).where(eq(session.userId, userId));
			return {
				result: undefined,
				audit: {
					action: disabled ? 'user.disable' : 'user.enable',
					subject: `user:${userId}`,
					before: { disabled: !!current.banned },
					after: { disabled }
				},
				public: false
			};
		}
	});
}

/** A new second-factor secret, shown once, before the first code from the app confirms it. */
export interface TwoFactorSetup {
	/** `otpauth://…` for the QR code. */
	totpURI: string;
	/** The key, for typing into the app by hand. */
	secret: string;
	backupCodes: string[];
}

/**
 * Begins two-step verification after the password is given again. better-auth keeps the new
 * secret (not yet in force); nothing is audited until `confirmTwoFactor` turns it on.
 */
export async function startTwoFactor(
	auth: Auth,
	actor: Actor,
	raw: Raw,
	headers: Headers
): Promise<TwoFactorSetup> {
	authorize(actor, accountsPolicy.manageOwnAccount);
	const { password } = readForm(raw, startTwoFactorForm, 'accounts');
	try {
		const enabled = await auth.api.enableTwoFactor({ body: { password }, headers });
		if (enabled.method !== 'totp') throw new Error('Only TOTP is configured');
		const secret = new URL(enabled.totpURI).searchParams.get('secret') ?? '';
		return { totpURI: enabled.totpURI, secret, backupCodes: enabled.backupCodes };
	} catch (error) {
		if (isAPIError(error))
			throw new ValidationError([{ field: 'password', code: 'wrongPassword' }], 'accounts');
		throw error;
	}
}

/**
 * The first code from the app turns two-step verification on, with an audit row. better-auth
 * writes its own rows (its own connection), so the audit row follows once they are saved.
 */
export async function confirmTwoFactor(
	auth: Auth,
	db: Database,
	actor: Actor,
	raw: Raw,
	headers: Headers
): Promise<void> {
	authorize(actor, accountsPolicy.manageOwnAccount);
	const { code } = readForm(raw, confirmTwoFactorForm, 'accounts');
	try {
		await auth.api.verifyTOTP({ body: { code }, headers });
	} catch (error) {
		if (isAPIError(error)) throw new ValidationError([{ field: 'code', code: 'wrongCode' }], 'accounts');
		throw error;
	}
	await recordAuthEvent(db, actor, { action: 'auth.two-factor-enabled', subject: `user:${actor.id}` });
}
