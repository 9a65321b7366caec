import { and, eq } from 'drizzle-orm';
import type { Database } from '../../../kernel/database.ts';
import { ValidationError } from '../../../kernel/errors.ts';
import { readForm } from '../../../kernel/input.ts';
import { authorizeOn, type Actor } from '../../../kernel/policy.ts';
import { runCommand } from '../../../kernel/write.ts';
import { user } from '../../../accounts/schema.ts';
import { articleShare } from '../../schema.ts';
import { contentPolicy } from '../../policy.ts';
import { articleToWorkOn } from '../queries.ts';
import { shareForm } from './input.ts';
import { canBeSharedWith } from './queries.ts';

/** The sharing form as sent, or its values. */
type Raw = FormData | Record<string, unknown>;

/**
 * Shares an article with another author, who may then open and edit it like their own while it
 * is a draft or in review (its author or an editor shares); audited. Returns their name.
 */
export async function shareArticle(db: Database, actor: Actor, id: number, raw: Raw): Promise<string> {
	// Asked before the form is read: someone who may not share learns nothing about the people.
	await articleToWorkOn(db, actor, contentPolicy.share, id);
	return runCommand(db, actor, {
		rule: contentPolicy.write,
		parse: () => readForm(raw, shareForm, 'content'),
		check: async (tx, _input, who) => void (await authorizeOn(who, contentPolicy.share, { db: tx, id })),
		work: async (tx, input) => {
			const [person] = await tx
				.select({ id: user.id, name: user.name })
				.from(user)
				.where(and(eq(user.id, input.user), canBeSharedWith(id)));
			if (!person) throw new ValidationError([{ field: 'user', code: 'cannotShareWith' }], 'content');
			await tx.insert(articleShare).values({ articleId: id, userId: person.id }).onConflictDoNothing();
			return {
				result: person.name,
				audit: { action: 'article.share', subject: `article:${id}`, after: { userId: person.id } },
				public: false
			};
		}
	});
}

/**
 * Stops sharing an article with someone (its author or an editor); audited. Ending a share that
 * is not there changes nothing. Returns their name.
 */
export async function unshareArticle(db: Database, actor: Actor, id: number, raw: Raw): Promise<string> {
	await articleToWorkOn(db, actor, contentPolicy.share, id);
	return runCommand(db, actor, {
		rule: contentPolicy.write,
		parse: () => readForm(raw, shareForm, 'content'),
		check: async (tx, _input, who) => void (await authorizeOn(who, contentPolicy.share, { db: tx, id })),
		work: async (tx, input) => {
			const removed = await tx
				.delete(articleShare)
				.where(and(eq(articleShare.articleId, id), eq(articleShare.userId, input.user)))
				.returning({ userId: articleShare.userId });
			const [person] = await tx.select({ name: user.name }).from(user).where(eq(user.id, input.user));
			// Sent twice (or from a page opened before someone else ended it): already done.
			return {
				result: person?.name ?? '',
				audit: removed.length
					? { action: 'article.unshare', subject: `article:${id}`, before: { userId: input.user } }
					: [],
				public: false
			};
		}
	});
}
