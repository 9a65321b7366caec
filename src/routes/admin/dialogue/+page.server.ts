import type { Actions, PageServerLoad } from './$types';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import type { Database } from '#lib/server/kernel/database.ts';
import type { Actor } from '#lib/server/kernel/policy.ts';
import { platformModeration } from '#lib/server/dialogue/moderation/queries.ts';
import { blockAuthor, hide, restore, unblock } from '#lib/server/dialogue/moderation/commands.ts';

// The platform's moderation queue (the programme's editors): flagged input in every space, and
// blocks that apply to the whole platform.
export const csr = false;

export const load: PageServerLoad = async ({ locals }) =>
	forPage(locals.locale, async () => platformModeration(await db(), locals.user, locals.locale));

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
