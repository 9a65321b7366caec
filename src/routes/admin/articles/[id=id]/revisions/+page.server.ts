import type { Actions, PageServerLoad } from './$types';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import { readCompare } from '#lib/server/content/workspace/input.ts';
import { diffRevisions, listRevisions, loadForEditing } from '#lib/server/content/workspace/queries.ts';
import { restoreRevision } from '#lib/server/content/workspace/commands.ts';

export const load: PageServerLoad = async ({ locals, params, url }) =>
	forPage(locals.locale, async () => {
		const database = await db();
		const article = await loadForEditing(database, locals.user, params.id);
		const revisions = await listRevisions(database, locals.user, params.id);
		const compare =
			readCompare(url.searchParams) ??
			(revisions.length > 1 ? { from: revisions[1]!.id, to: revisions[0]!.id } : null);
		const diff = compare
			? await diffRevisions(database, locals.user, params.id, compare.from, compare.to)
			: null;
		return { article, revisions, compare, diff };
	});

export const actions: Actions = {
	restore: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, {}, async () => {
			await restoreRevision(await db(), locals.user, params.id, form);
			return { restored: true };
		});
	}
};
