import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { readQuery, requestForm } from '#lib/server/kernel/input.ts';
import { workPageShape } from '#lib/server/dialogue/answers/input.ts';
import { db } from '#lib/server/app/database.ts';
import type { Database } from '#lib/server/kernel/database.ts';
import type { Actor } from '#lib/server/kernel/policy.ts';
import { platformModeration } from '#lib/server/dialogue/moderation/queries.ts';
import { blockAuthor, hide, restore, unblock } from '#lib/server/dialogue/moderation/commands.ts';

// The platform's moderation queue (the programme's editors): flagged input in every space, and
// blocks that apply to the whole platform.
export const csr = false;

export const load: PageServerLoad = async ({ locals, url }) => {
	const loaded = await forPage(locals.locale, async () => {
		const { page } = readQuery(url.searchParams, workPageShape, 'dialogue');
		return platformModeration(await db(), locals.user, locals.locale, page);
	});
	if (loaded.flagged.page > loaded.flagged.pages) error(404, messages(locals.locale).errors.notFound);
	return loaded;
};

type Run = (db: Database, actor: Actor, form: FormData, where: 'platform') => Promise<unknown>;

function act(done: string, run: Run) {
	return async ({ request, locals }: { request: Request; locals: App.Locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const text = (name: string) => {
			const v = form.get(name);
			return typeof v === 'string' ? v : '';
		};
		return forAction(locals.locale, { for: text('for'), reason: text('reason') }, async () => {
			await run(await db(), locals.user, form, 'platform');
			return { done };
		});
	};
}

export const actions: Actions = {
	hide: act('hidden', hide),
	restore: act('restored', restore),
	block: act('blocked', blockAuthor),
	unblock: act('unblocked', unblock)
};
