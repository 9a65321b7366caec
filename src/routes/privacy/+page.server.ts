import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({
	email: process.env.CONTACT_EMAIL ?? 'tillganglighet@example.org'
});
