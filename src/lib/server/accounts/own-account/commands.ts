import { and, eq, inArray, ne, or, sql } from 'drizzle-orm';
import { verifyPassword } from 'better-auth/crypto';
import type { Database, Transaction } from '../../kernel/database.ts';
import { NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { readForm } from '../../kernel/input.ts';
import type { Actor } from '../../kernel/policy.ts';
import { mailOutbox } from '../../kernel/schema.ts';
import { runCommand } from '../../kernel/write.ts';
import {
	dialogueComment,
	dialogueFlag,
	dialogueFollow,
	dialogueNotification,
	proposal,
	proposalSupport,
	residentVerification
} from '../../dialogue/schema.ts';
import { organizationAccessRequest, organizationMember } from '../../organizations/schema.ts';
import { account, session, twoFactor, user, verification } from '../schema.ts';
import { accountsPolicy } from '../policy.ts';
import { deleteAccountForm, endSessionForm, settingsForm } from '../input.ts';

/**
 * What a person does with their own account: its settings, its sessions, and deleting it. Every
 * change is one transaction with its audit row; none is public (the name shown on a proposal or a
 * comment is read when the page is, and dialogue pages are never kept in the render cache).
 */

/** A form as sent (FormData) or the values the kernel's `formValues` took from one. */
type Raw = FormData | Record<string, unknown>;

/**
 * Saves the name others see, the language of pages and mail, and how notifications come. The
 * audit row names what changed, before and after.
 */
export async function saveSettings(db: Database, actor: Actor, raw: Raw): Promise<void> {
	await runCommand(db, actor, {
		rule: accountsPolicy.manageOwnAccount,
		parse: () => readForm(raw, settingsForm, 'accounts'),
		work: async (tx, input, who) => {
			const [current] = await tx
				.select({ name: user.name, locale: user.locale, notificationMail: user.notificationMail })
				.from(user)
				.where(eq(user.id, who.id))
				.for('update');
			if (!current) throw new NotFoundError('User');
			const wanted = {
				name: input.displayName,
				locale: input.lang,
				notificationMail: input.notificationMail
			};
			const changed = (Object.keys(wanted) as (keyof typeof wanted)[]).filter(
				(k) => current[k] !== wanted[k]
			);
			if (!changed.length) return { result: undefined, audit: [], public: false };
			await tx.update(user).set(wanted).where(eq(user.id, who.id));
			return {
				result: undefined,
				audit: {
					action: 'user.settings',
					subject: `user:${who.id}`,
					before: Object.fromEntries(changed.map((k) => [k, current[k]])),
					after: Object.fromEntries(changed.map((k) => [k, wanted[k]]))
				},
				public: false
			};
		}
	});
}

/**
 * A deleted person's part in the dialogues: their proposals and comments stay, without an
 * author (shown as by a former participant); their supports go, and the proposals' counts with
 * them; their flags and what they followed go.
 */
async function leaveDialogues(tx: Transaction, userId: string): Promise<void> {
	const withdrawn = await tx
		.delete(proposalSupport)
		.where(eq(proposalSupport.userId, userId))
		.returning({ proposalId: proposalSupport.proposalId });
	if (withdrawn.length) {
		// One support per person and proposal (the primary key): each of these loses exactly one.
		await tx
			.update(proposal)
			.set({ supportCount: sql`greatest(${proposal.supportCount} - 1, 0)` })
			.where(
				inArray(
					proposal.id,
					withdrawn.map((w) => w.proposalId)
				)
			);
	}
	await tx.delete(dialogueFlag).where(eq(dialogueFlag.userId, userId));
	await tx.delete(dialogueFollow).where(eq(dialogueFollow.userId, userId));
	await tx.delete(dialogueNotification).where(eq(dialogueNotification.userId, userId));
	// The keyed code of who they proved to be goes too: the same resident may verify a new account.
	await tx.delete(residentVerification).where(eq(residentVerification.userId, userId));
	await tx.update(proposal).set({ authorId: null }).where(eq(proposal.authorId, userId));
	await tx.update(dialogueComment).set({ authorId: null }).where(eq(dialogueComment.authorId, userId));
}

/**
 * Deletes the actor's account after checking the password: sessions, password, second factor,
 * personal fields and mail not yet sent go in one transaction. The user row stays, nameless, so
 * that articles they wrote are kept and shown as by a deleted user; in the dialogues their texts
 * stay without an author (see `leaveDialogues`).
 */
export async function deleteOwnAccount(db: Database, actor: Actor, raw: Raw): Promise<void> {
	await runCommand(db, actor, {
		rule: accountsPolicy.manageOwnAccount,
		parse: () => readForm(raw, deleteAccountForm, 'accounts'),
		check: async (tx, { password }, who) => {
			const [credential] = await tx
				.select({ hash: account.password })
				.from(account)
				.where(and(eq(account.userId, who.id), eq(account.providerId, 'credential')));
			if (!credential?.hash || !(await verifyPassword({ hash: credential.hash, password }))) {
				throw new ValidationError([{ field: 'password', code: 'wrongPassword' }], 'accounts');
			}
		},
		work: async (tx, _input, who) => {
			const [before] = await tx.select({ email: user.email }).from(user).where(eq(user.id, who.id));
			await tx.delete(session).where(eq(session.userId, who.id));
			await tx.delete(account).where(eq(account.userId, who.id));
			await tx.delete(twoFactor).where(eq(twoFactor.userId, who.id));
			// A pending reset link names the person by id (its token is stored hashed), other
			// verifications by address: neither may outlive the account.
			await tx
				.delete(verification)
				.where(or(eq(verification.value, who.id), eq(verification.identifier, before?.email ?? '')));
			// Notifications still waiting to go would tell a deleted person about the dialogues.
			if (before)
				await tx
					.delete(mailOutbox)
					.where(and(eq(mailOutbox.recipient, before.email), ne(mailOutbox.status, 'sent')));
			await leaveDialogues(tx, who.id);
			// They no longer work for any organization here, and what they asked to join goes too.
			await tx.delete(organizationMember).where(eq(organizationMember.userId, who.id));
			await tx.delete(organizationAccessRequest).where(eq(organizationAccessRequest.userId, who.id));
			await tx
				.update(user)
				.set({
					name: '',
					email: `deleted-${who.id}@invalid`,
					emailVerified: false,
					image: null,
					role: 'reader',
					banned: true,
					banReason: 'deleted',
					twoFactorEnabled: false
				})
				.where(eq(user.id, who.id));
			return {
				result: undefined,
				audit: { action: 'user.delete-own-account', subject: `user:${who.id}` },
				public: false
			};
		}
	});
}

/** Ends one of the actor's own sessions (a device they do not recognise). */
export async function endSession(db: Database, actor: Actor, raw: Raw): Promise<void> {
	await runCommand(db, actor, {
		rule: accountsPolicy.manageOwnAccount,
		parse: () => readForm(raw, endSessionForm, 'accounts'),
		work: async (tx, input, who) => {
			// Only one's own: someone else's session (or none) is not found, whoever asks.
			const [ended] = await tx
				.delete(session)
				.where(and(eq(session.id, input.session), eq(session.userId, who.id)))
				.returning({ id: session.id });
			if (!ended) throw new NotFoundError('Session');
			return {
				result: undefined,
				audit: { action: 'auth.session-end', subject: `user:${who.id}`, after: { session: ended.id } },
				public: false
			};
		}
	});
}

/** Ends every session of the actor's but the one they are using. Returns how many ended. */
export async function endOtherSessions(
	db: Database,
	actor: Actor,
	currentSessionId: string | undefined
): Promise<number> {
	return runCommand(db, actor, {
		rule: accountsPolicy.manageOwnAccount,
		parse: () => ({ keep: currentSessionId ?? '' }),
		work: async (tx, { keep }, who) => {
			const ended = await tx
				.delete(session)
				.where(and(eq(session.userId, who.id), ne(session.id, keep)))
				.returning({ id: session.id });
			return {
				result: ended.length,
				audit: {
					action: 'auth.sessions-end-others',
					subject: `user:${who.id}`,
					after: { sessions: ended.map((s) => s.id) }
				},
				public: false
			};
		}
	});
}
