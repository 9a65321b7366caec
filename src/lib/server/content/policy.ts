import { editors, rules, staff, type Actor } from '../kernel/policy.ts';
import type { ArticleStatus } from './schema.ts';

/** Statuses whose articles are (or are about to be) public: only editors change them. */
export const liveStatuses: readonly ArticleStatus[] = ['scheduled', 'published', 'archived'];

/** The inspiration bank's articles. */
export const contentPolicy = rules({
	write: {
		allow: staff,
		why: 'authors, editors and admins write, translate and submit drafts for review, and see the workspace’s articles'
	},
	publish: {
		allow: editors,
		why: 'authors write but do not publish: an editor reviews, publishes, schedules, unpublishes, archives and edits what is live'
	},
	/** Changing one article's text: editors always; other staff while it is not live. */
	edit: {
		allow: editors,
		also: {
			who: 'staff, while the article is a draft or in review',
			when: (actor: NonNullable<Actor>, article: { status: ArticleStatus }) =>
				(staff as readonly string[]).includes(actor.role) && !liveStatuses.includes(article.status)
		},
		why: 'a published text changes what readers see, so it is an editor who changes it'
	}
});
