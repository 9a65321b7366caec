import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { pick } from '../../kernel/localized.ts';
import { runCommand } from '../../kernel/write.ts';
import type { Role } from '#lib/roles.ts';
import { user } from '../../accounts/schema.ts';
import { dialogueFollow, dialogueNotification, dialogueSpace, proposal } from '../schema.ts';
import { dialoguePolicy } from '../policy.ts';
import { readUnsubscribeToken, type Unsubscribe } from './tokens.ts';

// Unsubscribing through a mailed link, without signing in: the signed token names the person and
// what to stop (one follow, or everything they follow). The page shows a button (GET changes
// nothing: mail scanners open links); the button, and a mail program's one-click POST
// (List-Unsubscribe-Post), stop it. Audited as the person's own change.

/** What the link's page says it stops. */
export interface UnsubscribeView {
	kind: 'space' | 'proposal' | 'all';
	/** In the page's language. */
	spaceTitle: string | null;
	proposalTitle: string | null;
	/** Where the page links back to: the space followed, or the proposal in it. */
	spaceSlug: string | null;
	proposalId: number | null;
}

/** The token, read; 404 for one that was not made here, or whose person is gone. */
async function readToken(db: Database, token: string): Promise<Unsubscribe & { role: Role }> {
	const read = readUnsubscribeToken(token);
	if (!read) throw new NotFoundError('unsubscribe link');
	const [person] = await db.select({ role: user.role }).from(user).where(eq(user.id, read.userId));
	if (!person) throw new NotFoundError('unsubscribe link');
	return { ...read, role: person.role ?? 'reader' };
}

/** What the link stops, for its page. A space or proposal since removed reads as nothing left to stop. */
export async function unsubscribeView(db: Database, token: string, locale: string): Promise<UnsubscribeView> {
	const { target } = await readToken(db, token);
	if (target.kind === 'all')
		return { kind: 'all', spaceTitle: null, proposalTitle: null, spaceSlug: null, proposalId: null };
	if (target.kind === 'space') {
		const [space] = await db
			.select({ title: dialogueSpace.title, slug: dialogueSpace.slug })
			.from(dialogueSpace)
			.where(eq(dialogueSpace.id, target.spaceId));
		if (!space) throw new NotFoundError('dialogue space');
		return {
			kind: 'space',
			spaceTitle: pick(space.title, locale),
			proposalTitle: null,
			spaceSlug: space.slug,
			proposalId: null
		};
	}
	const [found] = await db
		.select({ title: proposal.title, spaceTitle: dialogueSpace.title, spaceSlug: dialogueSpace.slug })
		.from(proposal)
		.innerJoin(dialogueSpace, eq(dialogueSpace.id, proposal.spaceId))
		.where(eq(proposal.id, target.proposalId));
	if (!found) throw new NotFoundError('proposal');
	return {
		kind: 'proposal',
		spaceTitle: pick(found.spaceTitle, locale),
		proposalTitle: found.title,
		spaceSlug: found.spaceSlug,
		proposalId: target.proposalId
	};
}

/**
 * Stops what the token names: deletes that follow, or (all) every follow of the person and drops
 * their notifications not yet mailed. Doing it twice changes nothing the second time.
 */
export async function unsubscribe(db: Database, token: string, locale: string): Promise<UnsubscribeView> {
	const { userId, target, role } = await readToken(db, token);
	const view = await unsubscribeView(db, token, locale).catch((e) => {
		// The space or proposal is gone: so is its follow (cascade); nothing to stop.
		if (e instanceof NotFoundError) return null;
		throw e;
	});
	if (!view) throw new NotFoundError('unsubscribe link');
	// The link proves who it is for, as a mailed sign-in link would: the change is theirs.
	const actor = { id: userId, role };
	return runCommand(db, actor, {
		rule: dialoguePolicy.participate,
		parse: () => target,
		work: async (tx, t) => {
			const mine = eq(dialogueFollow.userId, userId);
			if (t.kind === 'space') {
				await tx.delete(dialogueFollow).where(and(mine, eq(dialogueFollow.spaceId, t.spaceId)));
			} else if (t.kind === 'proposal') {
				await tx.delete(dialogueFollow).where(and(mine, eq(dialogueFollow.proposalId, t.proposalId)));
			} else {
				await tx.delete(dialogueFollow).where(mine);
				// Replies to their own comments too: no dialogue mail at all (the account page turns it on again).
				await tx.update(user).set({ notificationMail: 'none' }).where(eq(user.id, userId));
				await tx
					.delete(dialogueNotification)
					.where(and(eq(dialogueNotification.userId, userId), isNull(dialogueNotification.mailedAt)));
			}
			const subject =
				t.kind === 'space'
					? `dialogue-space:${t.spaceId}`
					: t.kind === 'proposal'
						? `proposal:${t.proposalId}`
						: `user:${userId}`;
			return {
				result: view,
				audit: { action: 'dialogue.unsubscribe', subject, after: { by: 'mail-link' } },
				public: false
			};
		}
	});
}
