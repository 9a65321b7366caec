import { defineModule } from '../kernel/module.ts';
import { resultsPolicy } from './policy.ts';
import { addDemoResults } from './demo.ts';
import { seedReportDeadlines, sendReportReminders } from './reports/reminders.ts';
import { addDemoReports } from './reports/demo.ts';
import { addDemoAnalysis } from './analysis/demo.ts';

/** Results follow-up: each partnership's framework of results and indicators, and its yearly reports. */
export const resultsModule = defineModule({
	name: 'results',
	policy: resultsPolicy,
	// Every reporting year has a due date (31 March of the next year unless the programme changes it).
	reference: (db) => seedReportDeadlines(db),
	demo: async (db) => {
		await addDemoResults(db);
		await addDemoReports(db);
		await addDemoAnalysis(db);
	},
	// Coordinators are reminded before a report is due and once it is overdue.
	tick: async (db) => {
		await sendReportReminders(db);
	}
});
