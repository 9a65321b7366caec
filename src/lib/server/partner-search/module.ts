import { defineModule } from '../kernel/module.ts';
import { partnerSearchPolicy } from './policy.ts';
import { seedDemoProfiles } from './demo.ts';
import { moveThemeLinks } from './theme-links.ts';

/** Find a partner: organizations' profiles, suggested matches, contact requests, moderation. */
export const partnerSearchModule = defineModule({
	name: 'partnerSearch',
	policy: partnerSearchPolicy,
	demo: async (db) => void (await seedDemoProfiles(db)),
	themeMerged: moveThemeLinks
});
