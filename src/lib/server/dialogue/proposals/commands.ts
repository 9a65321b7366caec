import { and, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { authorize, type Actor } from '../../kernel/policy.ts';
import { readForm } from '../../kernel/input.ts';
import { runCommand, runSystemChange } from '../../kernel/write.ts';
import {
	proposal,
	proposalEvent,
	proposalSupport,
	type InputKind,
	type ProposalEventKind
} from '../schema.ts';
import { dialoguePolicy } from '../policy.ts';
import { editShape, readProposalForm, submitShape, withdrawShape } from './input.ts';
import { nextPhoto, preparePhoto, takePhotoAllowance, type PhotoPipeline } from './photos.ts';
import { returnAllowance, takeAllowance } from './limits.ts';
import { mayTakePart, type Refusal } from '../participation.ts';
import {
	editWindowOpen,
	inputSpace,
	similarProposals,
	supportableStatuses,
	withdrawable,
	type InputSpace,
	type SimilarProposal
} from './queries.ts';

// Proposals (e-förslag): a participant writes one (screened first or public at once, as the space
// says), others support it (each exactly once), the threshold within the window sends it to be
// answered, the periodic work closes those that did not reach it. Every step writes a row of its
// public history (proposal_event). Nothing here raises the content revision: dialogue pages are
// never in the render cache.

const day = 24 * 60 * 60 * 1000;

/** A refusal as the form shows it (signed out is the sign-in page's matter). */
function refuse(refusal: Refusal | 'notCollecting', kind: InputKind): never {
	if (refusal === 'signIn') throw new ForbiddenError(true);
	const code = (
		{
			spaceClosed: 'proposalSpaceClosed',
			notOpen: kind === 'supports' ? 'supportsNotOpen' : 'proposalsNotOpen',
			residentsOnly: 'proposalResidentsOnly',
			blocked: 'proposalBlocked',
			unverifiedEmail: 'commentEmailUnverified',
			notCollecting: 'proposalNotCollecting'
		} as const
	)[refusal];
	throw new ValidationError([{ field: 'form', code }], 'dialogue');
}

/** The dialogue's one gate (`participation.ts`), as this form refuses. */
async function mayGive(db: Database, actor: Actor, space: InputSpace, kind: InputKind): Promise<void> {
	const gate = await mayTakePart(db, actor, space, kind);
	if (!gate.ok) refuse(gate.reason, kind);
}

export type { PhotoPipeline };

const event = (
	tx: Transaction,
	proposalId: number,
	kind: ProposalEventKind,
	detail: Record<string, string> = {}
) => tx.insert(proposalEvent).values({ proposalId, kind, detail });

/** What sending the proposal form led to: saved, or similar proposals to look at first. */
export type SubmitResult = { created: number } | { similar: SimilarProposal[] };

/**
 * A participant writes a proposal in a space. Unless `anyway` is sent, similar public proposals
 * in the space are returned first (nothing is saved) so the writer can support one of them
 * instead. Pre-moderated spaces keep it in screening; the others publish it at once.
 */
export async function submitProposal(
	db: Database,
	actor: Actor,
	slug: string,
	form: FormData | Record<string, unknown>,
	options: { ip?: string | null; locale: string; photos?: PhotoPipeline }
): Promise<SubmitResult> {
	authorize(actor, dialoguePolicy.participate);
	const input = readProposalForm(form, submitShape);
	const space = await inputSpace(db, slug, options.locale);
	await mayGive(db, actor, space, 'proposals');
	if (!input.anyway) {
		const similar = await similarProposals(db, space.id, input.proposalTitle);
		if (similar.length) return { similar };
	}
	// Counted outside the transaction, in the limiter's table: a refused proposal writes nothing.
	await takeAllowance(db, 'proposals', actor.id, options.ip);
	await takePhotoAllowance(db, input, actor.id, options.ip, 'proposals');
	// Bad input found after the allowance was taken (a photo the pipeline refused): nothing was
	// written, so the proposal does not count against the day's allowance.
	const giveBack = async (e: unknown): Promise<never> => {
		if (e instanceof ValidationError) await returnAllowance(db, 'proposals', actor.id, options.ip);
		throw e;
	};
	// Decoded and stored before the transaction; in it, its row first, so the proposal's can name it.
	const photo = await preparePhoto(actor, input, options.locale, options.photos).catch(giveBack);
	const id = await runCommand(db, actor, {
		rule: dialoguePolicy.participate,
		parse: () => input,
		work: async (tx, input) => {
			const { proposalTitle, proposalBody, proposalPlace } = input;
			const mediaId = photo ? await photo(tx) : null;
			const now = new Date();
			const screened = space.moderation === 'pre';
			const [row] = await tx
				.insert(proposal)
				.values({
					spaceId: space.id,
					authorId: actor.id,
					title: proposalTitle,
					body: proposalBody,
					placeName: proposalPlace ?? null,
					mediaId,
					language: options.locale,
					status: screened ? 'screening' : 'collecting',
					createdAt: now,
					collectUntil: new Date(now.getTime() + space.supportWindowDays * day)
				})
				.returning({ id: proposal.id });
			await event(tx, row!.id, 'submitted');
			if (!screened) await event(tx, row!.id, 'published');
			return {
				result: row!.id,
				audit: {
					action: 'proposal.submit',
					subject: `proposal:${row!.id}`,
					after: { spaceId: space.id, status: screened ? 'screening' : 'collecting', mediaId },
					ip: options.ip ?? null
				},
				public: false
			};
		}
	}).catch(giveBack);
	return { created: id };
}

/** What supporting led to: whether this support was new, the count, and whether it crossed the threshold. */
export interface SupportResult {
	added: boolean;
	supportCount: number;
	thresholdReached: boolean;
}

/**
 * A participant supports a proposal, not their own: exactly once however often (or however
 * concurrently) they ask — the primary key and ON CONFLICT DO NOTHING, the counter raised only
 * when a row went in, in the same transaction. The support that reaches the space's threshold within the window
 * sends the proposal to be answered, with its deadline; under concurrency that happens once
 * (the proposal's row is locked for the change).
 */
export async function supportProposal(
	db: Database,
	actor: Actor,
	slug: string,
	proposalId: number,
	options: { ip?: string | null } = {}
): Promise<SupportResult> {
	authorize(actor, dialoguePolicy.participate);
	const space = await inputSpace(db, slug, 'sv');
	await mayGive(db, actor, space, 'supports');
	await takeAllowance(db, 'supports', actor.id, options.ip);
	return runCommand<object, SupportResult>(db, actor, {
		rule: dialoguePolicy.participate,
		parse: () => ({}),
		work: async (tx) => {
			// No lock is taken before the insert: the support row's key makes it once, and the
			// counter's single guarded update (the proposal still collecting) holds the row only
			// from there to the commit, so a crowd of supporters queues as briefly as it can.
			const inserted = await tx
				.insert(proposalSupport)
				.values({ proposalId, userId: actor.id })
				.onConflictDoNothing()
				.returning({ userId: proposalSupport.userId });
			const now = new Date();
			const supportable = and(
				eq(proposal.id, proposalId),
				eq(proposal.spaceId, space.id),
				inArray(proposal.status, supportableStatuses),
				eq(proposal.hidden, false),
				gt(proposal.collectUntil, now),
				// Its author speaks for it already (and supporting would end their right to edit it).
				sql`${proposal.authorId} is distinct from ${actor.id}`
			);
			if (!inserted.length) {
				const [p] = await tx
					.select({ supportCount: proposal.supportCount })
					.from(proposal)
					.where(and(eq(proposal.id, proposalId), eq(proposal.spaceId, space.id)));
				if (!p) throw new NotFoundError('Proposal');
				return {
					result: { added: false, supportCount: p.supportCount, thresholdReached: false },
					audit: [],
					public: false
				};
			}
			const [after] = await tx
				.update(proposal)
				.set({ supportCount: sql`${proposal.supportCount} + 1` })
				.where(supportable)
				.returning({ supportCount: proposal.supportCount, status: proposal.status });
			if (!after) {
				// Not supportable (or not there): the insert is rolled back with the refusal.
				const [exists] = await tx
					.select({ authorId: proposal.authorId })
					.from(proposal)
					.where(and(eq(proposal.id, proposalId), eq(proposal.spaceId, space.id)));
				if (!exists) throw new NotFoundError('Proposal');
				if (exists.authorId === actor.id)
					throw new ValidationError([{ field: 'form', code: 'proposalOwnSupport' }], 'dialogue');
				refuse('notCollecting', 'supports');
			}
			const p = after!;
			const supportCount = p.supportCount;
			let thresholdReached = false;
			if (p.status === 'collecting' && supportCount >= space.supportThreshold) {
				const answerDue = new Date(now.getTime() + space.answerDays * day);
				const reached = await tx
					.update(proposal)
					.set({ status: 'to-answer', thresholdReachedAt: now, answerDue })
					.where(and(eq(proposal.id, proposalId), eq(proposal.status, 'collecting')))
					.returning({ id: proposal.id });
				if (reached.length) {
					thresholdReached = true;
					await event(tx, proposalId, 'threshold-reached', {
						supports: String(supportCount),
						answerDue: answerDue.toISOString()
					});
				}
			}
			return {
				result: { added: true, supportCount, thresholdReached },
				audit: [
					{ action: 'proposal.support', subject: `proposal:${proposalId}`, ip: options.ip ?? null },
					...(thresholdReached
						? [
								{
									action: 'proposal.threshold-reached',
									subject: `proposal:${proposalId}`,
									after: { supportCount }
								}
							]
						: [])
				],
				public: false
			};
		}
	});
}

/** The proposal an author changes, locked, in the space of the address; 403 for anyone else's. */
async function authorsProposal(
	tx: Database | Transaction,
	actor: NonNullable<Actor>,
	slug: string,
	id: number
) {
	const space = await inputSpace(tx, slug, 'sv');
	const [p] = await tx
		.select({
			authorId: proposal.authorId,
			title: proposal.title,
			body: proposal.body,
			placeName: proposal.placeName,
			mediaId: proposal.mediaId,
			language: proposal.language,
			status: proposal.status,
			hidden: proposal.hidden,
			createdAt: proposal.createdAt,
			supportCount: proposal.supportCount,
			commentCount: proposal.commentCount
		})
		.from(proposal)
		.where(and(eq(proposal.id, id), eq(proposal.spaceId, space.id)))
		.for('update');
	if (!p) throw new NotFoundError('Proposal');
	if (p.authorId !== actor.id) throw new ForbiddenError();
	return p;
}

/** The proposal while its author may still change it; else the form's refusal. */
function editable<P extends Parameters<typeof editWindowOpen>[0] & { hidden: boolean }>(p: P): P {
	if (p.hidden || !editWindowOpen(p)) {
		throw new ValidationError([{ field: 'form', code: 'proposalEditClosed' }], 'dialogue');
	}
	return p;
}

/**
 * The author corrects the proposal: within the edit window, and only before the first support
 * or comment (after that others have taken a stand on what it says). A new photo takes the old
 * one's place; `removePhoto` takes it away.
 */
export async function editProposal(
	db: Database,
	actor: Actor,
	slug: string,
	id: number,
	form: FormData | Record<string, unknown>,
	options: { ip?: string | null; photos?: PhotoPipeline } = {}
): Promise<void> {
	authorize(actor, dialoguePolicy.participate);
	const input = readProposalForm(form, editShape);
	// A photo is decoded only for its author within the window (asked again under the lock below),
	// before the transaction, with its alt text in the proposal's language.
	const before = input.proposalPhoto ? editable(await authorsProposal(db, actor, slug, id)) : null;
	await takePhotoAllowance(db, input, actor.id, options.ip);
	const prepared = await preparePhoto(actor, input, before?.language ?? 'sv', options.photos);
	await runCommand(db, actor, {
		rule: dialoguePolicy.participate,
		parse: () => input,
		work: async (tx, input, actor) => {
			const p = editable(await authorsProposal(tx, actor, slug, id));
			const mediaId = await nextPhoto(
				tx,
				actor,
				p.mediaId,
				{ prepared, remove: !!input.removePhoto },
				options.photos
			);
			const after = {
				title: input.proposalTitle,
				body: input.proposalBody,
				placeName: input.proposalPlace ?? null,
				mediaId
			};
			await tx
				.update(proposal)
				.set({ ...after, editedAt: new Date() })
				.where(eq(proposal.id, id));
			await event(tx, id, 'edited');
			return {
				result: undefined,
				audit: {
					action: 'proposal.edit',
					subject: `proposal:${id}`,
					before: { title: p.title, body: p.body, placeName: p.placeName, mediaId: p.mediaId },
					after
				},
				public: false
			};
		}
	});
}

/** The author withdraws the proposal (a tick in a box confirms it): it stays readable, marked withdrawn. */
export async function withdrawProposal(
	db: Database,
	actor: Actor,
	slug: string,
	id: number,
	form: FormData | Record<string, unknown>
): Promise<void> {
	await runCommand(db, actor, {
		rule: dialoguePolicy.participate,
		parse: () => readForm(form, withdrawShape, 'dialogue'),
		work: async (tx, _input, actor) => {
			const p = await authorsProposal(tx, actor, slug, id);
			if (!withdrawable(p.status)) {
				throw new ValidationError([{ field: 'form', code: 'proposalCannotWithdraw' }], 'dialogue');
			}
			// A withdrawn proposal owes no answer: its deadline goes (the history keeps the step).
			await tx.update(proposal).set({ status: 'withdrawn', answerDue: null }).where(eq(proposal.id, id));
			await event(tx, id, 'withdrawn', { from: p.status });
			return {
				result: undefined,
				audit: { action: 'proposal.withdraw', subject: `proposal:${id}`, before: { status: p.status } },
				public: false
			};
		}
	});
}

/**
 * Periodic work: proposals still collecting when their window ends close as not reached (still
 * readable), each with its history row. Safe on several instances at once: rows another instance
 * is closing are skipped, and the status is checked again under the lock, so each closes once.
 * At most `batch` a tick; the rest wait for the next.
 */
export async function closeExpiredProposals(db: Database, now = new Date(), batch = 500): Promise<number> {
	return runSystemChange(db, async (tx) => {
		const due = tx
			.select({ id: proposal.id })
			.from(proposal)
			.where(and(eq(proposal.status, 'collecting'), lt(proposal.collectUntil, now)))
			.limit(batch)
			.for('update', { skipLocked: true });
		const closed = await tx
			.update(proposal)
			.set({ status: 'not-reached' })
			.where(and(inArray(proposal.id, due), eq(proposal.status, 'collecting')))
			.returning({ id: proposal.id, supportCount: proposal.supportCount });
		if (closed.length) {
			await tx.insert(proposalEvent).values(
				closed.map((c) => ({
					proposalId: c.id,
					kind: 'not-reached' as const,
					detail: { supports: String(c.supportCount) },
					at: now
				}))
			);
		}
		return {
			result: closed.length,
			audit: closed.map((c) => ({ action: 'proposal.not-reached', subject: `proposal:${c.id}` })),
			public: false
		};
	});
}

/**
 * Steps another part of the platform adds to proposals' public history (a partnership's result
 * taken up from them, its status since): the notifier tells their followers as of any step.
 */
export async function recordProposalEvents(
	tx: Transaction,
	proposalIds: readonly number[],
	kind: Extract<ProposalEventKind, 'result-linked' | 'result-status'>,
	detail: Record<string, string>,
	/** Who took the step (not told of it); none for the demo's. */
	actorId: string | null
): Promise<void> {
	if (!proposalIds.length) return;
	await tx
		.insert(proposalEvent)
		.values(proposalIds.map((proposalId) => ({ proposalId, kind, detail, actorId })));
}
