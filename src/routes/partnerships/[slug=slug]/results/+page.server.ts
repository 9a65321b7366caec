import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { db } from '#lib/server/app/database.ts';
import { linkProposal, setResultStatus, unlinkProposal } from '#lib/server/app/result-proposals.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { readQuery, requestForm, typedValues } from '#lib/server/kernel/input.ts';
import { mayOn } from '#lib/server/kernel/policy.ts';
import { getPartnership } from '#lib/server/partnerships/queries.ts';
import { frameworkToEdit, resultsPolicy } from '#lib/server/results/policy.ts';
import { frameworkView } from '#lib/server/results/views.ts';
import { importedQuery } from '#lib/server/results/spreadsheet/input.ts';

/**
 * A partnership's whole results framework: public, like the partnership (its page shows a
 * summary). Those who may edit it also set each result's status and link the citizens' proposals
 * it came from, in plain forms.
 */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const database = await db();
	const partnership = await getPartnership(database, locals.locale, params.slug);
	if (!partnership) error(404, messages(locals.locale).errors.notFound);
	const [canEdit, results] = await Promise.all([
		mayOn(locals.user, resultsPolicy.editFramework, { db: database, id: partnership.id }),
		frameworkView(database, locals.locale, partnership.id)
	]);
	const name = [...partnership.swedish, ...partnership.international].map((o) => o.name).join(' – ');
	// Back from the import (`?imported=…&indicators=…`): the page says what the framework holds now.
	const { imported, indicators } = await forPage(locals.locale, () =>
		readQuery(url.searchParams, importedQuery, 'results')
	);
	const saved = imported === undefined ? null : { results: imported, indicators: indicators ?? 0 };
	return { slug: partnership.slug, name, canEdit, results, imported: saved };
};

/** Each action answers with what it did and to which result, so the page says so there. */
const action =
	(
		name: 'setStatus' | 'linkProposal' | 'unlinkProposal',
		run: (...args: Parameters<typeof linkProposal>) => Promise<Record<string, boolean> | undefined>
	) =>
	async ({ request, locals, params }: Parameters<Actions[string]>[0]) => {
		const form = (await requestForm(request)) ?? new FormData();
		const values = { action: name, result: String(form.get('result') ?? ''), values: typedValues(form) };
		return forAction(locals.locale, values, async () => {
			// Asked before the form is read: someone who may not gets a 403, not the form's messages.
			await frameworkToEdit(await db(), locals.user, params.slug);
			const done = await run(await db(), locals.user, params.slug, form);
			return { ...values, done: (done ?? {}) as { changed?: boolean; linked?: boolean } };
		});
	};

export const actions: Actions = {
	setStatus: action('setStatus', setResultStatus),
	linkProposal: action('linkProposal', linkProposal),
	unlinkProposal: action('unlinkProposal', unlinkProposal)
};
