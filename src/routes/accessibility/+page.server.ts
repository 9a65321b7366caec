import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({
	// The programme's address for accessibility problems; set CONTACT_EMAIL in production.
	email: process.env.CONTACT_EMAIL ?? 'tillganglighet@example.org'
});
