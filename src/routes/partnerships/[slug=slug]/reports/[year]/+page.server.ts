import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { readParam, requestForm, typedValues } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import { mediaStore } from '#lib/server/app/media.ts';
import { attachToYearlyReport, removeYearlyReportAttachment } from '#lib/server/app/report-attachments.ts';
import { inUploadTurn, uploadsBusy } from '#lib/server/media/admission.ts';
import { reportAttachmentsView } from '#lib/server/results/reports/attachments.ts';
import { reportParams } from '#lib/server/results/reports/input.ts';
import { reportStep, saveReport, startReport } from '#lib/server/results/reports/commands.ts';
import { reportPageView } from '#lib/server/results/reports/views.ts';

// One year's report: read, written, sent and approved here, every step a plain form POST.
export const csr = false;

const yearOf = (raw: string) => readParam(raw, reportParams.year, 'year', 'results');

export const load: PageServerLoad = async ({ locals, params }) =>
	forPage(locals.locale, async () => {
		const database = await db();
		const year = yearOf(params.year);
		// The report first: it decides who may see the page at all (the attachments ask again).
		const view = await reportPageView(database, locals.user, locals.locale, params.slug, year);
		const attachments = await reportAttachmentsView(database, locals.user, locals.locale, params.slug, year);
		return { ...view, attachments };
	});

/** A step without a form of its own to show again (approve), or with its comment (return, reopen). */
const step =
	<N extends 'approve' | 'return' | 'reopen'>(name: N) =>
	async ({ request, locals, params }: RequestEvent) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { step: name, typed: typedValues(form) }, async () => {
			await reportStep(await db(), locals.user, params.slug, yearOf(params.year), name, form);
			return { done: name };
		});
	};

export const actions: Actions = {
	start: async ({ locals, params }) => {
		const result = await forAction(locals.locale, { start: true }, async () => {
			await startReport(await db(), locals.user, params.slug, yearOf(params.year));
			return { started: true };
		});
		// Started (or found started): the report's page, read afresh.
		if ('started' in result)
			redirect(303, localizePath(locals.locale, `/partnerships/${params.slug}/reports/${params.year}`));
		return result;
	},
	save: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { values: typedValues(form) }, async () => {
			await saveReport(await db(), locals.user, params.slug, yearOf(params.year), form);
			return { done: 'save' as const };
		});
	},
	// What was typed is saved first, so a refused submission loses nothing.
	submit: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { values: typedValues(form) }, async () => {
			const database = await db();
			const year = yearOf(params.year);
			await saveReport(database, locals.user, params.slug, year, form);
			await reportStep(database, locals.user, params.slug, year, 'submit');
			return { done: 'submit' as const };
		});
	},
	// A few uploads at a time: the others wait with their bodies unread (media/admission.ts).
	attach: async ({ request, locals, params }) =>
		inUploadTurn(
			request,
			async () => {
				const form = await requestForm(request);
				return forAction(locals.locale, { attachment: form ? typedValues(form) : {} }, async () => {
					const year = yearOf(params.year);
					await attachToYearlyReport(
						await db(),
						mediaStore(),
						locals.user,
						params.slug,
						year,
						form,
						locals.locale
					);
					return { done: 'attach' as const };
				});
			},
			(sent) =>
				forAction(locals.locale, { attachment: typedValues(sent.form) }, () => Promise.reject(uploadsBusy()))
		),
	removeAttachment: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { removal: true }, async () => {
			const year = yearOf(params.year);
			await removeYearlyReportAttachment(await db(), mediaStore(), locals.user, params.slug, year, form);
			return { done: 'removeAttachment' as const };
		});
	},
	approve: step('approve'),
	return: step('return'),
	reopen: step('reopen')
};
