import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { readQuery, requestForm } from '#lib/server/kernel/input.ts';
import { workPageShape } from '#lib/server/dialogue/answers/input.ts';
import { pick } from '#lib/server/kernel/localized.ts';
import { db } from '#lib/server/app/database.ts';
import { workRights } from '#lib/server/dialogue/answers/queries.ts';
import { spaceModeration } from '#lib/server/dialogue/moderation/queries.ts';
import { blockAuthor, hide, restore, unblock, type Where } from '#lib/server/dialogue/moderation/commands.ts';
import { screen } from '#lib/server/dialogue/moderation/screening.ts';
import type { Database } from '#lib/server/kernel/database.ts';
import type { Actor } from '#lib/server/kernel/policy.ts';
import { signInFirst } from '../work.ts';

// A space's moderation: flagged input (hide / restore with a public reason, block the author in
// this space), the screening queues of proposals and comments (publish / refuse) and the space's
// blocks.
export const csr = false;

export const load: PageServerLoad = async ({ locals, params, url }) => {
	signInFirst(locals.user, locals.locale, url);
	const loaded = await forPage(locals.locale, async () => {
		const database = await db();
		const { page: n } = readQuery(url.searchParams, workPageShape, 'dialogue');
		const page = await spaceModeration(database, locals.user, params.space, locals.locale, n);
		return {
			...page,
			space: {
				slug: page.space.slug,
				title: pick(page.space.title, locals.locale),
				moderation: page.space.moderation
			},
			rights: await workRights(locals.user, page.space)
		};
	});
	if (loaded.flagged.page > loaded.flagged.pages) error(404, messages(locals.locale).errors.notFound);
	return loaded;
};

type Run<T> = (db: Database, actor: Actor, form: FormData, where: Where) => Promise<T>;

/**
 * Runs one decision in this space; a form sent back says which item it was for (`for`) and keeps
 * the typed reason. `done` names the notice (from what the decision returned).
 */
function act<T>(done: string | ((result: T) => string), run: Run<T>) {
	return async ({ request, locals, params }: RequestEvent) => {
		const form = (await requestForm(request)) ?? new FormData();
		const text = (name: string) => {
			const v = form.get(name);
			return typeof v === 'string' ? v : '';
		};
		return forAction(locals.locale, { for: text('for'), reason: text('reason') }, async () => {
			const result = await run(await db(), locals.user, form, { space: params.space });
			return { done: typeof done === 'string' ? done : done(result) };
		});
	};
}

export const actions: Actions = {
	hide: act('hidden', hide),
	restore: act('restored', restore),
	block: act('blocked', blockAuthor),
	unblock: act('unblocked', unblock),
	// A proposal (`proposal=<id>`) or a held comment (`comment=<id>`).
	publish: act(
		(kind) => (kind === 'comment' ? 'approved' : 'published'),
		(db, actor, form, where) => screen(db, actor, (where as { space: string }).space, form, 'publish')
	),
	refuse: act(
		(kind) => (kind === 'comment' ? 'refusedComment' : 'refused'),
		(db, actor, form, where) => screen(db, actor, (where as { space: string }).space, form, 'refuse')
	)
};
