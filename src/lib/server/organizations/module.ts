import { defineModule } from '../kernel/module.ts';
import { organizationsPolicy } from './policy.ts';
import { seedReferenceOrganizations } from './seed.ts';
import { addDemoOrganizations } from './demo.ts';

/** Organizations: Sweden's municipalities and regions, and the partners abroad editors add. */
export const organizationsModule = defineModule({
	name: 'organizations',
	policy: organizationsPolicy,
	reference: seedReferenceOrganizations,
	demo: addDemoOrganizations
});
