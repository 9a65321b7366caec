import { z } from 'zod';
import { randomBytes } from 'node:crypto';
import { and, asc, count, eq } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { audit } from '../kernel/audit.ts';
import { NotFoundError, ValidationError } from '../kernel/errors.ts';
import { authorize, type Actor } from '../kernel/policy.ts';
import type { Auth } from './auth.ts';
import { maxPasswordLength } from './limits.ts';
import { passwordProblem } from './password-policy.ts';
import { roles, session, user, type Role } from './schema.ts';
import { accountsPolicy } from './policy.ts';

export const staffInput = z.object({
	email: z
		.email()
		.max(254)
		.transform((e) => e.toLowerCase()),
	name: z.string().trim().min(1).max(120),
	role: z.enum(roles),
	// Checked by the password policy (length, breach list), exactly as typed.
	password: z.string().max(maxPasswordLength * 4)
});

/**
 * Creates a user with a role and a verified address (the first admin, from the command line).
 * Invitations by mail come with the editorial workspace.
 */
export async function createStaffUser(
	auth: Auth,
	db: Database,
	input: z.input<typeof staffInput>,
	actorId: string | null = null
): Promise<{ id: string; role: Role }> {
	const parsed = staffInput.safeParse(input);
	if (!parsed.success) {
		throw new ValidationError(
			parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? ''), code: 'invalidAccount' as const })), 'accounts');
	}
	const { email, name, role, password } = parsed.data;
	const problem = passwordProblem(password);
	if (problem) throw new ValidationError([{ field: 'password', code: `password-${problem}` as const }], 'accounts');
	const existing = await db.select({ id: user.id }).from(user).where(eq(user.email, email));
	if (existing.length) throw new ValidationError([{ field: 'email', code: 'emailTaken' }], 'accounts');
	const created = await auth.api.createUser({
		body: { email, name, password, role: role as 'admin', data: { emailVerified: true } }
	});
	await audit(db, {
		actorId,
		action: 'user.create',
		subject: `user:${created.user.id}`,
		after: { email, role }
	});
	return { id: created.user.id, role };
}

export const inviteInput = z.object({
	email: z
		.email()
		.max(254)
		.transform((e) => e.toLowerCase()),
	name: z.string().trim().min(1).max(120),
	role: z.enum(roles)
});

/**
 * Invites a member of staff: an account with an unusable password, and a mail with a link where
 * they choose their own (the same one-time link as a password reset, valid for an hour).
 */
export async function inviteUser(
	auth: Auth,
	db: Database,
	actor: Actor,
	input: z.input<typeof inviteInput>,
	setPasswordUrl: string
): Promise<string> {
	authorize(actor, accountsPolicy.manageUsers);
	return createInvitedAccount(auth, db, actor.id, input, setPasswordUrl);
}

/**
 * Creates an account that nobody can sign in to until the invitee sets a password through the
 * mailed link. The caller has decided the actor may invite (an admin; a coordinator for readers).
 */
export async function createInvitedAccount(
	auth: Auth,
	db: Database,
	actorId: string,
	input: z.input<typeof inviteInput>,
	setPasswordUrl: string
): Promise<string> {
	const parsed = inviteInput.safeParse(input);
	if (!parsed.success) {
		throw new ValidationError(
			parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? ''), code: 'invalidAccount' as const })), 'accounts');
	}
	const { email, name, role } = parsed.data;
	const existing = await db.select({ id: user.id }).from(user).where(eq(user.email, email));
	if (existing.length) throw new ValidationError([{ field: 'email', code: 'emailTaken' }], 'accounts');
	const created = await auth.api.createUser({
		// Nobody knows this password; the invitation link replaces it.
		body: { email, name, role: role as 'admin', password: randomBytes(32).toString('base64url') }
	});
	await audit(db, {
		actorId,
		action: 'user.invite',
		subject: `user:${created.user.id}`,
		after: { email, role }
	});
	await auth.api.requestPasswordReset({ body: { email, redirectTo: setPasswordUrl } });
	return created.user.id;
}

/** Gives a user another role. The last admin cannot stop being one. */
export async function setRole(db: Database, actor: Actor, userId: string, role: Role): Promise<void> {
	authorize(actor, accountsPolicy.manageUsers);
	if (!(roles as readonly string[]).includes(role))
		throw new ValidationError([{ field: 'role', code: 'invalidAccount' }], 'accounts');
	await db.transaction(async (tx) => {
		const [current] = await tx
			.select({ role: user.role })
			.from(user)
			.where(eq(user.id, userId))
			.for('update');
		if (!current) throw new NotFoundError('User');
		if (current.role === role) return;
		if (current.role === 'admin') {
			const [{ n } = { n: 0 }] = await tx
				.select({ n: count() })
				.from(user)
				.where(and(eq(user.role, 'admin'), eq(user.banned, false)));
			if (n <= 1) throw new ValidationError([{ field: 'role', code: 'lastAdmin' }], 'accounts');
		}
		await tx.update(user).set({ role }).where(eq(user.id, userId));
		await audit(tx, {
			actorId: actor.id,
			action: 'user.role',
			subject: `user:${userId}`,
			before: { role: current.role },
			after: { role }
		});
	});
}

/** Disables a user (every session ends at once) or enables them again. */
export async function setDisabled(
	db: Database,
	actor: Actor,
	userId: string,
	disabled: boolean
): Promise<void> {
	authorize(actor, accountsPolicy.manageUsers);
	if (disabled && userId === actor.id) throw new ValidationError([{ field: 'user', code: 'disableSelf' }], 'accounts');
	await db.transaction(async (tx) => {
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
		await audit(tx, {
			actorId: actor.id,
			action: disabled ? 'user.disable' : 'user.enable',
			subject: `user:${userId}`,
			before: { disabled: !!current.banned },
			after: { disabled }
		});
	});
}

export interface UserRow {
	id: string;
	name: string;
	email: string;
	role: Role;
	emailVerified: boolean;
	twoFactorEnabled: boolean;
	disabled: boolean;
	createdAt: string;
}

/** Everyone with an account, for the admin's user list. */
export async function listUsers(db: Database, actor: Actor): Promise<UserRow[]> {
	authorize(actor, accountsPolicy.manageUsers);
	const rows = await db.select().from(user).orderBy(asc(user.name), asc(user.email));
	return rows.map((u) => ({
		id: u.id,
		name: u.name,
		email: u.email,
		role: (u.role ?? 'reader') as Role,
		emailVerified: u.emailVerified,
		twoFactorEnabled: !!u.twoFactorEnabled,
		disabled: !!u.banned,
		createdAt: u.createdAt.toISOString()
	}));
}
