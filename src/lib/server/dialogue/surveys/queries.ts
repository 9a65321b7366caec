import { and, asc, count, countDistinct, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { pick } from '../../kernel/localized.ts';
import { can, mayOn, type Actor } from '../../kernel/policy.ts';
import { user } from '../../accounts/schema.ts';
import { dialoguePolicy } from '../policy.ts';
import { today } from '../spaces/listing.ts';
import { readSpace, type SpaceRecord } from '../spaces/queries.ts';
import type { Standing } from '../participation.ts';
import { survey, surveyAnswer, surveyResponse, type SurveyQuestion } from './schema.ts';

// Reads of surveys: a space's list, one survey as its answer page needs it (with whether this
// person may answer now), its results (counted in the database, one query for the choices and
// one for the texts) and its responses for the downloads.

type Reader = Database | Transaction;

export type SurveyRow = typeof survey.$inferSelect;

/** Why a person may not answer now, in the order asked; null when they may. */
export type SurveyRefusal =
	| 'spaceClosed'
	| 'notYet'
	| 'closed'
	| 'signIn'
	| 'blocked'
	| 'unverifiedEmail'
	| 'residentsOnly'
	| 'answered';

/** The gate of answering: the survey's days and the space, then who asks (pure; `answered` read by the caller). */
export function surveyRefusal(
	space: Pick<SpaceRecord, 'status'>,
	row: Pick<SurveyRow, 'opensOn' | 'closesOn' | 'respondents'>,
	actor: Actor,
	standing: Standing | null,
	answered: boolean,
	day = today()
): SurveyRefusal | null {
	if (space.status !== 'open') return 'spaceClosed';
	if (day < row.opensOn) return 'notYet';
	if (day > row.closesOn) return 'closed';
	if (row.respondents === 'anyone') return null;
	if (!actor || !can(actor, dialoguePolicy.participate) || !standing) return 'signIn';
	if (standing.blocked) return 'blocked';
	if (!standing.emailVerified) return 'unverifiedEmail';
	if (row.respondents === 'verified-resident' && !standing.resident) return 'residentsOnly';
	if (answered) return 'answered';
	return null;
}

/** The space and one of its surveys, or a 404 (a draft space's surveys only for whoever runs it). */
export async function readSurvey(db: Reader, spaceSlug: string, surveySlug: string, actor: Actor) {
	const space = await readSpace(db, { slug: spaceSlug }, actor ? { standingOf: actor } : {});
	const [row] = await db
		.select()
		.from(survey)
		.where(and(eq(survey.spaceId, space.id), eq(survey.slug, surveySlug)));
	if (!row) throw new NotFoundError('Survey');
	const runs = await mayOn(actor, dialoguePolicy.runSpace, space.actors);
	if (space.status === 'draft' && !runs) throw new NotFoundError('Survey');
	return { space, survey: row, runs };
}

/** Whether this participant has answered the survey. */
export async function hasAnswered(db: Reader, surveyId: number, actor: Actor): Promise<boolean> {
	if (!actor) return false;
	const [row] = await db
		.select({ id: surveyResponse.id })
		.from(surveyResponse)
		.where(and(eq(surveyResponse.surveyId, surveyId), eq(surveyResponse.participantId, actor.id)));
	return !!row;
}

/** A space's surveys for its page: open ones first, each with its days and responses. */
export async function spaceSurveys(db: Reader, spaceId: number, locale: string) {
	const rows = await db
		.select({
			slug: survey.slug,
			title: survey.title,
			opensOn: survey.opensOn,
			closesOn: survey.closesOn,
			resultsPublic: survey.resultsPublic,
			responses: sql<number>`(select count(*)::int from ${surveyResponse} where ${surveyResponse.surveyId} = ${survey.id})`
		})
		.from(survey)
		.where(eq(survey.spaceId, spaceId))
		.orderBy(desc(survey.closesOn), asc(survey.id));
	const day = today();
	return rows.map((r) => ({
		...r,
		title: pick(r.title, locale),
		open: r.opensOn <= day && day <= r.closesOn
	}));
}

/** Counted answers: per question and item, per value (scales, ranks), and how many answered each question. */
export async function countedAnswers(db: Reader, surveyId: number) {
	const [cells, answered, [total]] = await Promise.all([
		db
			.select({
				question: surveyAnswer.question,
				item: surveyAnswer.item,
				value: surveyAnswer.value,
				n: count()
			})
			.from(surveyAnswer)
			.where(and(eq(surveyAnswer.surveyId, surveyId), isNull(surveyAnswer.textState)))
			.groupBy(surveyAnswer.question, surveyAnswer.item, surveyAnswer.value),
		db
			.select({ question: surveyAnswer.question, n: countDistinct(surveyAnswer.responseId) })
			.from(surveyAnswer)
			.where(eq(surveyAnswer.surveyId, surveyId))
			.groupBy(surveyAnswer.question),
		db.select({ n: count() }).from(surveyResponse).where(eq(surveyResponse.surveyId, surveyId))
	]);
	return { cells, answered: new Map(answered.map((a) => [a.question, a.n])), responses: total?.n ?? 0 };
}

/** The free-text answers moderators have shown, newest first, at most `limit` per question. */
export async function shownTexts(db: Reader, surveyId: number, limit = 50) {
	const ranked = db
		.select({
			question: surveyAnswer.question,
			text: surveyAnswer.text,
			language: surveyResponse.language,
			place:
				sql<number>`row_number() over (partition by ${surveyAnswer.question} order by ${surveyAnswer.responseId} desc)`.as(
					'place'
				)
		})
		.from(surveyAnswer)
		.innerJoin(surveyResponse, eq(surveyResponse.id, surveyAnswer.responseId))
		.where(and(eq(surveyAnswer.surveyId, surveyId), eq(surveyAnswer.textState, 'shown')))
		.as('ranked');
	return db
		.select({ question: ranked.question, text: ranked.text, language: ranked.language })
		.from(ranked)
		.where(sql`${ranked.place} <= ${limit}`);
}

/** Free-text answers waiting for a moderator, oldest first. */
export async function pendingTexts(db: Reader, surveyId: number, limit = 100) {
	return db
		.select({
			response: surveyAnswer.responseId,
			question: surveyAnswer.question,
			text: surveyAnswer.text,
			language: surveyResponse.language
		})
		.from(surveyAnswer)
		.innerJoin(surveyResponse, eq(surveyResponse.id, surveyAnswer.responseId))
		.where(and(eq(surveyAnswer.surveyId, surveyId), eq(surveyAnswer.textState, 'pending')))
		.orderBy(asc(surveyAnswer.responseId))
		.limit(limit);
}

/**
 * Every response with its answers, for the downloads. `full` (the space's own people) adds who
 * answered and every free text; the public file has neither names nor unmoderated text.
 */
export async function responsesForDownload(db: Reader, surveyId: number, full: boolean) {
	const responses = await db
		.select({
			id: surveyResponse.id,
			language: surveyResponse.language,
			submittedAt: surveyResponse.submittedAt,
			name: full ? user.name : sql<null>`null`,
			email: full ? user.email : sql<null>`null`
		})
		.from(surveyResponse)
		.leftJoin(user, eq(user.id, surveyResponse.participantId))
		.where(eq(surveyResponse.surveyId, surveyId))
		.orderBy(asc(surveyResponse.id));
	const answers = await db
		.select({
			responseId: surveyAnswer.responseId,
			question: surveyAnswer.question,
			item: surveyAnswer.item,
			value: surveyAnswer.value,
			text: surveyAnswer.text,
			textState: surveyAnswer.textState
		})
		.from(surveyAnswer)
		.where(eq(surveyAnswer.surveyId, surveyId));
	const byResponse = new Map<number, typeof answers>();
	for (const a of answers) {
		if (a.textState && a.textState !== 'shown' && !full) continue;
		const list = byResponse.get(a.responseId) ?? [];
		list.push(a);
		byResponse.set(a.responseId, list);
	}
	return responses.map((r) => ({ ...r, answers: byResponse.get(r.id) ?? [] }));
}

/** The questions' texts in a language, by key. */
export const questionTexts = (questions: SurveyQuestion[], locale: string) =>
	new Map(questions.map((q) => [q.key, pick(q.text, locale)]));
