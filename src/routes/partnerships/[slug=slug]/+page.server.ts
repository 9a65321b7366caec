import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { db } from '#lib/server/app/database.ts';
import { partnershipPage } from '#lib/server/partnerships/service.ts';

export const load: PageServerLoad = async ({ locals, params }) => {
	const found = await partnershipPage(await db(), locals.user, locals.locale, params.slug);
	if (!found) error(404, messages(locals.locale).errors.notFound);
	return found;
};
