import { defineModule } from '../kernel/module.ts';
import { resultsPolicy } from './policy.ts';
import { addDemoResults } from './demo.ts';

/** Results follow-up: each partnership's framework of results and indicators. */
export const resultsModule = defineModule({
	name: 'results',
	policy: resultsPolicy,
	demo: async (db) => {
		await addDemoResults(db);
	}
});
