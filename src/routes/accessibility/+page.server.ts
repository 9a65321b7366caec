import type { PageServerLoad } from './$types';
import { config } from '#lib/server/kernel/config.ts';

export const load: PageServerLoad = () => ({
	// The programme's address for accessibility problems; set CONTACT_EMAIL in production.
	email: config().contactEmail
});
