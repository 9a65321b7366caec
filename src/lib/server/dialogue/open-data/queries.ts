import { and, asc, desc, eq, inArray, isNotNull, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { QueryBuilder } from 'drizzle-orm/pg-core';
import type { Database } from '../../kernel/database.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import type { LocalizedText } from '../../kernel/localized.ts';
import { user } from '../../accounts/schema.ts';
import { organization } from '../../organizations/schema.ts';
import { partnership, partnershipMember } from '../../partnerships/schema.ts';
import {
	dialogueComment,
	dialogueSpace,
	proposal,
	proposalAnswer,
	proposalEvent,
	type AnswerState,
	type ProposalEventKind,
	type Stance
} from '../schema.ts';
import { publicProposalStatuses } from '../spaces/input.ts';
import type { CommentFilter, ProposalFilter } from './input.ts';

/**
 * The reads of the dialogue's open data: only what anyone may see on the pages. Never a draft
 * space, never a proposal in screening or refused (nor comments on one), never the text of a
 * hidden proposal or comment (its public reason instead), never a deleted comment's text or
 * name, only published answers. People appear by the name they show, or as a former participant
 * (null here); no user ids, no addresses. Those rules are applied here, in the rows, so that no
 * view of them can leak what they leave out. Each list is one query.
 */

export type PublicStatus = (typeof publicProposalStatuses)[number];

/** A space as the open data names it. */
export interface SpaceRef {
	id: number;
	slug: string;
	title: LocalizedText;
	/** When the space itself was last changed (a feed without entries is as new as that). */
	updatedAt: Date;
}

export interface ProposalRecord {
	id: number;
	space: { slug: string; title: LocalizedText };
	/** Null when hidden, as are body, place and point. */
	title: string | null;
	body: string | null;
	language: string;
	placeName: string | null;
	lat: number | null;
	lon: number | null;
	/** The name the author shows; null for a former participant (a deleted account). */
	author: string | null;
	status: PublicStatus;
	answerState: AnswerState | null;
	supportCount: number;
	commentCount: number;
	collectUntil: Date;
	thresholdReachedAt: Date | null;
	answerDue: Date | null;
	firstAnsweredAt: Date | null;
	createdAt: Date;
	editedAt: Date | null;
	hidden: boolean;
	/** The public reason; null when shown, or hidden by flags until a moderator decides. */
	hiddenReason: string | null;
}

export type CommentState = 'shown' | 'hidden' | 'deleted';

export interface CommentRecord {
	id: number;
	space: string;
	/** Null for a comment in the space's own debate. */
	proposalId: number | null;
	parentId: number | null;
	depth: number;
	/** Null for a former participant, and for a deleted comment. */
	author: string | null;
	/** True when the comment's author deleted their account (its text stays). */
	formerParticipant: boolean;
	stance: Stance | null;
	state: CommentState;
	/** Only a shown comment's text. */
	body: string | null;
	hiddenReason: string | null;
	createdAt: Date;
	editedAt: Date | null;
}

export interface AnswerRecord {
	id: number;
	proposalId: number;
	state: AnswerState;
	text: LocalizedText;
	decidedBy: LocalizedText;
	decisionUrl: string | null;
	publishedAt: Date;
}

export interface EventRecord {
	proposalId: number;
	kind: ProposalEventKind;
	at: Date;
	/** What the step carries: the answer's state, the public reason, who hid it, supports, from where. */
	detail: Record<string, string>;
}

const qb = new QueryBuilder();
export const publicStatusList = [...publicProposalStatuses];
export const listedSpace = ne(dialogueSpace.status, 'draft');
const publicProposal = and(listedSpace, inArray(proposal.status, publicStatusList))!;

// ---------------------------------------------------------------------------------------------
// Proposals

const proposalColumns = {
	id: proposal.id,
	spaceSlug: dialogueSpace.slug,
	spaceTitle: dialogueSpace.title,
	title: proposal.title,
	body: proposal.body,
	language: proposal.language,
	placeName: proposal.placeName,
	lat: proposal.lat,
	lon: proposal.lon,
	author: user.name,
	status: proposal.status,
	answerState: proposal.answerState,
	supportCount: proposal.supportCount,
	commentCount: proposal.commentCount,
	collectUntil: proposal.collectUntil,
	thresholdReachedAt: proposal.thresholdReachedAt,
	answerDue: proposal.answerDue,
	firstAnsweredAt: proposal.firstAnsweredAt,
	createdAt: proposal.createdAt,
	editedAt: proposal.editedAt,
	hidden: proposal.hidden,
	hiddenReason: proposal.hiddenReason
};

export const proposalsFrom = (db: Database) =>
	db
		.select(proposalColumns)
		.from(proposal)
		.innerJoin(dialogueSpace, eq(dialogueSpace.id, proposal.spaceId))
		.leftJoin(user, eq(user.id, proposal.authorId));
type ProposalRow = Awaited<ReturnType<typeof proposalsFrom>>[number];

/** A row as the public may see it: a hidden proposal keeps its figures and dates, not its words. */
export function proposalRecord(r: ProposalRow): ProposalRecord {
	const shown = !r.hidden;
	return {
		id: r.id,
		space: { slug: r.spaceSlug, title: r.spaceTitle },
		title: shown ? r.title : null,
		body: shown ? r.body : null,
		language: r.language,
		placeName: shown ? r.placeName : null,
		lat: shown ? r.lat : null,
		lon: shown ? r.lon : null,
		author: r.author,
		status: r.status as PublicStatus,
		answerState: r.answerState,
		supportCount: r.supportCount,
		commentCount: r.commentCount,
		collectUntil: r.collectUntil,
		thresholdReachedAt: r.thresholdReachedAt,
		answerDue: r.answerDue,
		firstAnsweredAt: r.firstAnsweredAt,
		createdAt: r.createdAt,
		editedAt: r.editedAt,
		hidden: r.hidden,
		hiddenReason: r.hidden ? r.hiddenReason : null
	};
}

/** The organization's own spaces, and those of the partnerships it is a member of. */
function ownedByOrganization(slug: string): SQL {
	const bySlug = qb.select({ id: organization.id }).from(organization).where(eq(organization.slug, slug));
	return or(
		inArray(dialogueSpace.organizationId, bySlug),
		inArray(
			dialogueSpace.partnershipId,
			qb
				.select({ id: partnershipMember.partnershipId })
				.from(partnershipMember)
				.innerJoin(organization, eq(organization.id, partnershipMember.organizationId))
				.where(eq(organization.slug, slug))
		)
	)!;
}

function proposalConditions(filter: Omit<ProposalFilter, 'sort' | 'page' | 'perPage'>): SQL {
	const where: SQL[] = [publicProposal];
	if (filter.space) where.push(eq(dialogueSpace.slug, filter.space));
	if (filter.status) where.push(eq(proposal.status, filter.status));
	if (filter.answerState) where.push(eq(proposal.answerState, filter.answerState));
	if (filter.organization) where.push(ownedByOrganization(filter.organization));
	if (filter.partnership) {
		where.push(
			inArray(
				dialogueSpace.partnershipId,
				qb.select({ id: partnership.id }).from(partnership).where(eq(partnership.slug, filter.partnership))
			)
		);
	}
	return and(...where)!;
}

export interface Page<T> {
	items: T[];
	total: number;
	page: number;
	perPage: number;
}

/** A page of public proposals (hidden ones too, without their words), newest or most supported first. */
export async function listProposals(db: Database, filter: ProposalFilter): Promise<Page<ProposalRecord>> {
	const rows = await db
		.select({ ...proposalColumns, total: sql<number>`(count(*) over ())::int` })
		.from(proposal)
		.innerJoin(dialogueSpace, eq(dialogueSpace.id, proposal.spaceId))
		.leftJoin(user, eq(user.id, proposal.authorId))
		.where(proposalConditions(filter))
		.orderBy(
			...(filter.sort === 'supported' ? [desc(proposal.supportCount)] : []),
			desc(proposal.createdAt),
			desc(proposal.id)
		)
		.limit(filter.perPage)
		.offset((filter.page - 1) * filter.perPage);
	return {
		items: rows.map(proposalRecord),
		total: rows[0]?.total ?? (filter.page > 1 ? await countProposals(db, filter) : 0),
		page: filter.page,
		perPage: filter.perPage
	};
}

/** How many there are, for a page past the end (its rows carry no count). */
async function countProposals(db: Database, filter: ProposalFilter): Promise<number> {
	const [row] = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(proposal)
		.innerJoin(dialogueSpace, eq(dialogueSpace.id, proposal.spaceId))
		.where(proposalConditions(filter));
	return row?.n ?? 0;
}

export interface ProposalDetail {
	proposal: ProposalRecord;
	/** Published answers, newest first. */
	answers: AnswerRecord[];
	/** The public history, oldest first. */
	history: EventRecord[];
}

/** One public proposal with its published answers and its history; NotFoundError otherwise. */
export async function getProposal(db: Database, id: number): Promise<ProposalDetail> {
	const [[row], answers, history] = await Promise.all([
		proposalsFrom(db).where(and(eq(proposal.id, id), publicProposal)),
		publishedAnswers(db, eq(proposalAnswer.proposalId, id), 'newest'),
		events(db, eq(proposalEvent.proposalId, id))
	]);
	if (!row) throw new NotFoundError('Proposal');
	return { proposal: proposalRecord(row), answers, history };
}

// ---------------------------------------------------------------------------------------------
// Answers and history

export function publishedAnswers(
	db: Database,
	where: SQL,
	order: 'newest' | 'oldest'
): Promise<AnswerRecord[]> {
	return db
		.select({
			id: proposalAnswer.id,
			proposalId: proposalAnswer.proposalId,
			state: proposalAnswer.state,
			text: proposalAnswer.text,
			decidedBy: proposalAnswer.decidedBy,
			decisionUrl: proposalAnswer.decisionUrl,
			publishedAt: sql<Date>`${proposalAnswer.publishedAt}`.mapWith(proposalAnswer.publishedAt)
		})
		.from(proposalAnswer)
		.where(and(where, isNotNull(proposalAnswer.publishedAt)))
		.orderBy(
			order === 'newest' ? desc(proposalAnswer.publishedAt) : asc(proposalAnswer.publishedAt),
			order === 'newest' ? desc(proposalAnswer.id) : asc(proposalAnswer.id)
		);
}

export function events(db: Database, where: SQL): Promise<EventRecord[]> {
	return db
		.select({
			proposalId: proposalEvent.proposalId,
			kind: proposalEvent.kind,
			at: proposalEvent.at,
			detail: proposalEvent.detail
		})
		.from(proposalEvent)
		.where(where)
		.orderBy(asc(proposalEvent.proposalId), asc(proposalEvent.at), asc(proposalEvent.id));
}

// ---------------------------------------------------------------------------------------------
// Comments

const commentColumns = {
	id: dialogueComment.id,
	space: dialogueSpace.slug,
	proposalId: dialogueComment.proposalId,
	parentId: dialogueComment.parentId,
	depth: dialogueComment.depth,
	authorId: dialogueComment.authorId,
	author: user.name,
	body: dialogueComment.body,
	stance: dialogueComment.stance,
	createdAt: dialogueComment.createdAt,
	editedAt: dialogueComment.editedAt,
	deletedAt: dialogueComment.deletedAt,
	hidden: dialogueComment.hidden,
	hiddenReason: dialogueComment.hiddenReason
};

export const commentsFrom = (db: Database) =>
	db
		.select(commentColumns)
		.from(dialogueComment)
		.innerJoin(dialogueSpace, eq(dialogueSpace.id, dialogueComment.spaceId))
		.leftJoin(proposal, eq(proposal.id, dialogueComment.proposalId))
		.leftJoin(user, eq(user.id, dialogueComment.authorId));
type CommentRow = Awaited<ReturnType<typeof commentsFrom>>[number];

export function commentRecord(r: CommentRow): CommentRecord {
	const state: CommentState = r.deletedAt ? 'deleted' : r.hidden ? 'hidden' : 'shown';
	return {
		id: r.id,
		space: r.space,
		proposalId: r.proposalId,
		parentId: r.parentId,
		depth: r.depth,
		// A deleted comment keeps no name, as on the page.
		author: state === 'deleted' ? null : r.author,
		formerParticipant: state !== 'deleted' && r.authorId === null,
		stance: state === 'shown' ? r.stance : null,
		state,
		body: state === 'shown' ? r.body : null,
		hiddenReason: state === 'hidden' ? r.hiddenReason : null,
		createdAt: r.createdAt,
		editedAt: r.editedAt
	};
}

/**
 * Comments in a listed space's debate, or on a public proposal; never one held for screening (its
 * author's alone, until a moderator approves it). Every read of comments here starts from it.
 */
export const publicComment = and(
	listedSpace,
	eq(dialogueComment.screening, false),
	or(isNull(dialogueComment.proposalId), inArray(proposal.status, publicStatusList))
)!;

function commentConditions(filter: Omit<CommentFilter, 'page' | 'perPage'>): SQL {
	const where: SQL[] = [publicComment];
	if (filter.space) where.push(eq(dialogueSpace.slug, filter.space));
	if (filter.proposal) where.push(eq(dialogueComment.proposalId, filter.proposal));
	return and(...where)!;
}

/** A page of public comments in the order they were written (so pages stay put as more come). */
export async function listComments(db: Database, filter: CommentFilter): Promise<Page<CommentRecord>> {
	const rows = await db
		.select({ ...commentColumns, total: sql<number>`(count(*) over ())::int` })
		.from(dialogueComment)
		.innerJoin(dialogueSpace, eq(dialogueSpace.id, dialogueComment.spaceId))
		.leftJoin(proposal, eq(proposal.id, dialogueComment.proposalId))
		.leftJoin(user, eq(user.id, dialogueComment.authorId))
		.where(commentConditions(filter))
		.orderBy(asc(dialogueComment.id))
		.limit(filter.perPage)
		.offset((filter.page - 1) * filter.perPage);
	let total = rows[0]?.total ?? 0;
	if (!rows.length && filter.page > 1) {
		const [row] = await db
			.select({ n: sql<number>`count(*)::int` })
			.from(dialogueComment)
			.innerJoin(dialogueSpace, eq(dialogueSpace.id, dialogueComment.spaceId))
			.leftJoin(proposal, eq(proposal.id, dialogueComment.proposalId))
			.where(commentConditions(filter));
		total = row?.n ?? 0;
	}
	return { items: rows.map(commentRecord), total, page: filter.page, perPage: filter.perPage };
}
