import { defineModule } from '../kernel/module.ts';
import { dialoguePolicy } from './policy.ts';
import { addDemoDialogue } from './demo.ts';
import { closeExpiredProposals } from './proposals/commands.ts';

/** Citizen dialogue: spaces, proposals with supports, comments, answers and moderation. */
export const dialogueModule = defineModule({
	name: 'dialogue',
	policy: dialoguePolicy,
	demo: async (db) => {
		await addDemoDialogue(db);
	},
	// Proposals whose support window has run out without reaching the threshold close.
	tick: async (db) => {
		await closeExpiredProposals(db);
	}
});
