import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath, messages } from '#lib/i18n/index.ts';
import { db } from '#lib/server/app/database.ts';
import { ValidationError } from '#lib/server/kernel/errors.ts';
import { pick } from '#lib/server/kernel/localized.ts';
import { forPage, problemsIn } from '#lib/server/kernel/http.ts';
import { requestForm, typedValues } from '#lib/server/kernel/input.ts';
import { limitMessage, ParticipationLimitError } from '#lib/server/dialogue/proposals/limits.ts';
import { answerSurvey, surveyToken, SurveyRefused } from '#lib/server/dialogue/surveys/commands.ts';
import { answerFields, fieldName } from '#lib/server/dialogue/surveys/definition.ts';
import { hasAnswered, readSurvey, surveyRefusal } from '#lib/server/dialogue/surveys/queries.ts';
import { surveyView } from '#lib/server/dialogue/surveys/views.ts';

// Answering a survey: one part a page without JavaScript (the answers so far ride along in the
// form); with it, /survey-form.js shows the parts in turn on this page and keeps a response that
// cannot be sent on the phone. Both end in the same action.

export const load: PageServerLoad = async ({ locals, params, url }) =>
	forPage(locals.locale, async () => {
		const database = await db();
		const { space, survey } = await readSurvey(database, params.space, params.survey, locals.user);
		const answered = survey.respondents !== 'anyone' && (await hasAnswered(database, survey.id, locals.user));
		const sent = url.searchParams.has('thanks')
			? 'thanks'
			: url.searchParams.has('repeated')
				? 'repeated'
				: null;
		return {
			space: { slug: space.slug, title: pick(space.title, locals.locale) },
			survey: surveyView(survey, locals.locale),
			refusal: sent ? null : surveyRefusal(space, survey, locals.user, space.standing, answered),
			sent,
			token: surveyToken(survey.id)
		};
	});

export const actions: Actions = {
	default: async ({ request, locals, params, getClientAddress }) => {
		const form = await requestForm(request);
		const t = messages(locals.locale);
		if (!form) return fail(413, { problems: [{ field: 'form', message: t.errors.badRequest }] });
		const database = await db();
		try {
			const step = await answerSurvey(database, locals.user, params.space, params.survey, form, {
				locale: locals.locale,
				ip: getClientAddress()
			});
			if (step.done) {
				redirect(
					303,
					localizePath(
						locals.locale,
						`/dialogue/${params.space}/surveys/${params.survey}?${step.repeated ? 'repeated' : 'thanks'}`
					)
				);
			}
			const { survey } = await readSurvey(database, params.space, params.survey, locals.user);
			return {
				step: {
					section: step.section,
					carried: answerFields(survey.questions, step.answers),
					clientId: String(form.get('clientId'))
				}
			};
		} catch (e) {
			if (e instanceof SurveyRefused) {
				return fail(403, { problems: [{ field: 'form', message: t.dialogue.surveys.refusals[e.reason] }] });
			}
			if (e instanceof ParticipationLimitError) {
				return fail(429, { problems: [{ field: 'form', message: limitMessage(e, locals.locale) }] });
			}
			if (!(e instanceof ValidationError))
				return forPage(locals.locale, () => {
					throw e;
				});
			// Shown again at the earliest part with a problem, everything typed kept.
			const { survey } = await readSurvey(database, params.space, params.survey, locals.user);
			const at = survey.questions.find((q) => e.problems.some((p) => p.field === fieldName(q.key)));
			return fail(400, {
				problems: problemsIn(e, locals.locale),
				typed: typedValues(form),
				section: at?.section ?? (Number(form.get('section')) || 0),
				clientId: String(form.get('clientId') ?? '')
			});
		}
	}
};
