import { defineModule } from '../kernel/module.ts';
import { contentPolicy } from './policy.ts';
import { addDemoArticles } from './demo.ts';
import { publishDueArticles } from './workspace/workflow.ts';
import { moveThemeLinks } from './theme-links.ts';
import { articleMediaUses, unlinkArticleMedia } from './media-uses.ts';

/** The inspiration bank: articles in several languages, their workflow, search and feeds. */
export const contentModule = defineModule({
	name: 'content',
	policy: contentPolicy,
	demo: async (db) => void (await addDemoArticles(db)),
	// Scheduled articles go live on the first tick after their time.
	tick: async (db) => void (await publishDueArticles(db)),
	themeMerged: moveThemeLinks,
	mediaUses: articleMediaUses,
	mediaDeleted: unlinkArticleMedia
});
