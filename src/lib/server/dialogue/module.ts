import { defineModule } from '../kernel/module.ts';
import { dialoguePolicy } from './policy.ts';
import { addDemoDialogue } from './demo.ts';
import { addDemoReports } from './map-reports/demo.ts';
import { addDemoSurvey } from './surveys/demo.ts';
import { closeExpiredProposals } from './proposals/commands.ts';
import { runNotifier } from './notifications/notifier.ts';
import { sendDueDigests } from './notifications/digest.ts';

/** Citizen dialogue: spaces, proposals with supports, comments, answers, moderation, reports on a map and surveys. */
export const dialogueModule = defineModule({
	name: 'dialogue',
	policy: dialoguePolicy,
	demo: async (db) => {
		await addDemoDialogue(db);
		await addDemoReports(db);
		await addDemoSurvey(db);
	},
	// Proposals whose support window has run out without reaching the threshold close.
	// Then the notifier tells followers and repliers (single mails at once), and due digests go out.
	tick: async (db) => {
		await closeExpiredProposals(db);
		await runNotifier(db);
		await sendDueDigests(db);
	}
});
