import { defineModule } from '../kernel/module.ts';
import { accountsPolicy } from './policy.ts';

/** Accounts: sign-in, two-step verification, staff and roles, the audit log, privacy. */
export const accountsModule = defineModule({
	name: 'accounts',
	policy: accountsPolicy
});
