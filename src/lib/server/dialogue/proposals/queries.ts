import { and, asc, desc, eq, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { ForbiddenError, NotFoundError } from '../../kernel/errors.ts';
import { pick } from '../../kernel/localized.ts';
import { can, mayOn, type Actor } from '../../kernel/policy.ts';
import { user } from '../../accounts/schema.ts';
import { media } from '../../media/schema.ts';
import { photoColumns, photoView, type ProposalPhoto } from './photos.ts';
import {
	dialoguePhase,
	dialogueSpace,
	editWindowMinutes,
	proposal,
	proposalAnswer,
	proposalEvent,
	proposalSupport,
	type AnswerState,
	type InputKind,
	type ModerationMode,
	type ProposalEventKind,
	type ProposalStatus,
	type Requirements,
	type SpaceStatus
} from '../schema.ts';
import { dialoguePolicy } from '../policy.ts';
import { readSpace, type SpaceRecord } from '../spaces/queries.ts';
import { decide, refusalOf, type Refusal as GateRefusal } from '../participation.ts';
import { answerableStatuses } from '../answers/queries.ts';
import { publicProposalStatuses } from '../../../dialogue-values.ts';

// Reads of proposals: the space a proposal is written in (and whether the reader may take part
// there now), similar titles while writing, and the proposal's own page in a handful of queries.

type Reader = Database | Transaction;

/** What writing or supporting in a space depends on. */
export interface InputSpace {
	id: number;
	slug: string;
	title: string;
	status: SpaceStatus;
	moderation: ModerationMode;
	requirements: Requirements;
	supportThreshold: number;
	supportWindowDays: number;
	answerDays: number;
	/** The input the phases running today open. */
	opens: InputKind[];
}

export const publicStatuses: ProposalStatus[] = [...publicProposalStatuses];
/** Supports count while a proposal is in one of these (and before `collect_until`). */
export const supportableStatuses: ProposalStatus[] = ['collecting', 'to-answer'];

/** A space open to the public (not a draft), by its address, with what today's phases open. */
export async function inputSpace(db: Reader, slug: string, locale: string): Promise<InputSpace> {
	return publicSpace(await readSpace(db, { slug }), locale);
}

/** The space as input sees it: 404 while it is a draft. */
function publicSpace(space: SpaceRecord, locale: string): InputSpace {
	if (space.status === 'draft') throw new NotFoundError('Dialogue space');
	return {
		id: space.id,
		slug: space.slug,
		title: pick(space.title, locale),
		status: space.status,
		moderation: space.moderation,
		requirements: space.requirements,
		supportThreshold: space.supportThreshold,
		supportWindowDays: space.supportWindowDays,
		answerDays: space.answerDays,
		opens: space.opens
	};
}

/**
 * Why the actor may not give this kind of input in the space now, or null when they may: the
 * dialogue's one gate (`participation.ts`). Pages know one reason less: an account whose address
 * is no longer verified is sent to sign in again (signing in asks for the address first), while
 * the commands refuse it with its own message.
 */
export type Refusal = Exclude<GateRefusal, 'unverifiedEmail'>;

export async function participationRefusal(
	db: Reader,
	actor: Actor,
	space: InputSpace,
	kind: InputKind
): Promise<Refusal | null> {
	const refusal = await refusalOf(db, actor, space, kind);
	return refusal === 'unverifiedEmail' ? 'signIn' : refusal;
}

export interface SimilarProposal {
	id: number;
	title: string;
	status: ProposalStatus;
	supportCount: number;
}

/** How alike two titles must be (pg_trgm's similarity, 0–1) to be shown as a possible duplicate. */
export const similarityThreshold = 0.3;

/**
 * Public proposals in the space whose titles are like this one (trigram similarity), most alike
 * first, at most `limit`. Read among the space's proposals only (its index), not the platform's.
 */
export async function similarProposals(
	db: Reader,
	spaceId: number,
	title: string,
	limit = 5
): Promise<SimilarProposal[]> {
	const score = sql<number>`similarity(${proposal.title}, ${title})`;
	return db
		.select({
			id: proposal.id,
			title: proposal.title,
			status: proposal.status,
			supportCount: proposal.supportCount
		})
		.from(proposal)
		.where(
			and(
				eq(proposal.spaceId, spaceId),
				inArray(proposal.status, publicStatuses),
				ne(proposal.status, 'withdrawn'),
				eq(proposal.hidden, false),
				sql`${score} >= ${similarityThreshold}`
			)
		)
		.orderBy(desc(score), desc(proposal.supportCount))
		.limit(limit);
}

/** Whether the author may still edit: within the window, before any support or comment. */
export function editWindowOpen(
	p: { status: ProposalStatus; createdAt: Date; supportCount: number; commentCount: number },
	now = new Date()
): boolean {
	return (
		(p.status === 'screening' || p.status === 'collecting') &&
		p.supportCount === 0 &&
		p.commentCount === 0 &&
		now.getTime() - p.createdAt.getTime() <= editWindowMinutes * 60_000
	);
}

/** Whether the author may withdraw it: while it waits for screening, supports or an answer. */
export const withdrawable = (status: ProposalStatus) =>
	status === 'screening' || status === 'collecting' || status === 'to-answer';

/**
 * A moderator of this space (the policy's `moderate`: editors, its moderators, whoever runs it):
 * they see what is not yet public, to screen it.
 */
export async function moderatesSpace(actor: Actor, space: Pick<SpaceRecord, 'actors'>): Promise<boolean> {
	if (!actor) return false;
	return can(actor, dialoguePolicy.moderate) || (await mayOn(actor, dialoguePolicy.moderate, space.actors));
}

export interface ProposalView {
	id: number;
	space: { slug: string; title: string };
	/** Null when hidden: the public reason stands instead. */
	title: string | null;
	body: string | null;
	placeName: string | null;
	/** Null when it has none, or is hidden. */
	photo: ProposalPhoto | null;
	language: string;
	/** The author's display name; null for a former participant. */
	author: string | null;
	status: ProposalStatus;
	answerState: AnswerState | null;
	supportCount: number;
	supportThreshold: number;
	collectUntil: string;
	answerDue: string | null;
	createdAt: string;
	editedAt: string | null;
	hidden: boolean;
	hiddenReason: string | null;
	history: { kind: ProposalEventKind; at: string; detail: Record<string, string> }[];
	answers: {
		id: number;
		state: AnswerState;
		text: string;
		decidedBy: string;
		decisionUrl: string | null;
		publishedAt: string;
	}[];
	/** What the reader may do here. */
	reader: {
		isAuthor: boolean;
		supported: boolean;
		/** Why they cannot support it now, or null when they can (or already did). */
		supportRefusal: Refusal | 'notCollecting' | 'ownProposal' | null;
		canEdit: boolean;
		canWithdraw: boolean;
		/** An answerer of the space (the policy's `answer`), and the proposal can be answered. */
		canAnswer: boolean;
	};
}

/**
 * The space a proposal's page shows, read once for the page and its comment thread: with the
 * reader's standing and the proposal (`readSpace`).
 */
export const proposalSpace = (db: Reader, actor: Actor, slug: string, id: number) =>
	readSpace(db, { slug }, { standingOf: actor ?? undefined, proposal: id });

/**
 * A proposal's page: the proposal in its space (by its address, or as `proposalSpace` read it for
 * the page and its thread: another space's id is not found), its history, its published answers newest first, and what the reader may do.
 * Not yet public (screening, refused): only its author and the space's moderators see it.
 * Four reads whatever the proposal's size (five for a signed-in reader), the space's included.
 */
export async function proposalPage(
	db: Database,
	actor: Actor,
	place: string | SpaceRecord,
	id: number,
	locale: string
): Promise<ProposalView> {
	const read = typeof place === 'string' ? await proposalSpace(db, actor, place, id) : place;
	const space = publicSpace(read, locale);
	const [row] = await db
		.select({
			id: proposal.id,
			authorId: proposal.authorId,
			author: user.name,
			title: proposal.title,
			body: proposal.body,
			placeName: proposal.placeName,
			language: proposal.language,
			status: proposal.status,
			answerState: proposal.answerState,
			supportCount: proposal.supportCount,
			commentCount: proposal.commentCount,
			collectUntil: proposal.collectUntil,
			answerDue: proposal.answerDue,
			createdAt: proposal.createdAt,
			editedAt: proposal.editedAt,
			hidden: proposal.hidden,
			hiddenReason: proposal.hiddenReason,
			...photoColumns
		})
		.from(proposal)
		.leftJoin(user, eq(user.id, proposal.authorId))
		.leftJoin(media, eq(media.id, proposal.mediaId))
		.where(and(eq(proposal.id, id), eq(proposal.spaceId, space.id)));
	if (!row) throw new NotFoundError('Proposal');
	const isAuthor = !!actor && row.authorId === actor.id;
	if (!publicStatuses.includes(row.status) && !isAuthor && !(await moderatesSpace(actor, read))) {
		throw new NotFoundError('Proposal');
	}
	// The gate from the standing read with the space: no query of its own.
	const gate = decide(actor, space, 'supports', read.standing);
	const refusal: Refusal | null = gate.ok ? null : gate.reason === 'unverifiedEmail' ? 'signIn' : gate.reason;
	const [history, answers, supported] = await Promise.all([
		db
			.select({ kind: proposalEvent.kind, at: proposalEvent.at, detail: proposalEvent.detail })
			.from(proposalEvent)
			.where(eq(proposalEvent.proposalId, id))
			.orderBy(asc(proposalEvent.at), asc(proposalEvent.id)),
		db
			.select({
				id: proposalAnswer.id,
				state: proposalAnswer.state,
				text: proposalAnswer.text,
				decidedBy: proposalAnswer.decidedBy,
				decisionUrl: proposalAnswer.decisionUrl,
				publishedAt: proposalAnswer.publishedAt
			})
			.from(proposalAnswer)
			.where(and(eq(proposalAnswer.proposalId, id), isNotNull(proposalAnswer.publishedAt)))
			.orderBy(desc(proposalAnswer.publishedAt), desc(proposalAnswer.id)),
		actor
			? db
					.select({ userId: proposalSupport.userId })
					.from(proposalSupport)
					.where(and(eq(proposalSupport.proposalId, id), eq(proposalSupport.userId, actor.id)))
					.then((rows) => rows.length > 0)
			: Promise.resolve(false)
	]);
	const collecting =
		supportableStatuses.includes(row.status) && !row.hidden && row.collectUntil.getTime() > Date.now();
	// Who runs and serves the space came with it: no query of its own.
	const canAnswer =
		answerableStatuses.includes(row.status) && (await mayOn(actor, dialoguePolicy.answer, read.actors));
	return {
		id: row.id,
		space: { slug: space.slug, title: space.title },
		title: row.hidden ? null : row.title,
		body: row.hidden ? null : row.body,
		placeName: row.hidden ? null : row.placeName,
		photo: row.hidden ? null : photoView(row, row.language),
		language: row.language,
		author: row.author,
		status: row.status,
		answerState: row.answerState,
		supportCount: row.supportCount,
		supportThreshold: space.supportThreshold,
		collectUntil: row.collectUntil.toISOString(),
		answerDue: row.answerDue?.toISOString() ?? null,
		createdAt: row.createdAt.toISOString(),
		editedAt: row.editedAt?.toISOString() ?? null,
		hidden: row.hidden,
		hiddenReason: row.hidden ? row.hiddenReason : null,
		history: history.map((e) => ({ kind: e.kind, at: e.at.toISOString(), detail: e.detail })),
		answers: answers.map((a) => ({
			id: a.id,
			state: a.state,
			text: pick(a.text, locale),
			decidedBy: pick(a.decidedBy, locale),
			decisionUrl: a.decisionUrl,
			publishedAt: a.publishedAt!.toISOString()
		})),
		reader: {
			isAuthor,
			supported,
			supportRefusal: supported
				? null
				: !collecting
					? 'notCollecting'
					: (refusal ?? (isAuthor ? 'ownProposal' : null)),
			canEdit: isAuthor && !row.hidden && editWindowOpen(row),
			canWithdraw: isAuthor && withdrawable(row.status),
			canAnswer
		}
	};
}

/** The author's own proposal as the edit form starts from it (401 signed out, 403 for anyone else). */
export async function proposalForEdit(
	db: Database,
	actor: Actor,
	slug: string,
	id: number
): Promise<{
	id: number;
	spaceSlug: string;
	title: string;
	body: string;
	placeName: string | null;
	photo: ProposalPhoto | null;
	open: boolean;
	/** When the edit window closes (it may close sooner, at the first support or comment). */
	editUntil: string;
}> {
	const [row] = await db
		.select({
			id: proposal.id,
			spaceSlug: dialogueSpace.slug,
			authorId: proposal.authorId,
			title: proposal.title,
			body: proposal.body,
			placeName: proposal.placeName,
			status: proposal.status,
			createdAt: proposal.createdAt,
			supportCount: proposal.supportCount,
			commentCount: proposal.commentCount,
			hidden: proposal.hidden,
			language: proposal.language,
			...photoColumns
		})
		.from(proposal)
		.innerJoin(dialogueSpace, eq(dialogueSpace.id, proposal.spaceId))
		.leftJoin(media, eq(media.id, proposal.mediaId))
		.where(and(eq(proposal.id, id), eq(dialogueSpace.slug, slug)));
	if (!actor) throw new ForbiddenError(true);
	if (!row) throw new NotFoundError('Proposal');
	if (row.authorId !== actor.id) throw new ForbiddenError();
	return {
		id: row.id,
		spaceSlug: row.spaceSlug,
		title: row.title,
		body: row.body,
		placeName: row.placeName,
		photo: photoView(row, row.language),
		open: !row.hidden && editWindowOpen(row),
		editUntil: new Date(row.createdAt.getTime() + editWindowMinutes * 60_000).toISOString()
	};
}
