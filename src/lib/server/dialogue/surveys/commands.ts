import { randomBytes } from 'node:crypto';
import { and, count, eq, like } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import { ValidationError } from '../../kernel/errors.ts';
import { readForm } from '../../kernel/input.ts';
import { pick } from '../../kernel/localized.ts';
import { authorizeOn, type Actor } from '../../kernel/policy.ts';
import { sign, signedHere } from '../../kernel/signing.ts';
import { slugify, uniqueSlug } from '../../kernel/slug.ts';
import { runCommand } from '../../kernel/write.ts';
import { dialoguePolicy } from '../policy.ts';
import { returnAllowance, takeAllowance } from '../proposals/limits.ts';
import { readSpace } from '../spaces/queries.ts';
import { answerRows, fieldName, readAnswers, sectionsShown, type Answers } from './definition.ts';
import { answerShape, readSurveyForm, textDecisionShape } from './input.ts';
import { hasAnswered, readSurvey, surveyRefusal, type SurveyRefusal } from './queries.ts';
import { survey, surveyAnswer, surveyResponse, type SurveyQuestion } from './schema.ts';

// Writes of surveys: whoever runs the space makes and edits them; anyone the survey admits
// answers, section by section (a page each without JavaScript, the answers so far carried in the
// form) and stores the whole response in one transaction at the end; moderators show or hide
// free-text answers. The form's one-time token is the response's id: sent twice (a retry on a
// bad connection, a queued sending), it is stored once.

const tokenPurpose = 'survey-response';

/** A fresh one-time token for an answer form of this survey: `<survey>.<random>.<signature>`. */
export function surveyToken(surveyId: number): string {
	const payload = `${surveyId}.${randomBytes(16).toString('base64url')}`;
	return `${payload}.${sign(tokenPurpose, payload)}`;
}

/** Whether a token was made here for this survey. */
export function tokenOfSurvey(token: string, surveyId: number): boolean {
	const match = /^(\d{1,9})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(token);
	return (
		!!match && Number(match[1]) === surveyId && signedHere(tokenPurpose, `${match[1]}.${match[2]}`, match[3]!)
	);
}

/** A question's label in the error summary: its number and text. */
function questionLabel(questions: SurveyQuestion[], field: string, locale: string) {
	const at = questions.findIndex((q) => fieldName(q.key) === field);
	return at < 0 ? undefined : `${at + 1}. ${pick(questions[at]!.text, locale)}`;
}

/** A refusal of answering, as the form's message. */
export class SurveyRefused extends Error {
	readonly reason: SurveyRefusal;
	constructor(reason: SurveyRefusal) {
		super(`Survey refused: ${reason}`);
		this.name = 'SurveyRefused';
		this.reason = reason;
	}
}

/** What a sending of the answer form did: the next section to show, or the response stored. */
export type SurveyStep =
	{ done: false; section: number; answers: Answers } | { done: true; repeated: boolean };

/**
 * Takes the answers up to the section just answered. Problems come back at their questions; with
 * sections left that show, the next one's number comes back with the answers so far; at the end
 * the response is stored in one transaction (its answers with it), once per token and participant.
 */
export async function answerSurvey(
	db: Database,
	actor: Actor,
	spaceSlug: string,
	surveySlug: string,
	form: FormData,
	options: { ip?: string | null; locale: string }
): Promise<SurveyStep> {
	const { space, survey: row } = await readSurvey(db, spaceSlug, surveySlug, actor);
	const { section, clientId } = readForm(form, answerShape, 'dialogue');
	if (!tokenOfSurvey(clientId, row.id))
		throw new ValidationError([{ field: 'form', code: 'surveyTokenInvalid' }], 'dialogue');
	// A second sending of a stored response: said so, whatever the survey's state now.
	const [stored] = await db
		.select({ id: surveyResponse.id })
		.from(surveyResponse)
		.where(and(eq(surveyResponse.surveyId, row.id), eq(surveyResponse.clientId, clientId)));
	if (stored) return { done: true, repeated: true };

	const anonymous = row.respondents === 'anyone';
	const answered = !anonymous && (await hasAnswered(db, row.id, actor));
	const refusal = surveyRefusal(space, row, actor, space.standing, answered);
	if (refusal) throw new SurveyRefused(refusal);

	const questions = row.questions;
	const upTo = Math.min(section, Math.max(...questions.map((q) => q.section), 0));
	// Conditions look back only, so the sections shown up to here are known from the answers so far.
	// A section shown only for an earlier answer comes into view once that answer is read.
	let sections: number[] = [];
	let read = readAnswers(questions, form, sections);
	for (;;) {
		const now = sectionsShown(questions, read.answers).filter((s) => s <= upTo);
		if (now.join() === sections.join()) break;
		sections = now;
		read = readAnswers(questions, form, sections);
	}
	const { answers, problems } = read;
	if (problems.length) {
		throw new ValidationError(
			problems.map((p) => ({
				field: p.field,
				code: p.code,
				label: questionLabel(questions, p.field, options.locale),
				...(p.max !== undefined && { params: { max: p.max } })
			})),
			'dialogue'
		);
	}
	const next = sectionsShown(questions, answers).find((s) => s > upTo);
	if (next !== undefined) return { done: false, section: next, answers };

	const participant = anonymous ? null : actor!.id;
	await takeAllowance(db, 'surveys', participant, options.ip);
	try {
		const id = await db.transaction(async (tx) => {
			const [response] = await tx
				.insert(surveyResponse)
				.values({ surveyId: row.id, participantId: participant, clientId, language: options.locale })
				.onConflictDoNothing()
				.returning({ id: surveyResponse.id });
			if (!response) return null;
			const rows = answerRows(questions, answers).map((a) => ({
				...a,
				responseId: response.id,
				surveyId: row.id,
				textState: a.text === null ? null : ('pending' as const)
			}));
			if (rows.length) await tx.insert(surveyAnswer).values(rows);
			return response.id;
		});
		if (id !== null) return { done: true, repeated: false };
	} catch (e) {
		await returnAllowance(db, 'surveys', participant, options.ip);
		throw e;
	}
	await returnAllowance(db, 'surveys', participant, options.ip);
	// Nothing stored: the same token a moment ago (that sending stands), or this participant's earlier response.
	const [same] = await db
		.select({ id: surveyResponse.id })
		.from(surveyResponse)
		.where(and(eq(surveyResponse.surveyId, row.id), eq(surveyResponse.clientId, clientId)));
	if (same) return { done: true, repeated: true };
	throw new SurveyRefused('answered');
}

/** A new survey in a space, with its address made from its title. */
export async function createSurvey(
	db: Database,
	actor: Actor,
	spaceSlug: string,
	form: FormData | Record<string, unknown>
): Promise<string> {
	const space = await readSpace(db, { slug: spaceSlug });
	await authorizeOn(actor, dialoguePolicy.runSpace, space.actors);
	return runCommand(db, actor, {
		rule: dialoguePolicy.participate,
		parse: () => readSurveyForm(form, []),
		work: async (tx, input) => {
			const base = slugify(input.title.sv ?? input.title.en ?? '', 60) || 'survey';
			const slug = await uniqueSlug(base, async (prefix) =>
				(
					await tx
						.select({ slug: survey.slug })
						.from(survey)
						.where(and(eq(survey.spaceId, space.id), like(survey.slug, `${prefix}%`)))
				).map((r) => r.slug)
			);
			const [made] = await tx
				.insert(survey)
				.values({ spaceId: space.id, slug, ...input })
				.returning({ id: survey.id });
			return {
				result: slug,
				audit: { action: 'survey.create', subject: `survey:${made!.id}`, after: { spaceId: space.id, slug } },
				public: false
			};
		}
	});
}

/**
 * What may not change once a survey has responses: which questions there are, their kinds, options
 * and conditions. As arrays: jsonb keeps an object's keys in an order of its own.
 */
const structure = (questions: SurveyQuestion[]) =>
	JSON.stringify(
		questions.map((q) => [
			q.key,
			q.kind,
			q.section,
			q.options.map((o) => o.key),
			q.scale && [q.scale.min, q.scale.max],
			q.condition && [q.condition.question, ...q.condition.options]
		])
	);

/** Saves a survey's settings and questions. Once answered, only wording, days and publishing may change. */
export async function saveSurvey(
	db: Database,
	actor: Actor,
	spaceSlug: string,
	surveySlug: string,
	form: FormData | Record<string, unknown>
): Promise<void> {
	const { space, survey: row } = await readSurvey(db, spaceSlug, surveySlug, actor);
	await authorizeOn(actor, dialoguePolicy.runSpace, space.actors);
	await runCommand(db, actor, {
		rule: dialoguePolicy.participate,
		parse: () => readSurveyForm(form, row.questions),
		work: async (tx, input) => {
			const [answered] = await tx
				.select({ n: count() })
				.from(surveyResponse)
				.where(eq(surveyResponse.surveyId, row.id));
			if ((answered?.n ?? 0) > 0 && structure(input.questions) !== structure(row.questions)) {
				throw new ValidationError([{ field: 'form', code: 'surveyAnsweredStructure' }], 'dialogue');
			}
			await tx
				.update(survey)
				.set({ ...input, updatedAt: new Date() })
				.where(eq(survey.id, row.id));
			return {
				result: undefined,
				audit: {
					action: 'survey.save',
					subject: `survey:${row.id}`,
					before: {
						opensOn: row.opensOn,
						closesOn: row.closesOn,
						resultsPublic: row.resultsPublic,
						questions: row.questions.length
					},
					after: {
						opensOn: input.opensOn,
						closesOn: input.closesOn,
						resultsPublic: input.resultsPublic,
						questions: input.questions.length
					}
				},
				public: false
			};
		}
	});
}

/** A moderator shows a free-text answer in the results, or keeps it hidden. */
export async function decideText(
	db: Database,
	actor: Actor,
	spaceSlug: string,
	surveySlug: string,
	form: FormData | Record<string, unknown>
): Promise<void> {
	const { space, survey: row } = await readSurvey(db, spaceSlug, surveySlug, actor);
	await authorizeOn(actor, dialoguePolicy.moderate, space.actors);
	await runCommand(db, actor, {
		rule: dialoguePolicy.participate,
		parse: () => readForm(form, textDecisionShape, 'dialogue'),
		work: async (tx, input) => {
			const changed = await tx
				.update(surveyAnswer)
				.set({ textState: input.state })
				.where(
					and(
						eq(surveyAnswer.surveyId, row.id),
						eq(surveyAnswer.responseId, input.response),
						eq(surveyAnswer.question, input.question),
						eq(surveyAnswer.item, '')
					)
				)
				.returning({ text: surveyAnswer.text });
			if (!changed.length || changed[0]!.text === null) {
				throw new ValidationError([{ field: 'form', code: 'invalid' }], 'dialogue');
			}
			return {
				result: undefined,
				audit: {
					action: `survey.text-${input.state}`,
					subject: `survey:${row.id}`,
					after: { response: input.response, question: input.question }
				},
				public: false
			};
		}
	});
}
