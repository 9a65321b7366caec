import { and, eq, exists, or, sql, type SQL } from 'drizzle-orm';
import type { Database, Transaction } from '../kernel/database.ts';
import { editors, rules, staff, type Actor } from '../kernel/policy.ts';
import { article, articleShare, type ArticleStatus } from './schema.ts';

/** Statuses whose articles are (or are about to be) public: only editors change them. */
export const liveStatuses: readonly ArticleStatus[] = ['scheduled', 'published', 'archived'];

/** The article a rule is asked about, and where to look it up. */
export interface ArticleRef {
	db: Database | Transaction;
	id: number;
}

/**
 * The data condition "the person's own article": they wrote it, or its author shared it with them.
 * The rules below ask it of one article; the workspace's list asks it of every row.
 */
export function theirs(db: Database | Transaction, userId: string): SQL {
	return or(
		eq(article.authorId, userId),
		exists(
			db
				.select({ one: sql`1` })
				.from(articleShare)
				.where(and(eq(articleShare.articleId, article.id), eq(articleShare.userId, userId)))
		)
	)!;
}

const isStaff = (actor: NonNullable<Actor>) => (staff as readonly string[]).includes(actor.role);

/** What the rules need to know about one article for one person (nothing if there is no such article). */
async function standing(actor: NonNullable<Actor>, a: ArticleRef) {
	const [row] = await a.db
		.select({
			status: article.status,
			authorId: article.authorId,
			theirs: sql<boolean>`${theirs(a.db, actor.id)}`.mapWith(Boolean)
		})
		.from(article)
		.where(eq(article.id, a.id));
	return row;
}

/** The inspiration bank's articles. */
export const contentPolicy = rules({
	write: {
		allow: staff,
		why: 'authors, editors and admins write and translate drafts, and see the list of the workspace’s articles'
	},
	publish: {
		allow: editors,
		why: 'authors write but do not publish: an editor reviews, publishes, schedules, unpublishes, archives and edits what is live'
	},
	/** Opening one article in the workspace: its editor, preview and revisions. */
	open: {
		allow: editors,
		also: {
			who: 'staff, on an article they wrote or that its author shared with them',
			when: async (actor: NonNullable<Actor>, a: ArticleRef) =>
				isStaff(actor) && (await standing(actor, a))?.theirs === true
		},
		why: 'an author works on their own drafts and those shared with them, not on every colleague’s'
	},
	/** Changing one article: its text, a revision restored, sending it to review. */
	edit: {
		allow: editors,
		also: {
			who: 'staff, on an article of theirs (written by them or shared with them) while it is a draft or in review',
			when: async (actor: NonNullable<Actor>, a: ArticleRef) => {
				if (!isStaff(actor)) return false;
				const found = await standing(actor, a);
				return found?.theirs === true && !liveStatuses.includes(found.status);
			}
		},
		why: 'an author edits their own drafts and those shared with them; a published text changes what readers see, so it is an editor who changes it'
	},
	/** Sharing an article with another author, and ending a share. */
	share: {
		allow: editors,
		also: {
			who: 'the staff member who wrote the article',
			when: async (actor: NonNullable<Actor>, a: ArticleRef) =>
				isStaff(actor) && (await standing(actor, a))?.authorId === actor.id
		},
		why: 'the author of a draft decides who writes it with them; editors may change any article, so they may share one too'
	}
});
