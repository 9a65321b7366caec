import { defineModule } from '../kernel/module.ts';
import { partnershipsPolicy } from './policy.ts';
import { addDemoPartnerships } from './demo.ts';
import { moveThemeLinks } from './theme-links.ts';
import { partnershipMediaUses } from './media-uses.ts';

/** The partnership registry: partnerships, their pages, spaces, map and open data. */
export const partnershipsModule = defineModule({
	name: 'partnerships',
	policy: partnershipsPolicy,
	demo: async (db) => void (await addDemoPartnerships(db)),
	themeMerged: moveThemeLinks,
	mediaUses: partnershipMediaUses
});
