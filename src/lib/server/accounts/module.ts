import { defineModule } from '../kernel/module.ts';
import { accountsPolicy } from './policy.ts';
import { forgetExpired } from './throttle.ts';

// The tick runs every few seconds; the throttle's old rows need clearing only now and then.
const clearEveryMs = 10 * 60_000;
let lastCleared = 0;

/** Accounts: sign-in, two-step verification, staff and roles, the audit log, privacy. */
export const accountsModule = defineModule({
	name: 'accounts',
	policy: accountsPolicy,
	tick: async (db) => {
		if (Date.now() - lastCleared < clearEveryMs) return;
		lastCleared = Date.now();
		await forgetExpired(db);
	}
});
