import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { QueryBuilder } from 'drizzle-orm/pg-core';
import type { Database } from '../../kernel/database.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { dialogueComment, dialogueSpace, proposal, proposalAnswer, proposalEvent } from '../schema.ts';
import {
	commentRecord,
	commentsFrom,
	publicComment,
	events,
	listedSpace,
	proposalRecord,
	proposalsFrom,
	publicStatusList,
	publishedAnswers,
	type AnswerRecord,
	type CommentRecord,
	type EventRecord,
	type ProposalRecord,
	type SpaceRef
} from './queries.ts';

/**
 * One space's open data: everything public in it (the data.zip) and its newest proposals and
 * answers (the feed), by the rules of queries.ts.
 */

const qb = new QueryBuilder();

/** A space anyone may see (not a draft), by its address; NotFoundError otherwise. */
export async function openDataSpace(db: Database, slug: string): Promise<SpaceRef> {
	const [row] = await db
		.select({
			id: dialogueSpace.id,
			slug: dialogueSpace.slug,
			title: dialogueSpace.title,
			updatedAt: dialogueSpace.updatedAt
		})
		.from(dialogueSpace)
		.where(and(eq(dialogueSpace.slug, slug), listedSpace));
	if (!row) throw new NotFoundError('Dialogue space');
	return row;
}

export interface SpaceData {
	space: SpaceRef;
	proposals: ProposalRecord[];
	comments: CommentRecord[];
	answers: AnswerRecord[];
	history: EventRecord[];
}

/** Everything public of one space, oldest first: five queries whatever its size. */
export async function spaceData(db: Database, slug: string): Promise<SpaceData> {
	const space = await openDataSpace(db, slug);
	const ofSpace = and(eq(proposal.spaceId, space.id), inArray(proposal.status, publicStatusList))!;
	const publicIds = qb.select({ id: proposal.id }).from(proposal).where(ofSpace);
	const [proposals, comments, answers, history] = await Promise.all([
		proposalsFrom(db).where(ofSpace).orderBy(asc(proposal.createdAt), asc(proposal.id)),
		commentsFrom(db)
			.where(and(eq(dialogueComment.spaceId, space.id), publicComment))
			.orderBy(asc(dialogueComment.id)),
		publishedAnswers(db, inArray(proposalAnswer.proposalId, publicIds), 'oldest'),
		events(db, inArray(proposalEvent.proposalId, publicIds))
	]);
	return {
		space,
		proposals: proposals.map(proposalRecord),
		comments: comments.map(commentRecord),
		answers,
		history
	};
}

export interface FeedData {
	space: SpaceRef;
	/** Shown (not hidden) public proposals, newest first. */
	proposals: ProposalRecord[];
	/** Published answers to shown public proposals, newest first, with the proposal's title. */
	answers: (AnswerRecord & { proposalTitle: string })[];
}

/** The newest `limit` proposals and answers of a space, for its feed: three queries. */
export async function spaceFeed(db: Database, slug: string, limit = 50): Promise<FeedData> {
	const space = await openDataSpace(db, slug);
	const shown = and(
		eq(proposal.spaceId, space.id),
		inArray(proposal.status, publicStatusList),
		eq(proposal.hidden, false)
	)!;
	const [proposals, answers] = await Promise.all([
		proposalsFrom(db).where(shown).orderBy(desc(proposal.createdAt), desc(proposal.id)).limit(limit),
		db
			.select({
				id: proposalAnswer.id,
				proposalId: proposalAnswer.proposalId,
				proposalTitle: proposal.title,
				state: proposalAnswer.state,
				text: proposalAnswer.text,
				decidedBy: proposalAnswer.decidedBy,
				decisionUrl: proposalAnswer.decisionUrl,
				publishedAt: sql<Date>`${proposalAnswer.publishedAt}`.mapWith(proposalAnswer.publishedAt)
			})
			.from(proposalAnswer)
			.innerJoin(proposal, eq(proposal.id, proposalAnswer.proposalId))
			.where(and(shown, isNotNull(proposalAnswer.publishedAt)))
			.orderBy(desc(proposalAnswer.publishedAt), desc(proposalAnswer.id))
			.limit(limit)
	]);
	return { space, proposals: proposals.map(proposalRecord), answers };
}
