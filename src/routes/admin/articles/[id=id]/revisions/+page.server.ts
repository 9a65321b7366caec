import type { Actions, PageServerLoad } from './$types';
import { z } from 'zod';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { ValidationError } from '#lib/server/kernel/errors.ts';
import { db } from '#lib/server/app/database.ts';
import { loadForEditing, restoreRevision } from '#lib/server/content/editing.ts';
import { diffRevisions, listRevisions } from '#lib/server/content/revisions.ts';

const revisionId = z
	.string()
	.regex(/^[1-9]\d{0,8}$/)
	.transform(Number);

/** `from` and `to` of the compare form; both or neither. */
function parseCompare(params: URLSearchParams): { from: number; to: number } | null {
	const from = params.get('from');
	const to = params.get('to');
	if (!from && !to) return null;
	const a = revisionId.safeParse(from ?? '');
	const b = revisionId.safeParse(to ?? '');
	const problems = [
		...(a.success ? [] : [{ field: 'from', code: 'invalidPage' as const }]),
		...(b.success ? [] : [{ field: 'to', code: 'invalidPage' as const }])
	];
	if (problems.length || !a.success || !b.success) throw new ValidationError(problems);
	return { from: a.data, to: b.data };
}

export const load: PageServerLoad = async ({ locals, params, url }) =>
	forPage(locals.locale, async () => {
		const database = await db();
		const id = Number(params.id);
		const article = await loadForEditing(database, locals.user, id);
		const revisions = await listRevisions(database, locals.user, id);
		const compare =
			parseCompare(url.searchParams) ??
			(revisions.length > 1 ? { from: revisions[1]!.id, to: revisions[0]!.id } : null);
		const diff = compare ? await diffRevisions(database, locals.user, id, compare.from, compare.to) : null;
		return { article, revisions, compare, diff };
	});

export const actions: Actions = {
	restore: async ({ request, locals, params }) => {
		const form = await request.formData();
		return forAction(locals.locale, {}, async () => {
			const parsed = revisionId.safeParse(form.get('revision') ?? '');
			if (!parsed.success) throw new ValidationError([{ field: 'revision', code: 'invalidPage' }]);
			await restoreRevision(await db(), locals.user, Number(params.id), parsed.data);
			return { restored: true };
		});
	}
};
