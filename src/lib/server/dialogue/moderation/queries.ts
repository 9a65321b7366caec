import { and, asc, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database, Transaction } from '../../kernel/database.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { authorize, authorizeOn, type Actor } from '../../kernel/policy.ts';
import { pick } from '../../kernel/localized.ts';
import { user } from '../../accounts/schema.ts';
import {
	dialogueBlock,
	dialogueComment,
	dialogueFlag,
	dialogueSpace,
	proposal,
	type FlagReason,
	type ProposalStatus
} from '../schema.ts';
import { dialoguePolicy } from '../policy.ts';
import { readSpace, type SpaceRecord } from '../spaces/queries.ts';
import type { WorkPage } from '../answers/queries.ts';
import type { Target } from './input.ts';
import { heldComments, listMax, screeningQueue } from './screening.ts';

// What moderators see: flagged input (a queue per space and one for the platform), proposals and
// comments in screening, and blocks. Each list is one query.

/** The thing a flag or a decision is about, with its space and author (404 when there is none). */
export async function targetRow(db: Database | Transaction, target: Target, lock = false) {
	if (target.kind === 'proposal') {
		const q = db
			.select({
				spaceId: proposal.spaceId,
				authorId: proposal.authorId,
				hidden: proposal.hidden,
				hiddenReason: proposal.hiddenReason,
				status: proposal.status,
				gone: sql<boolean>`false`
			})
			.from(proposal)
			.where(eq(proposal.id, target.id));
		const [row] = await (lock ? q.for('update') : q);
		if (!row) throw new NotFoundError('Proposal');
		return row;
	}
	const q = db
		.select({
			spaceId: dialogueComment.spaceId,
			authorId: dialogueComment.authorId,
			hidden: dialogueComment.hidden,
			hiddenReason: dialogueComment.hiddenReason,
			// A held comment is not public yet, like a proposal in screening.
			status: sql<ProposalStatus | null>`case when ${dialogueComment.screening} then 'screening' end`,
			gone: sql<boolean>`${dialogueComment.deletedAt} is not null`
		})
		.from(dialogueComment)
		.where(eq(dialogueComment.id, target.id));
	const [row] = await (lock ? q.for('update') : q);
	if (!row) throw new NotFoundError('Comment');
	return row;
}

/** A flagged proposal or comment, its open flags and its state. */
export interface FlaggedItem {
	kind: 'proposal' | 'comment';
	id: number;
	space: { slug: string; title: string };
	/** The proposal's title, or for a comment the proposal it is on (null in a debate). */
	title: string | null;
	proposalId: number | null;
	text: string;
	author: string | null;
	hidden: boolean;
	hiddenReason: string | null;
	flags: number;
	reasons: Partial<Record<FlagReason, number>>;
	firstFlaggedAt: string;
	/** The viewer wrote it: they are not offered to block themselves. */
	mine: boolean;
}

/** Flagged items a page of a queue, the most flagged first. */
export const queuePageSize = 20;

/** The proposal a flagged comment is on. */
const onProposal = alias(proposal, 'on_proposal');

/**
 * A page of flagged input, the most flagged first: open flags are read through
 * `dialogue_flag_open_idx` (per space, or all of it for the platform) and grouped per thing.
 */
async function flagged(
	db: Database,
	where: SQL | undefined,
	locale: string,
	page: number,
	viewerId: string
): Promise<WorkPage<FlaggedItem>> {
	const f = dialogueFlag;
	const p = proposal;
	const c = dialogueComment;
	const s = dialogueSpace;
	const flags = sql<number>`count(*)`.mapWith(Number);
	const firstAt = sql<Date>`min(${f.createdAt})`.mapWith((v: string | Date) => new Date(v));
	const rows = await db
		.select({
			proposalId: f.proposalId,
			commentId: f.commentId,
			spaceSlug: s.slug,
			spaceTitle: s.title,
			proposalTitle: sql<string | null>`coalesce(${p.title}, ${onProposal.title})`,
			commentProposalId: c.proposalId,
			text: sql<string>`coalesce(${p.body}, ${c.body})`,
			authorId: user.id,
			author: user.name,
			hidden: sql<boolean>`coalesce(${p.hidden}, ${c.hidden})`,
			hiddenReason: sql<string | null>`coalesce(${p.hiddenReason}, ${c.hiddenReason})`,
			flags,
			reasons: sql<FlagReason[]>`json_agg(${f.reason})`,
			firstAt,
			total: sql<number>`(count(*) over ())::int`
		})
		.from(f)
		.innerJoin(s, eq(s.id, f.spaceId))
		.leftJoin(p, eq(p.id, f.proposalId))
		.leftJoin(c, eq(c.id, f.commentId))
		.leftJoin(onProposal, eq(onProposal.id, c.proposalId))
		.leftJoin(user, sql`${user.id} = coalesce(${p.authorId}, ${c.authorId})`)
		.where(and(isNull(f.resolvedAt), where))
		.groupBy(f.proposalId, f.commentId, s.id, p.id, c.id, onProposal.id, user.id)
		.orderBy(desc(flags), asc(firstAt), asc(f.proposalId), asc(f.commentId))
		.limit(queuePageSize)
		.offset((page - 1) * queuePageSize);
	const total = rows[0]?.total ?? 0;
	const items = rows.map((r): FlaggedItem => {
		const reasons: Partial<Record<FlagReason, number>> = {};
		for (const reason of r.reasons) reasons[reason] = (reasons[reason] ?? 0) + 1;
		return {
			kind: r.proposalId !== null ? 'proposal' : 'comment',
			id: (r.proposalId ?? r.commentId)!,
			space: { slug: r.spaceSlug, title: pick(r.spaceTitle, locale) },
			title: r.proposalTitle,
			proposalId: r.proposalId ?? r.commentProposalId,
			text: r.text,
			author: r.author,
			hidden: r.hidden,
			hiddenReason: r.hiddenReason,
			flags: r.flags,
			reasons,
			firstFlaggedAt: r.firstAt.toISOString(),
			mine: r.authorId === viewerId
		};
	});
	return { rows: items, total, page, pages: Math.max(1, Math.ceil(total / queuePageSize)) };
}

export interface BlockRow {
	id: number;
	name: string;
	reason: string;
	createdAt: string;
	/** The space's address, or null for a platform-wide block. */
	space: string | null;
}

async function blocks(db: Database, where: SQL): Promise<BlockRow[]> {
	const rows = await db
		.select({
			id: dialogueBlock.id,
			name: user.name,
			reason: dialogueBlock.reason,
			createdAt: dialogueBlock.createdAt,
			space: dialogueSpace.slug
		})
		.from(dialogueBlock)
		.innerJoin(user, eq(user.id, dialogueBlock.userId))
		.leftJoin(dialogueSpace, eq(dialogueSpace.id, dialogueBlock.spaceId))
		.where(where)
		.orderBy(desc(dialogueBlock.createdAt), desc(dialogueBlock.id))
		.limit(listMax);
	return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/**
 * What is hidden in a space with no open flag (a moderator decided, or its flags were settled):
 * the list to restore from, newest first. Two queries, proposals and comments.
 */
export async function hiddenIn(
	db: Database,
	space: Pick<SpaceRecord, 'id' | 'slug' | 'title'>,
	locale: string,
	viewerId: string
): Promise<FlaggedItem[]> {
	const f = dialogueFlag;
	const p = proposal;
	const c = dialogueComment;
	const spaceId = space.id;
	const shown = { slug: space.slug, title: pick(space.title, locale) };
	const [proposals, comments] = await Promise.all([
		db
			.select({
				id: p.id,
				title: p.title,
				text: p.body,
				authorId: p.authorId,
				author: user.name,
				hiddenReason: p.hiddenReason
			})
			.from(p)
			.leftJoin(user, eq(user.id, p.authorId))
			.where(
				and(
					eq(p.spaceId, spaceId),
					eq(p.hidden, true),
					sql`not exists (select 1 from ${f} where ${f.proposalId} = ${p.id} and ${f.resolvedAt} is null)`
				)
			)
			.orderBy(desc(p.createdAt))
			.limit(listMax),
		db
			.select({
				id: c.id,
				title: onProposal.title,
				proposalId: c.proposalId,
				text: c.body,
				authorId: c.authorId,
				author: user.name,
				hiddenReason: c.hiddenReason
			})
			.from(c)
			.leftJoin(onProposal, eq(onProposal.id, c.proposalId))
			.leftJoin(user, eq(user.id, c.authorId))
			.where(
				and(
					eq(c.spaceId, spaceId),
					eq(c.hidden, true),
					// A refused held comment was never public: there is nothing to show again.
					eq(c.screening, false),
					sql`not exists (select 1 from ${f} where ${f.commentId} = ${c.id} and ${f.resolvedAt} is null)`
				)
			)
			.orderBy(desc(c.createdAt))
			.limit(listMax)
	]);
	const common = { space: shown, hidden: true, flags: 0, reasons: {}, firstFlaggedAt: '' };
	const mine = (authorId: string | null) => authorId === viewerId;
	return [
		...proposals.map(({ authorId, ...r }) => ({
			...common,
			...r,
			kind: 'proposal' as const,
			proposalId: r.id,
			mine: mine(authorId)
		})),
		...comments.map(({ authorId, ...r }) => ({
			...common,
			...r,
			kind: 'comment' as const,
			mine: mine(authorId)
		}))
	];
}

/**
 * A space's moderation page: a page of its flagged input, its hidden input, its screening queue
 * and its blocks.
 */
export async function spaceModeration(db: Database, actor: Actor, slug: string, locale: string, page = 1) {
	const space = await readSpace(db, { slug });
	const viewer = await authorizeOn(actor, dialoguePolicy.moderate, space.actors);
	const [items, hidden, screening, held, blocked] = await Promise.all([
		flagged(db, eq(dialogueFlag.spaceId, space.id), locale, page, viewer.id),
		hiddenIn(db, space, locale, viewer.id),
		screeningQueue(db, space.id),
		heldComments(db, space.id, viewer.id),
		blocks(db, eq(dialogueBlock.spaceId, space.id))
	]);
	return { space, flagged: items, hidden, screening, held, blocks: blocked };
}

/** The platform's queue: a page of flagged input in every space, and the platform-wide blocks. */
export async function platformModeration(db: Database, actor: Actor, locale: string, page = 1) {
	authorize(actor, dialoguePolicy.moderatePlatform);
	const [items, blocked] = await Promise.all([
		flagged(db, undefined, locale, page, actor.id),
		blocks(db, isNull(dialogueBlock.spaceId))
	]);
	return { flagged: items, blocks: blocked };
}

/** What the flag page shows about the thing: where it is, a few words of it, and the way back. */
export interface FlagTarget {
	spaceSlug: string;
	/** The proposal's title, for a comment the proposal it is on (null in a debate). */
	title: string | null;
	/** The start of a comment (a proposal is named by its title). */
	excerpt: string | null;
	hidden: boolean;
	/** The page the thing is on, in Swedish form (the language is added by the page). */
	back: string;
}

export async function flagTarget(db: Database, target: Target): Promise<FlagTarget> {
	if (target.kind === 'proposal') {
		const [row] = await db
			.select({
				slug: dialogueSpace.slug,
				title: proposal.title,
				hidden: proposal.hidden,
				status: proposal.status
			})
			.from(proposal)
			.innerJoin(dialogueSpace, eq(dialogueSpace.id, proposal.spaceId))
			.where(eq(proposal.id, target.id));
		if (!row || row.status === 'screening' || row.status === 'refused') throw new NotFoundError('Proposal');
		return {
			spaceSlug: row.slug,
			title: row.title,
			excerpt: null,
			hidden: row.hidden,
			back: `/dialogue/${row.slug}/proposals/${target.id}`
		};
	}
	const c = dialogueComment;
	const [row] = await db
		.select({
			slug: dialogueSpace.slug,
			proposalId: c.proposalId,
			title: onProposal.title,
			body: c.body,
			hidden: c.hidden,
			// Held for screening: its author's alone, so nobody else can report it.
			gone: sql<boolean>`${c.deletedAt} is not null or ${c.screening}`
		})
		.from(c)
		.innerJoin(dialogueSpace, eq(dialogueSpace.id, c.spaceId))
		.leftJoin(onProposal, eq(onProposal.id, c.proposalId))
		.where(eq(c.id, target.id));
	if (!row || row.gone) throw new NotFoundError('Comment');
	const words = row.body.length > 160 ? `${row.body.slice(0, 159)}…` : row.body;
	const page =
		row.proposalId === null
			? `/dialogue/${row.slug}/debate`
			: `/dialogue/${row.slug}/proposals/${row.proposalId}`;
	return {
		spaceSlug: row.slug,
		title: row.title,
		excerpt: row.hidden ? null : words,
		hidden: row.hidden,
		back: `${page}#comment-${target.id}`
	};
}
