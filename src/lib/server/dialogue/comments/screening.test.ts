import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor, anonymous, type TestActor } from '../../test/actors.ts';
import { aProposal, aSpace, type TestSpace } from '../../test/factories/dialogue.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../kernel/errors.ts';
import type { Actor } from '../../kernel/policy.ts';
import { auditLog, mailOutbox } from '../../kernel/schema.ts';
import { user } from '../../accounts/schema.ts';
import { dialogueComment, dialogueNotification, proposal } from '../schema.ts';
import type { CommentView } from '#lib/components/comment-thread/thread.ts';
import { deleteComment, writeComment, writeReply, type CommentPlace } from './commands.ts';
import { commentTarget, threadPage } from './queries.ts';
import { flag } from '../moderation/commands.ts';
import { screen } from '../moderation/screening.ts';
import { flagTarget, spaceModeration } from '../moderation/queries.ts';
import { runNotifier } from '../notifications/notifier.ts';
import { listComments } from '../open-data/queries.ts';
import { spaceData } from '../open-data/space.ts';

// Comments in a pre-moderated space: held until a moderator approves them, seen meanwhile by their
// author alone; approved, they are public, counted and told; refused, hidden with a reason and
// never public. Nothing held reaches another reader, a mail or open data.

async function problems(run: Promise<unknown>): Promise<string[]> {
	try {
		await run;
	} catch (e) {
		if (e instanceof ValidationError) return e.problems.map((p) => `${p.field}:${String(p.code)}`);
		throw e;
	}
	throw new Error('expected a ValidationError');
}

let address = 0;
const client = () => ({ ip: `10.7.${Math.floor(address / 250)}.${address++ % 250}` });

describe.each(testDatabases)('comments held for screening on $name', (database) => {
	let h: DatabaseHandle;
	let anna: TestActor;
	let bo: TestActor;
	let moderator: TestActor;
	let pre: TestSpace;
	let proposalId: number;
	let onProposal: CommentPlace;
	let debate: CommentPlace;

	const thread = async (place: CommentPlace, actor: Actor) => {
		const target = await commentTarget(h.db, place.space, place.proposalId, actor);
		return threadPage(h.db, target, actor, { page: 1, order: 'oldest' });
	};
	const ids = (comments: CommentView[]): number[] => comments.flatMap((c) => [c.id, ...ids(c.replies)]);
	const countOf = async () =>
		(await h.db.select({ n: proposal.commentCount }).from(proposal).where(eq(proposal.id, proposalId)))[0]!.n;
	const approve = (id: number, who: Actor = moderator) =>
		screen(h.db, who, pre.slug, { comment: String(id) }, 'publish');
	const refuse = (id: number, reason: string) =>
		screen(h.db, moderator, pre.slug, { comment: String(id), reason }, 'refuse');
	/** Reply notifications of a comment, and the mail sent to someone about anything. */
	const toldOf = (id: number) =>
		h.db
			.select({ userId: dialogueNotification.userId, mailedAt: dialogueNotification.mailedAt })
			.from(dialogueNotification)
			.where(eq(dialogueNotification.key, `reply:${id}`));
	const mailTo = (p: TestActor) => h.db.select().from(mailOutbox).where(eq(mailOutbox.recipient, p.email));

	beforeAll(async () => {
		h = await database.open();
		anna = await anActor(h.db, 'reader', { name: 'Anna Granskad' });
		bo = await anActor(h.db, 'reader', { name: 'Bo Läsare' });
		moderator = await anActor(h.db, 'reader', { name: 'Mona Moderator' });
		// Single mails, so that each telling is a row in the outbox.
		for (const p of [anna, bo, moderator])
			await h.db.update(user).set({ notificationMail: 'single' }).where(eq(user.id, p.id));
		pre = await aSpace(h.db, { moderation: 'pre', team: { [moderator.id]: 'moderator' } });
		proposalId = (await aProposal(h.db, pre.id, bo.id)).id;
		onProposal = { space: pre.slug, proposalId };
		debate = { space: pre.slug, proposalId: null };
		// The first round places the notifier's cursors after what is there.
		await runNotifier(h.db);
	});
	afterAll(() => h?.close());

	it('a held comment is its author’s alone, marked awaiting, not counted; a moderator’s is published at once', async () => {
		const { id } = await writeComment(h.db, anna, onProposal, { comment: 'Väntar på granskning' }, client());
		expect(await countOf()).toBe(0);

		const own = await thread(onProposal, anna);
		expect(own.screened).toBe(true);
		expect(own.threads).toBe(1);
		expect(own.comments[0]).toMatchObject({
			id,
			state: 'shown',
			body: 'Väntar på granskning',
			awaiting: true,
			mine: true,
			canReply: false,
			canDelete: true
		});
		for (const other of [bo, anonymous]) {
			const seen = await thread(onProposal, other);
			expect(seen.comments).toEqual([]);
			expect(seen.threads).toBe(0);
			expect(seen.pages).toBe(1);
		}
		// Nobody can answer it, not even its author; nobody else can report it.
		expect(
			await problems(writeReply(h.db, anna, onProposal, { parent: String(id), comment: 'Svar' }, client()))
		).toEqual(['parent:commentGone']);
		expect(
			await problems(flag(h.db, bo, { comment: String(id), reason: 'spam' }, { clientAddress: '10.9.0.1' }))
		).toEqual(['form:flagNotPublic']);
		await expect(flagTarget(h.db, { kind: 'comment', id })).rejects.toThrow(NotFoundError);

		// The space's moderator writes without waiting; their comment counts at once.
		const own2 = await writeComment(h.db, moderator, debate, { comment: 'Välkomna!' }, client());
		expect((await thread(debate, moderator)).screened).toBe(false);
		expect(ids((await thread(debate, anonymous)).comments)).toEqual([own2.id]);
		// Flagged, it is in the moderator's queue as their own: they are not offered to block themselves.
		await flag(h.db, bo, { comment: String(own2.id), reason: 'spam' }, { clientAddress: '10.9.0.2' });
		const flagged = (await spaceModeration(h.db, moderator, pre.slug, 'sv')).flagged.rows;
		expect(flagged.map((f) => [f.id, f.mine])).toEqual([[own2.id, true]]);

		// Deleted while held: gone from the queue, and the count (never raised) stays.
		const gone = await writeComment(h.db, anna, onProposal, { comment: 'Ångrar mig' }, client());
		await deleteComment(h.db, anna, onProposal, { commentId: String(gone.id) });
		expect(await countOf()).toBe(0);
		const queue = await spaceModeration(h.db, moderator, pre.slug, 'sv');
		expect(queue.held.map((c) => c.id)).toEqual([id]);
		expect(queue.held[0]).toMatchObject({
			body: 'Väntar på granskning',
			author: 'Anna Granskad',
			mine: false
		});
	});

	it('approved, a comment is public and counted, audited with its moderator; decided once only', async () => {
		const { id } = await writeComment(h.db, anna, onProposal, { comment: 'Godkänn mig' }, client());
		const before = await countOf();
		await expect(approve(id, bo)).rejects.toThrow(ForbiddenError);
		expect(await approve(id)).toBe('comment');
		expect(await countOf()).toBe(before + 1);
		const seen = await thread(onProposal, bo);
		expect(seen.comments.find((c) => c.id === id)).toMatchObject({ awaiting: false, body: 'Godkänn mig' });
		expect((await spaceModeration(h.db, moderator, pre.slug, 'sv')).held.map((c) => c.id)).not.toContain(id);
		expect(await problems(approve(id))).toEqual(['form:commentNotHeld']);
		expect(await problems(refuse(id, 'För sent'))).toEqual(['form:commentNotHeld']);
		expect(await countOf()).toBe(before + 1);
		const audited = await h.db
			.select({ action: auditLog.action, actorId: auditLog.actorId })
			.from(auditLog)
			.where(eq(auditLog.subject, `dialogue-comment:${id}`));
		expect(audited).toEqual([
			{ action: 'dialogue-comment.create', actorId: anna.id },
			{ action: 'dialogue-comment.approve', actorId: moderator.id }
		]);
		// Another space's moderator page cannot decide it.
		const other = await aSpace(h.db, { moderation: 'pre', team: { [moderator.id]: 'moderator' } });
		const elsewhere = await writeComment(
			h.db,
			anna,
			{ space: pre.slug, proposalId: null },
			{ comment: 'Här' },
			client()
		);
		expect(
			await problems(screen(h.db, moderator, other.slug, { comment: String(elsewhere.id) }, 'publish'))
		).toEqual(['form:commentNotHeld']);
	});

	it('refused, a comment is hidden with its reason for its author alone, never counted, listed or shown again', async () => {
		const { id } = await writeComment(h.db, anna, onProposal, { comment: 'Olämpligt' }, client());
		const before = await countOf();
		expect(await problems(refuse(id, ''))).toEqual(['reason:required']);
		await refuse(id, 'Personangrepp');
		expect(await countOf()).toBe(before);
		expect((await thread(onProposal, anna)).comments.find((c) => c.id === id)).toMatchObject({
			state: 'hidden',
			hiddenReason: 'Personangrepp',
			body: null,
			awaiting: false
		});
		expect(ids((await thread(onProposal, bo)).comments)).not.toContain(id);
		const queue = await spaceModeration(h.db, moderator, pre.slug, 'sv');
		expect(queue.held.map((c) => c.id)).not.toContain(id);
		expect(queue.hidden.map((c) => c.id)).not.toContain(id);
		expect(await problems(approve(id))).toEqual(['form:commentNotHeld']);
	});

	it('a held reply is mailed once it is approved, never before, never twice, never to the moderator; refused, never', async () => {
		const top = await writeComment(h.db, bo, debate, { comment: 'Bo frågar' }, client());
		await approve(top.id);
		const reply = await writeReply(
			h.db,
			anna,
			debate,
			{ parent: String(top.id), comment: 'Anna svarar' },
			client()
		);
		expect(reply.notify).toEqual([]);
		// Held: the cursor passes it without telling anyone, and Bo's thread does not show it.
		await runNotifier(h.db);
		expect(await toldOf(reply.id)).toEqual([]);
		expect(ids((await thread(debate, bo)).comments)).not.toContain(reply.id);
		const mailsBefore = (await mailTo(bo)).length;

		await approve(reply.id);
		expect((await toldOf(reply.id)).map((n) => n.userId)).toEqual([bo.id]);
		expect(await mailTo(bo)).toHaveLength(mailsBefore + 1);
		await runNotifier(h.db);
		expect(await toldOf(reply.id)).toHaveLength(1);
		expect(await mailTo(bo)).toHaveLength(mailsBefore + 1);

		// Approved before the notifier came by: told by the approval, the cursor adds nothing.
		const quick = await writeReply(
			h.db,
			anna,
			debate,
			{ parent: String(top.id), comment: 'Snabbt' },
			client()
		);
		await approve(quick.id);
		await runNotifier(h.db);
		expect(await toldOf(quick.id)).toHaveLength(1);
		expect(await mailTo(bo)).toHaveLength(mailsBefore + 2);

		// Refused: never told.
		const refused = await writeReply(
			h.db,
			anna,
			debate,
			{ parent: String(top.id), comment: 'Nej' },
			client()
		);
		await runNotifier(h.db);
		await refuse(refused.id, 'Utanför ämnet');
		await runNotifier(h.db);
		expect(await toldOf(refused.id)).toEqual([]);

		// A reply to the moderator's own comment, approved by them: not told of their own step.
		const mine = await writeComment(h.db, moderator, debate, { comment: 'Frågor?' }, client());
		const toMod = await writeReply(h.db, anna, debate, { parent: String(mine.id), comment: 'Ja' }, client());
		await runNotifier(h.db);
		await approve(toMod.id);
		await runNotifier(h.db);
		expect(await toldOf(toMod.id)).toEqual([]);
		expect(await mailTo(moderator)).toEqual([]);
	});

	it('open data leaves held and refused comments out: the comment list, the API’s filter and the space’s download', async () => {
		const held = await writeComment(h.db, anna, debate, { comment: 'Hemlig tills vidare' }, client());
		const refused = await writeComment(h.db, anna, debate, { comment: 'Avvisas' }, client());
		await refuse(refused.id, 'Reklam');
		const approved = await writeComment(h.db, anna, debate, { comment: 'Offentlig' }, client());
		await approve(approved.id);

		const listed = await listComments(h.db, { space: pre.slug, page: 1, perPage: 100 });
		const listedIds = listed.items.map((c) => c.id);
		expect(listedIds).toContain(approved.id);
		expect(listedIds).not.toContain(held.id);
		expect(listedIds).not.toContain(refused.id);
		expect(listed.total).toBe(listed.items.length);
		const all = (await spaceData(h.db, pre.slug)).comments.map((c) => c.id);
		expect(all).toContain(approved.id);
		expect(all).not.toContain(held.id);
		expect(all).not.toContain(refused.id);
		// And the rows are there, held, all the while.
		const rows = await h.db
			.select({ id: dialogueComment.id })
			.from(dialogueComment)
			.where(and(eq(dialogueComment.spaceId, pre.id), eq(dialogueComment.screening, true)));
		expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining([held.id, refused.id]));
	});
});
