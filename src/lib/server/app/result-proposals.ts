import { and, eq } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { ValidationError } from '../kernel/errors.ts';
import { readForm } from '../kernel/input.ts';
import type { LocalizedText } from '../kernel/localized.ts';
import type { Actor } from '../kernel/policy.ts';
import { runCommand } from '../kernel/write.ts';
import { recordProposalEvents } from '../dialogue/proposals/commands.ts';
import { linkForm, statusForm, unlinkForm } from '../results/links/input.ts';
import { linkedPublicProposals, publicProposal, resultToEdit } from '../results/links/queries.ts';
import { resultsPolicy } from '../results/policy.ts';
import { result, resultProposal, type ResultStatus } from '../results/schema.ts';

// Closing the loop between citizen dialogue and results: a partnership's coordinator (or an
// editor) says which proposal led to a result and, later, how the result stands. Each step is
// also a step in the proposal's public history, written in the same transaction, so the dialogue
// module's notifier tells the proposal's author and followers.

/** What a proposal's history keeps of the result (the history outlives a renamed result). */
export function newsOf(r: { id: number; title: LocalizedText }, status: ResultStatus, slug: string) {
	const detail: Record<string, string> = { state: status, partnership: slug, result: String(r.id) };
	for (const [locale, text] of Object.entries(r.title)) if (text) detail[`title.${locale}`] = text;
	return detail;
}

/** Links a public proposal to a result of the partnership; linking it again changes nothing. */
export function linkProposal(
	db: Database,
	actor: Actor,
	slug: string,
	raw: FormData | Record<string, unknown>
) {
	let target: Awaited<ReturnType<typeof resultToEdit>>;
	return runCommand(db, actor, {
		rule: resultsPolicy.workOnFramework,
		parse: () => readForm(raw, linkForm, 'results'),
		// Whether they may change this result, before anything is said about the proposal.
		check: async (tx, input, who) => {
			target = await resultToEdit(tx, who, slug, input.result);
			if (!(await publicProposal(tx, input.proposal)))
				throw new ValidationError([{ field: 'proposal', code: 'proposalUnknown' }], 'results');
		},
		work: async (tx, input, who) => {
			const made = await tx
				.insert(resultProposal)
				.values({ resultId: target.id, proposalId: input.proposal })
				.onConflictDoNothing()
				.returning({ proposalId: resultProposal.proposalId });
			if (made.length)
				await recordProposalEvents(
					tx,
					[input.proposal],
					'result-linked',
					newsOf(target, target.status, slug),
					who.id
				);
			return {
				result: { linked: made.length > 0 },
				audit: {
					action: 'results.linkProposal',
					subject: `result:${target.id}`,
					after: { proposal: input.proposal }
				},
				public: true
			};
		}
	});
}

export function unlinkProposal(
	db: Database,
	actor: Actor,
	slug: string,
	raw: FormData | Record<string, unknown>
) {
	return runCommand(db, actor, {
		rule: resultsPolicy.workOnFramework,
		parse: () => readForm(raw, unlinkForm, 'results'),
		work: async (tx, input, who) => {
			const target = await resultToEdit(tx, who, slug, input.result);
			await tx
				.delete(resultProposal)
				.where(and(eq(resultProposal.resultId, target.id), eq(resultProposal.proposalId, input.proposal)));
			return {
				result: undefined,
				audit: {
					action: 'results.unlinkProposal',
					subject: `result:${target.id}`,
					before: { proposal: input.proposal }
				},
				public: true
			};
		}
	});
}

/** Sets where a result stands; the proposals behind it hear of a change (not of a repeat). */
export function setResultStatus(
	db: Database,
	actor: Actor,
	slug: string,
	raw: FormData | Record<string, unknown>
) {
	return runCommand(db, actor, {
		rule: resultsPolicy.workOnFramework,
		parse: () => readForm(raw, statusForm, 'results'),
		work: async (tx, input, who) => {
			const target = await resultToEdit(tx, who, slug, input.result);
			const changed = target.status !== input.status;
			if (changed) {
				await tx
					.update(result)
					.set({ status: input.status, updatedAt: new Date() })
					.where(eq(result.id, target.id));
				await recordProposalEvents(
					tx,
					await linkedPublicProposals(tx, target.id),
					'result-status',
					newsOf(target, input.status, slug),
					who.id
				);
			}
			return {
				result: { changed },
				audit: {
					action: 'results.setStatus',
					subject: `result:${target.id}`,
					before: { status: target.status },
					after: { status: input.status }
				},
				public: true
			};
		}
	});
}
