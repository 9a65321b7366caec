import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { authorizeOn, type Actor } from '../../kernel/policy.ts';
import { readForm } from '../../kernel/input.ts';
import { runCommand } from '../../kernel/write.ts';
import { answerTemplate, proposal, proposalAnswer, proposalEvent } from '../schema.ts';
import { dialoguePolicy } from '../policy.ts';
import { draftShape, publishShape, readDraftForm, readTemplateForm, templateShape } from './input.ts';
import { answerableStatuses, draftsForPublishing } from './queries.ts';
import { readSpace, type SpaceRecord } from '../spaces/queries.ts';

// The official answers: an answerer of the space (or whoever runs it, or a programme editor)
// drafts one per proposal, publishes several together, and keeps templates to start from.
// Dialogue writes are never public in the cache's sense (dialogue pages are always live).
//
// `participate` (anyone signed in) is the role-only first step of `runCommand`; the answerer is
// then asked with the space itself (`answer` with its SpaceActors), before the form is read.

type Form = FormData | Record<string, unknown>;

/** The space, and the actor allowed to answer in it (403 otherwise). */
async function answeringIn(db: Database, actor: Actor, slug: string): Promise<SpaceRecord> {
	const space = await readSpace(db, { slug });
	await authorizeOn(actor, dialoguePolicy.answer, space.actors);
	return space;
}

const problem = (field: string, code: 'unknownDraft' | 'proposalNotAnswerable' | 'unknownTemplate') =>
	new ValidationError([{ field, code }], 'dialogue');

/** The proposal of this space that is being answered, locked; refused when it cannot be answered. */
async function answerableProposal(tx: Transaction, spaceId: number, id: number) {
	const [found] = await tx
		.select({ id: proposal.id, status: proposal.status })
		.from(proposal)
		.where(and(eq(proposal.id, id), eq(proposal.spaceId, spaceId)))
		.for('update');
	if (!found) throw new NotFoundError('Proposal');
	if (!answerableStatuses.includes(found.status)) throw problem('form', 'proposalNotAnswerable');
	return found;
}

/**
 * Saves the draft answer to a proposal: a proposal has at most one draft, so saving without the
 * draft's id changes the draft that is there. Nothing is public until it is published.
 */
export async function saveDraft(
	db: Database,
	actor: Actor,
	slug: string,
	form: Form
): Promise<{ id: number }> {
	const space = await answeringIn(db, actor, slug);
	return runCommand(db, actor, {
		rule: dialoguePolicy.participate,
		parse: () => readDraftForm(form, space.languages),
		work: async (tx, input, who) => {
			await answerableProposal(tx, space.id, input.proposal);
			const [existing] = await tx
				.select()
				.from(proposalAnswer)
				.where(and(eq(proposalAnswer.proposalId, input.proposal), isNull(proposalAnswer.publishedAt)))
				.for('update');
			if (input.answer !== undefined && input.answer !== existing?.id)
				throw problem('answer', 'unknownDraft');
			const values = {
				state: input.state,
				text: input.text,
				decidedBy: input.decidedBy,
				decisionUrl: input.decisionUrl
			};
			let id: number;
			if (existing) {
				await tx.update(proposalAnswer).set(values).where(eq(proposalAnswer.id, existing.id));
				id = existing.id;
			} else {
				const [row] = await tx
					.insert(proposalAnswer)
					.values({ ...values, proposalId: input.proposal, authorId: who.id })
					.returning({ id: proposalAnswer.id });
				id = row!.id;
			}
			return {
				result: { id },
				audit: {
					action: existing ? 'dialogue.answer.update-draft' : 'dialogue.answer.draft',
					subject: `proposal-answer:${id}`,
					before: existing
						? {
								state: existing.state,
								text: existing.text,
								decidedBy: existing.decidedBy,
								decisionUrl: existing.decisionUrl
							}
						: undefined,
					after: { proposalId: input.proposal, ...values }
				},
				public: false
			};
		}
	});
}

/**
 * Publishes the chosen drafts together, in one transaction: each answer gets its publication
 * time, its proposal becomes "answered" with the answer's state (first answered then, once) and
 * its history gains an "answer-published" step. A draft of another space, or one published in the
 * meantime, refuses the whole batch.
 */
export async function publishDrafts(
	db: Database,
	actor: Actor,
	slug: string,
	form: Form
): Promise<{ published: number }> {
	const space = await answeringIn(db, actor, slug);
	return runCommand(db, actor, {
		rule: dialoguePolicy.participate,
		parse: () => readForm(form, publishShape, 'dialogue'),
		work: async (tx, input, by) => {
			const ids = [...new Set(input.answer)];
			const drafts = await draftsForPublishing(tx, ids);
			if (
				drafts.length !== ids.length ||
				drafts.some((d) => d.spaceId !== space.id || d.publishedAt !== null)
			)
				throw problem('answer', 'unknownDraft');
			if (drafts.some((d) => !answerableStatuses.includes(d.status)))
				throw problem('answer', 'proposalNotAnswerable');
			const now = new Date();
			for (const d of drafts) {
				await tx.update(proposalAnswer).set({ publishedAt: now }).where(eq(proposalAnswer.id, d.id));
				await tx
					.update(proposal)
					.set({
						status: 'answered',
						answerState: d.state,
						firstAnsweredAt: sql`coalesce(${proposal.firstAnsweredAt}, ${now.toISOString()}::timestamptz)`
					})
					.where(eq(proposal.id, d.proposalId));
			}
			await tx.insert(proposalEvent).values(
				drafts.map((d) => ({
					proposalId: d.proposalId,
					kind: 'answer-published' as const,
					detail: { state: d.state },
					actorId: by.id,
					at: now
				}))
			);
			// Followers hear of it from the 'answer-published' step (notifications/notifier.ts).
			return {
				result: { published: drafts.length },
				audit: drafts.map((d) => ({
					action: 'dialogue.answer.publish',
					subject: `proposal-answer:${d.id}`,
					before: { status: d.status },
					after: { proposalId: d.proposalId, state: d.state, publishedAt: now.toISOString() }
				})),
				public: false
			};
		}
	});
}

/** Deletes a draft (a published answer stays: it is part of the public record). */
export async function deleteDraft(db: Database, actor: Actor, slug: string, form: Form): Promise<void> {
	const space = await answeringIn(db, actor, slug);
	await runCommand(db, actor, {
		rule: dialoguePolicy.participate,
		parse: () => readForm(form, draftShape, 'dialogue'),
		work: async (tx, { answer }) => {
			const [found] = await draftsForPublishing(tx, [answer]);
			if (!found || found.spaceId !== space.id || found.publishedAt !== null)
				throw problem('answer', 'unknownDraft');
			const [before] = await tx.delete(proposalAnswer).where(eq(proposalAnswer.id, answer)).returning();
			return {
				result: undefined,
				audit: { action: 'dialogue.answer.delete-draft', subject: `proposal-answer:${answer}`, before },
				public: false
			};
		}
	});
}

/** Creates or changes one of the space's answer templates. */
export async function saveTemplate(
	db: Database,
	actor: Actor,
	slug: string,
	form: Form
): Promise<{ id: number }> {
	const space = await answeringIn(db, actor, slug);
	return runCommand(db, actor, {
		rule: dialoguePolicy.participate,
		parse: () => readTemplateForm(form, space.languages),
		work: async (tx, input) => {
			const values = { name: input.name, state: input.state, text: input.text };
			if (input.template !== undefined) {
				const [before] = await tx
					.select()
					.from(answerTemplate)
					.where(and(eq(answerTemplate.id, input.template), eq(answerTemplate.spaceId, space.id)))
					.for('update');
				if (!before) throw problem('template', 'unknownTemplate');
				await tx.update(answerTemplate).set(values).where(eq(answerTemplate.id, before.id));
				return {
					result: { id: before.id },
					audit: {
						action: 'dialogue.template.update',
						subject: `answer-template:${before.id}`,
						before,
						after: values
					},
					public: false
				};
			}
			const [row] = await tx
				.insert(answerTemplate)
				.values({ ...values, spaceId: space.id })
				.returning({ id: answerTemplate.id });
			return {
				result: { id: row!.id },
				audit: { action: 'dialogue.template.create', subject: `answer-template:${row!.id}`, after: values },
				public: false
			};
		}
	});
}

export async function deleteTemplate(db: Database, actor: Actor, slug: string, form: Form): Promise<void> {
	const space = await answeringIn(db, actor, slug);
	await runCommand(db, actor, {
		rule: dialoguePolicy.participate,
		parse: () => readForm(form, templateShape, 'dialogue'),
		work: async (tx, { template }) => {
			const [before] = await tx
				.delete(answerTemplate)
				.where(and(eq(answerTemplate.id, template), eq(answerTemplate.spaceId, space.id)))
				.returning();
			if (!before) throw problem('template', 'unknownTemplate');
			return {
				result: undefined,
				audit: { action: 'dialogue.template.delete', subject: `answer-template:${template}`, before },
				public: false
			};
		}
	});
}
