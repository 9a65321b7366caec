import type { PageServerLoad } from './$types';
import { config } from '#lib/server/kernel/config.ts';

export const load: PageServerLoad = () => ({
	email: config().contactEmail
});
