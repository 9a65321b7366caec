import { and, asc, eq, inArray } from 'drizzle-orm';
import { publicProposalStatuses } from '../../../dialogue-values.ts';
import type { Database, Transaction } from '../../kernel/database.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import type { LocalizedText } from '../../kernel/localized.ts';
import { authorizeOn, type Actor } from '../../kernel/policy.ts';
import { dialogueSpace, proposal } from '../../dialogue/schema.ts';
import { partnership } from '../../partnerships/schema.ts';
import { resultsPolicy } from '../policy.ts';
import { result, resultProposal, type ResultStatus } from '../schema.ts';

// The loop between citizen dialogue and results: which proposals led to which results. A link is
// shown only while its proposal is public (a hidden or withdrawn-in-screening one drops out).

type Reader = Database | Transaction;

/** Shown where the public may see the proposal. */
export const visibleProposal = and(
	eq(proposal.hidden, false),
	inArray(proposal.status, [...publicProposalStatuses])
);

export interface LinkedProposal {
	id: number;
	title: string;
	spaceSlug: string;
}

/** The public proposals behind each result of a partnership, in one query. */
export async function proposalsOfPartnership(
	db: Reader,
	partnershipId: number
): Promise<Map<number, LinkedProposal[]>> {
	const rows = await db
		.select({
			resultId: resultProposal.resultId,
			id: proposal.id,
			title: proposal.title,
			spaceSlug: dialogueSpace.slug
		})
		.from(resultProposal)
		.innerJoin(result, eq(result.id, resultProposal.resultId))
		.innerJoin(proposal, eq(proposal.id, resultProposal.proposalId))
		.innerJoin(dialogueSpace, eq(dialogueSpace.id, proposal.spaceId))
		.where(and(eq(result.partnershipId, partnershipId), visibleProposal))
		.orderBy(asc(resultProposal.linkedAt), asc(proposal.id));
	const byResult = new Map<number, LinkedProposal[]>();
	for (const { resultId, ...p } of rows) byResult.set(resultId, [...(byResult.get(resultId) ?? []), p]);
	return byResult;
}

export interface ResultOfProposal {
	resultId: number;
	title: LocalizedText;
	status: ResultStatus;
	partnershipSlug: string;
}

/** The results a proposal led to ("what happened"), for its page. */
export async function resultsOfProposal(db: Reader, proposalId: number): Promise<ResultOfProposal[]> {
	return db
		.select({
			resultId: result.id,
			title: result.title,
			status: result.status,
			partnershipSlug: partnership.slug
		})
		.from(resultProposal)
		.innerJoin(result, eq(result.id, resultProposal.resultId))
		.innerJoin(partnership, eq(partnership.id, result.partnershipId))
		.where(eq(resultProposal.proposalId, proposalId))
		.orderBy(asc(resultProposal.linkedAt));
}

/** A result of this partnership, for a change by someone who may edit its framework. */
export async function resultToEdit(db: Transaction, actor: Actor, slug: string, resultId: number) {
	const [found] = await db
		.select({
			id: result.id,
			title: result.title,
			status: result.status,
			partnershipId: result.partnershipId
		})
		.from(result)
		.innerJoin(partnership, eq(partnership.id, result.partnershipId))
		.where(and(eq(partnership.slug, slug), eq(result.id, resultId)))
		.for('update', { of: result });
	if (!found) throw new NotFoundError('result');
	await authorizeOn(actor, resultsPolicy.editFramework, { db, id: found.partnershipId });
	return found;
}

/** A proposal the public may see, or null. */
export async function publicProposal(db: Reader, id: number) {
	const [found] = await db
		.select({ id: proposal.id })
		.from(proposal)
		.where(and(eq(proposal.id, id), visibleProposal));
	return found ?? null;
}

/** The public proposals linked to a result (who hears of its status). */
export async function linkedPublicProposals(db: Reader, resultId: number): Promise<number[]> {
	const rows = await db
		.select({ id: proposal.id })
		.from(resultProposal)
		.innerJoin(proposal, eq(proposal.id, resultProposal.proposalId))
		.where(and(eq(resultProposal.resultId, resultId), visibleProposal));
	return rows.map((r) => r.id);
}
