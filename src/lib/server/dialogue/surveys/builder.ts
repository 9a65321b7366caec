import { count, eq } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import { pick, type LocalizedText } from '../../kernel/localized.ts';
import { audit } from '../../kernel/audit.ts';
import { authorizeOn, mayOn, type Actor } from '../../kernel/policy.ts';
import { dialoguePolicy } from '../policy.ts';
import { today } from '../spaces/listing.ts';
import { readSpace } from '../spaces/queries.ts';
import {
	pendingTexts,
	questionTexts,
	readSurvey,
	responsesForDownload,
	spaceSurveys,
	type SurveyRow
} from './queries.ts';
import { surveyResponse } from './schema.ts';

// What the builder's pages show: the space's surveys, and one survey as the form's fields (the
// inverse of input.ts's reading), three blank rows for new questions after the saved ones.

const both = (text: LocalizedText | undefined) =>
	text?.sv && text?.en && text.sv !== text.en ? `${text.sv} | ${text.en}` : (text?.sv ?? text?.en ?? '');

/** A survey as the builder's fields (a new one's defaults without a row). */
export function surveyFormValues(row: SurveyRow | null): Record<string, string | string[]> {
	const questions = row?.questions ?? [];
	const blank = ['', '', ''];
	const column = (f: (q: SurveyRow['questions'][number]) => string) => [...questions.map(f), ...blank];
	const day = today();
	return {
		surveyTitleSv: row?.title.sv ?? '',
		surveyTitleEn: row?.title.en ?? '',
		introSv: row?.intro.sv ?? '',
		introEn: row?.intro.en ?? '',
		sections: (row?.sections ?? []).map(both).join('\n'),
		opensOn: row?.opensOn ?? day,
		closesOn: row?.closesOn ?? new Date(Date.parse(day) + 30 * 864e5).toISOString().slice(0, 10),
		respondents: row?.respondents ?? 'verified-email',
		resultsPublic: row?.resultsPublic ? 'yes' : '',
		questionKey: column((q) => q.key),
		questionSection: column((q) => String(q.section + 1)),
		questionKind: column((q) => q.kind),
		questionSv: column((q) => q.text.sv ?? ''),
		questionEn: column((q) => q.text.en ?? ''),
		questionOptions: column((q) => q.options.map((o) => both(o.text)).join('\n')),
		questionRequired: column((q) => (q.required ? 'yes' : 'no')),
		questionMax: column((q) => (q.maxChoices ? String(q.maxChoices) : '')),
		questionScaleMin: column((q) => (q.scale ? String(q.scale.min) : '')),
		questionScaleMax: column((q) => (q.scale ? String(q.scale.max) : '')),
		questionLow: column((q) => both(q.scale?.low)),
		questionHigh: column((q) => both(q.scale?.high)),
		questionIf: column((q) => q.condition?.question ?? ''),
		questionIfOptions: column((q) => {
			const target = questions.find((x) => x.key === q.condition?.question);
			return (q.condition?.options ?? [])
				.map((o) => (target?.options.findIndex((x) => x.key === o) ?? -1) + 1)
				.join(', ');
		})
	};
}

/** The space's surveys for whoever runs it. */
export async function surveysToEdit(db: Database, actor: Actor, spaceSlug: string, locale: string) {
	const space = await readSpace(db, { slug: spaceSlug });
	await authorizeOn(actor, dialoguePolicy.runSpace, space.actors);
	return {
		space: { slug: space.slug, title: pick(space.title, locale) },
		surveys: await spaceSurveys(db, space.id, locale),
		values: surveyFormValues(null)
	};
}

/** One survey's builder: its fields, and whether it has responses (then only wording may change). */
export async function surveyToEdit(
	db: Database,
	actor: Actor,
	spaceSlug: string,
	surveySlug: string,
	locale: string
) {
	const { space, survey } = await readSurvey(db, spaceSlug, surveySlug, actor);
	await authorizeOn(actor, dialoguePolicy.runSpace, space.actors);
	const [answered] = await db
		.select({ n: count() })
		.from(surveyResponse)
		.where(eq(surveyResponse.surveyId, survey.id));
	return {
		space: { slug: space.slug, title: pick(space.title, locale) },
		survey: { slug: survey.slug, title: pick(survey.title, locale) },
		responses: answered?.n ?? 0,
		values: surveyFormValues(survey)
	};
}

/** The free-text answers waiting for review, for the space's moderators. */
export async function surveyTexts(
	db: Database,
	actor: Actor,
	spaceSlug: string,
	surveySlug: string,
	locale: string
) {
	const { space, survey } = await readSurvey(db, spaceSlug, surveySlug, actor);
	await authorizeOn(actor, dialoguePolicy.moderate, space.actors);
	const texts = questionTexts(survey.questions, locale);
	return {
		space: { slug: space.slug, title: pick(space.title, locale) },
		survey: { slug: survey.slug, title: pick(survey.title, locale) },
		runs: await mayOn(actor, dialoguePolicy.runSpace, space.actors),
		pending: (await pendingTexts(db, survey.id)).map((p) => ({
			...p,
			questionText: texts.get(p.question) ?? p.question
		}))
	};
}

/** Every response with who gave it: personal data, so for whoever runs the space, and written in the audit log. */
export async function fullResponses(
	db: Database,
	actor: Actor,
	spaceSlug: string,
	surveySlug: string,
	ip: string | null
) {
	const { space, survey } = await readSurvey(db, spaceSlug, surveySlug, actor);
	const who = await authorizeOn(actor, dialoguePolicy.runSpace, space.actors);
	const responses = await responsesForDownload(db, survey.id, true);
	await audit(db, {
		actorId: who.id,
		action: 'survey.export',
		subject: `survey:${survey.id}`,
		after: { responses: responses.length },
		ip
	});
	return { survey, responses };
}
