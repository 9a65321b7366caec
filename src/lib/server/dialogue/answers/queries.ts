import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { authorizeOn, mayOn, type Actor } from '../../kernel/policy.ts';
import { pick, type LocalizedText } from '../../kernel/localized.ts';
import { subquery } from '../../kernel/sql.ts';
import {
	answerTemplate,
	dialogueSpace,
	dialogueTeam,
	proposal,
	proposalAnswer,
	type AnswerState,
	type ModerationMode,
	type ProposalStatus,
	type SpaceTeamRole
} from '../schema.ts';
import { dialoguePolicy } from '../policy.ts';
import { readSpace, type SpaceRecord } from '../spaces/queries.ts';

/** What the actor may do in the space's work page. */
export interface WorkRights {
	answer: boolean;
	moderate: boolean;
}

export async function workRights(actor: Actor, space: Pick<SpaceRecord, 'actors'>): Promise<WorkRights> {
	const [answer, moderate] = await Promise.all([
		mayOn(actor, dialoguePolicy.answer, space.actors),
		mayOn(actor, dialoguePolicy.moderate, space.actors)
	]);
	return { answer, moderate };
}

// ---------------------------------------------------------------------------------------------
// The answerers' work

/** Statuses a proposal can be answered in (screened, refused and withdrawn ones cannot). */
export const answerableStatuses: readonly ProposalStatus[] = [
	'collecting',
	'to-answer',
	'answered',
	'not-reached'
];

export interface ProposalToAnswer {
	id: number;
	title: string;
	status: ProposalStatus;
	answerState: AnswerState | null;
	supportCount: number;
	answerDue: string | null;
	overdue: boolean;
	hasDraft: boolean;
}

export interface DraftAnswer {
	id: number;
	proposalId: number;
	proposalTitle: string;
	state: AnswerState;
	text: string;
	createdAt: string;
}

export interface TemplateRow {
	id: number;
	name: string;
	state: AnswerState;
	text: LocalizedText;
}

/** Proposals a page of the work list; the unpublished drafts stay at most `draftsMax`. */
export const workPageSize = 50;
export const draftsMax = 200;

/** A page of a list, with how many there are in all. */
export interface WorkPage<T> {
	rows: T[];
	total: number;
	page: number;
	pages: number;
}

/**
 * The answerers' list: proposals waiting for an answer (threshold reached, or answered as
 * "evaluating" and so still open), overdue first then by deadline; whether each has a draft.
 * A page of `workPageSize`, read through `proposal_answer_work_idx` (only the waiting ones).
 */
export async function proposalsToAnswer(
	db: Database,
	spaceId: number,
	page = 1
): Promise<WorkPage<ProposalToAnswer>> {
	const p = proposal;
	const a = proposalAnswer;
	const overdue = sql<boolean>`coalesce(${p.answerDue} < now() and ${p.status} = 'to-answer', false)`;
	const rows = await db
		.select({
			id: p.id,
			title: p.title,
			status: p.status,
			answerState: p.answerState,
			supportCount: p.supportCount,
			answerDue: p.answerDue,
			overdue,
			hasDraft: subquery<boolean>(
				sql`select exists (select 1 from ${a} where ${a.proposalId} = ${p.id} and ${a.publishedAt} is null)`
			),
			total: sql<number>`(count(*) over ())::int`
		})
		.from(p)
		.where(
			and(
				eq(p.spaceId, spaceId),
				eq(p.hidden, false),
				sql`(${p.status} = 'to-answer' or (${p.status} = 'answered' and ${p.answerState} = 'evaluating'))`
			)
		)
		.orderBy(desc(overdue), sql`${p.answerDue} asc nulls last`, asc(p.createdAt), asc(p.id))
		.limit(workPageSize)
		.offset((page - 1) * workPageSize);
	const total = rows[0]?.total ?? 0;
	return {
		rows: rows.map(({ total: _, ...r }) => ({ ...r, answerDue: r.answerDue?.toISOString() ?? null })),
		total,
		page,
		pages: Math.max(1, Math.ceil(total / workPageSize))
	};
}

/** The space's unpublished answers, oldest first, with their proposal's title. */
export async function draftsIn(db: Database, spaceId: number, locale: string): Promise<DraftAnswer[]> {
	const a = proposalAnswer;
	const rows = await db
		.select({
			id: a.id,
			proposalId: a.proposalId,
			proposalTitle: proposal.title,
			state: a.state,
			text: a.text,
			createdAt: a.createdAt
		})
		.from(a)
		.innerJoin(proposal, eq(proposal.id, a.proposalId))
		.where(and(eq(proposal.spaceId, spaceId), isNull(a.publishedAt)))
		.orderBy(asc(a.createdAt), asc(a.id))
		.limit(draftsMax);
	return rows.map((r) => ({ ...r, text: pick(r.text, locale), createdAt: r.createdAt.toISOString() }));
}

export async function templatesIn(db: Database | Transaction, spaceId: number): Promise<TemplateRow[]> {
	return db
		.select({
			id: answerTemplate.id,
			name: answerTemplate.name,
			state: answerTemplate.state,
			text: answerTemplate.text
		})
		.from(answerTemplate)
		.where(eq(answerTemplate.spaceId, spaceId))
		.orderBy(asc(answerTemplate.name), asc(answerTemplate.id));
}

/** The answerers' page of a space, as read by the page (403 unless the actor answers there). */
export async function answerWork(
	db: Database,
	actor: Actor,
	read: string | SpaceRecord,
	locale: string,
	page = 1
) {
	const space = typeof read === 'string' ? await readSpace(db, { slug: read }) : read;
	await authorizeOn(actor, dialoguePolicy.answer, space.actors);
	const [toAnswer, drafts, templates] = await Promise.all([
		proposalsToAnswer(db, space.id, page),
		draftsIn(db, space.id, locale),
		templatesIn(db, space.id)
	]);
	return { space, toAnswer, drafts, templates };
}

/** The answerers' templates page of a space. */
export async function templateWork(db: Database, actor: Actor, slug: string) {
	const space = await readSpace(db, { slug });
	await authorizeOn(actor, dialoguePolicy.answer, space.actors);
	return { space, templates: await templatesIn(db, space.id) };
}

export interface AnswerFormValues {
	answer?: string;
	proposal: string;
	state: AnswerState;
	decisionUrl: string;
	[field: string]: string | undefined;
}

/**
 * One proposal to answer: the proposal, its published answers (newest first), and the form's
 * values: the draft if there is one, else the template asked for, else the latest published answer.
 */
export async function answerPage(
	db: Database,
	actor: Actor,
	slug: string,
	proposalId: number,
	options: { template?: number }
) {
	const space = await readSpace(db, { slug });
	await authorizeOn(actor, dialoguePolicy.answer, space.actors);
	const p = proposal;
	const [found] = await db
		.select({
			id: p.id,
			title: p.title,
			body: p.body,
			status: p.status,
			answerState: p.answerState,
			supportCount: p.supportCount,
			answerDue: p.answerDue,
			hidden: p.hidden
		})
		.from(p)
		.where(and(eq(p.id, proposalId), eq(p.spaceId, space.id)));
	if (!found) throw new NotFoundError('Proposal');
	const [answers, templates] = await Promise.all([
		db
			.select()
			.from(proposalAnswer)
			.where(eq(proposalAnswer.proposalId, proposalId))
			.orderBy(sql`${proposalAnswer.publishedAt} desc nulls first`, desc(proposalAnswer.id)),
		templatesIn(db, space.id)
	]);
	const draft = answers.find((a) => a.publishedAt === null);
	const published = answers.filter((a) => a.publishedAt !== null);
	const template =
		options.template === undefined ? undefined : templates.find((t) => t.id === options.template);
	if (options.template !== undefined && !template) throw new NotFoundError('Answer template');
	const from = template ?? draft ?? published[0];
	const values: AnswerFormValues = {
		proposal: String(found.id),
		answer: draft ? String(draft.id) : undefined,
		state: from?.state ?? 'evaluating',
		decisionUrl: (!template && (draft ?? published[0])?.decisionUrl) || ''
	};
	for (const language of space.languages) {
		values[`text_${language}`] = from?.text[language] ?? '';
		values[`decidedBy_${language}`] = (draft ?? published[0])?.decidedBy[language] ?? '';
	}
	return {
		space,
		proposal: {
			...found,
			answerDue: found.answerDue?.toISOString() ?? null,
			answerable: answerableStatuses.includes(found.status)
		},
		published: published.map((a) => ({
			id: a.id,
			state: a.state,
			text: a.text,
			decidedBy: a.decidedBy,
			decisionUrl: a.decisionUrl,
			publishedAt: a.publishedAt!.toISOString()
		})),
		templates: templates.map((t) => ({ id: t.id, name: t.name })),
		values
	};
}

/** Drafts by id with their proposal, for publishing (locked in the caller's transaction). */
export async function draftsForPublishing(tx: Transaction, ids: number[]) {
	return tx
		.select({
			id: proposalAnswer.id,
			proposalId: proposalAnswer.proposalId,
			state: proposalAnswer.state,
			publishedAt: proposalAnswer.publishedAt,
			spaceId: proposal.spaceId,
			status: proposal.status
		})
		.from(proposalAnswer)
		.innerJoin(proposal, eq(proposal.id, proposalAnswer.proposalId))
		.where(inArray(proposalAnswer.id, ids))
		.orderBy(asc(proposalAnswer.proposalId), asc(proposalAnswer.id))
		.for('update');
}
