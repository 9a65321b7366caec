import { and, asc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../kernel/database.ts';
import type { Actor } from '../../../kernel/policy.ts';
import { user } from '../../../accounts/schema.ts';
import { article, articleShare } from '../../schema.ts';
import { contentPolicy } from '../../policy.ts';
import { articleToWorkOn } from '../queries.ts';

/** Who an article is shared with, and whom it could be shared with. */
export interface ArticleSharing {
	sharedWith: { id: string; name: string }[];
	candidates: { id: string; name: string }[];
}

/**
 * The condition on a user row for "this article could be shared with them": an author (editors
 * and admins edit every article already, so sharing with them would change nothing), not
 * disabled, not the article's own author, and not already sharing it.
 */
export function canBeSharedWith(articleId: number): SQL {
	return and(
		eq(user.role, 'author'),
		or(isNull(user.banned), eq(user.banned, false)),
		sql`not exists (select 1 from ${article} where ${article.id} = ${articleId} and ${article.authorId} = ${user.id})`,
		sql`not exists (select 1 from ${articleShare} where ${articleShare.articleId} = ${articleId} and ${articleShare.userId} = ${user.id})`
	)!;
}

/** The article's sharing, for someone who may share it (its author, or an editor). */
export async function articleSharing(db: Database, actor: Actor, id: number): Promise<ArticleSharing> {
	await articleToWorkOn(db, actor, contentPolicy.share, id);
	const [sharedWith, candidates] = await Promise.all([
		db
			.select({ id: user.id, name: user.name })
			.from(articleShare)
			.innerJoin(user, eq(user.id, articleShare.userId))
			.where(eq(articleShare.articleId, id))
			.orderBy(asc(user.name), asc(user.id)),
		db
			.select({ id: user.id, name: user.name })
			.from(user)
			.where(canBeSharedWith(id))
			.orderBy(asc(user.name), asc(user.id))
	]);
	return { sharedWith, candidates };
}
