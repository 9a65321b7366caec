import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor, anonymous, type TestActor } from '../../test/actors.ts';
import { aComment, aProposal, aSpace, type TestSpace } from '../../test/factories/dialogue.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { auditLog } from '../../kernel/schema.ts';
import { readRevision } from '../../kernel/revision.ts';
import { user } from '../../accounts/schema.ts';
import { dialogueBlock, dialogueComment, dialoguePhase, proposal } from '../schema.ts';
import type { Actor } from '../../kernel/policy.ts';
import type { CommentView } from '#lib/components/comment-thread/thread.ts';
import {
	deleteComment,
	editComment,
	replyRecipients,
	writeComment,
	writeReply,
	type CommentPlace
} from './commands.ts';
import { commentTarget, threadPage } from './queries.ts';

/** The domain error's problems as "field:code". */
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
/** A client address of its own for each call, so the address allowance never gets in the way. */
const client = () => ({ ip: `10.1.${Math.floor(address / 250)}.${address++ % 250}` });

describe.each(testDatabases)('comments on $name', (database) => {
	let h: DatabaseHandle;
	let anna: TestActor;
	let bo: TestActor;
	let space: TestSpace;
	let debate: CommentPlace;

	/** The thread's first page as someone sees it. */
	const thread = async (place: CommentPlace, actor: Actor, page = 1) => {
		const target = await commentTarget(h.db, place.space, place.proposalId, actor);
		return threadPage(h.db, target, actor, { page, order: 'newest' });
	};
	const find = (comments: CommentView[], id: number): CommentView | undefined => {
		for (const c of comments) {
			if (c.id === id) return c;
			const inner = find(c.replies, id);
			if (inner) return inner;
		}
		return undefined;
	};
	const countOf = async (proposalId: number) =>
		(await h.db.select({ n: proposal.commentCount }).from(proposal).where(eq(proposal.id, proposalId)))[0]!.n;

	beforeAll(async () => {
		h = await database.open();
		anna = await anActor(h.db, 'reader', { name: 'Anna Exempelsson' });
		bo = await anActor(h.db, 'reader', { name: 'Bo Testare' });
		space = await aSpace(h.db);
		debate = { space: space.slug, proposalId: null };
	});
	afterAll(() => h?.close());

	it('a resident comments on the debate and on a proposal: shown with name and stance, counted, audited, never cached', async () => {
		const revision = await readRevision(h.db);
		const { id } = await writeComment(h.db, anna, debate, { comment: 'Bra fråga!', stance: 'for' }, client());
		const seen = await thread(debate, anonymous);
		expect(seen.comments[0]).toMatchObject({
			id,
			author: 'Anna Exempelsson',
			stance: 'for',
			state: 'shown',
			body: 'Bra fråga!',
			mine: false,
			canReply: false,
			editedAt: null
		});
		expect(seen.mode).toBe('signIn');

		const p = await aProposal(h.db, space.id, bo.id);
		await writeComment(
			h.db,
			anna,
			{ space: space.slug, proposalId: p.id },
			{ comment: 'Om förslaget' },
			client()
		);
		expect(await countOf(p.id)).toBe(1);
		// The proposal's comment is not in the debate, and the debate's not on the proposal.
		const onProposal = await thread({ space: space.slug, proposalId: p.id }, anna);
		expect(onProposal.comments.map((c) => c.body)).toEqual(['Om förslaget']);
		expect(onProposal.comments[0]!.stance).toBeNull();
		expect(onProposal.mode).toBe('write');
		expect((await thread(debate, anna)).comments.map((c) => c.body)).not.toContain('Om förslaget');

		const audited = await h.db
			.select({ action: auditLog.action, actorId: auditLog.actorId })
			.from(auditLog)
			.where(eq(auditLog.subject, `dialogue-comment:${id}`));
		expect(audited).toEqual([{ action: 'dialogue-comment.create', actorId: anna.id }]);
		expect(await readRevision(h.db)).toBe(revision);
	});

	it('replies nest three levels deep, each under its parent; a fourth level is refused', async () => {
		const top = await writeComment(h.db, anna, debate, { comment: 'Nivå ett' }, client());
		const second = await writeReply(
			h.db,
			bo,
			debate,
			{ parent: String(top.id), comment: 'Nivå två' },
			client()
		);
		const third = await writeReply(
			h.db,
			anna,
			debate,
			{ parent: String(second.id), comment: 'Nivå tre', stance: 'against' },
			client()
		);
		expect(
			await problems(
				writeReply(h.db, bo, debate, { parent: String(third.id), comment: 'Nivå fyra' }, client())
			)
		).toEqual(['parent:commentTooDeep']);
		const rows = await h.db
			.select({ id: dialogueComment.id, rootId: dialogueComment.rootId, depth: dialogueComment.depth })
			.from(dialogueComment)
			.where(eq(dialogueComment.rootId, top.id));
		expect(rows.map((r) => r.depth).sort()).toEqual([1, 2]);

		const seen = await thread(debate, bo);
		const shown = find(seen.comments, top.id)!;
		expect(shown.replies.map((r) => r.body)).toEqual(['Nivå två']);
		expect(shown.replies[0]!.replies.map((r) => [r.body, r.stance, r.depth])).toEqual([
			['Nivå tre', 'against', 2]
		]);
		// Nobody is offered a reply to the third level.
		expect(shown.canReply).toBe(true);
		expect(shown.replies[0]!.replies[0]!.canReply).toBe(false);
	});

	it('the author of the comment answered is the one to be told of a reply, never the writer themself', async () => {
		const top = await writeComment(h.db, anna, debate, { comment: 'Vad tycker ni?' }, client());
		const byBo = await writeReply(
			h.db,
			bo,
			debate,
			{ parent: String(top.id), comment: 'Jag håller med.' },
			client()
		);
		expect(byBo.notify).toEqual([anna.id]);
		const byAnna = await writeReply(
			h.db,
			anna,
			debate,
			{ parent: String(top.id), comment: 'Tack!' },
			client()
		);
		expect(byAnna.notify).toEqual([]);
		expect(replyRecipients({ authorId: null }, bo.id)).toEqual([]);
		expect(top.notify).toEqual([]);
	});

	it('comments written at the same moment are each counted once on the proposal', async () => {
		const p = await aProposal(h.db, space.id, bo.id);
		const place = { space: space.slug, proposalId: p.id };
		const people = await Promise.all(Array.from({ length: 12 }, () => anActor(h.db, 'reader')));
		const top = await writeComment(h.db, anna, place, { comment: 'Start' }, client());
		await Promise.all(
			people.map((who, i) =>
				i % 2
					? writeComment(h.db, who, place, { comment: `Samtidigt ${i}` }, client())
					: writeReply(h.db, who, place, { parent: String(top.id), comment: `Svar ${i}` }, client())
			)
		);
		expect(await countOf(p.id)).toBe(13);
		const seen = await thread(place, anonymous);
		expect(seen.threads).toBe(7);
		expect(find(seen.comments, top.id)!.replies).toHaveLength(6);
	});

	it('a reply goes to a comment of the same thread only', async () => {
		const p = await aProposal(h.db, space.id, bo.id);
		const onProposal = await aComment(h.db, space.id, bo.id, { proposalId: p.id });
		expect(
			await problems(
				writeReply(h.db, anna, debate, { parent: String(onProposal.id), comment: 'Hit?' }, client())
			)
		).toEqual(['parent:commentGone']);
		expect(
			await problems(writeReply(h.db, anna, debate, { parent: 'x', comment: 'Hit?' }, client()))
		).toEqual(['parent:commentGone']);
	});

	it('bad input names each field and writes nothing', async () => {
		const before = (await thread(debate, anna)).threads;
		expect(await problems(writeComment(h.db, anna, debate, { comment: '   ' }, client()))).toEqual([
			'comment:required'
		]);
		expect(
			await problems(
				writeComment(h.db, anna, debate, { comment: 'x'.repeat(1001), stance: 'maybe' }, client())
			)
		).toEqual(['comment:commentTooLong', 'stance:commentInvalidStance']);
		// 1,000 characters after cleaning is fine, and so are control characters (made spaces).
		const { id } = await writeComment(h.db, anna, debate, { comment: `${'å'.repeat(999)}\u0000` }, client());
		const [row] = await h.db
			.select({ body: dialogueComment.body })
			.from(dialogueComment)
			.where(eq(dialogueComment.id, id));
		expect(row!.body).toBe('å'.repeat(999));
		expect((await thread(debate, anna)).threads).toBe(before + 1);
	});

	it('only a signed-in participant writes, and only where a current phase opens comments in an open space', async () => {
		await expect(writeComment(h.db, anonymous, debate, { comment: 'Hej' }, client())).rejects.toMatchObject({
			signInRequired: true
		});
		await expect(writeComment(h.db, anonymous, debate, { comment: 'Hej' }, client())).rejects.toBeInstanceOf(
			ForbiddenError
		);

		const closed = await aSpace(h.db, { status: 'closed' });
		const noComments = await aSpace(h.db, { opens: ['proposals', 'supports'] });
		const residents = await aSpace(h.db, { requirements: { comments: 'verified-resident' } });
		const draft = await aSpace(h.db, { status: 'draft' });
		const over = await aSpace(h.db);
		await h.db
			.update(dialoguePhase)
			.set({ startsOn: '2020-01-01', endsOn: '2020-02-01' })
			.where(eq(dialoguePhase.spaceId, over.id));
		for (const [s, code, mode] of [
			[closed, 'commentsClosed', 'closed'],
			[noComments, 'commentsClosed', 'closed'],
			[over, 'commentsClosed', 'closed'],
			[draft, 'commentsClosed', 'closed'],
			[residents, 'commentResidentsOnly', 'residentsOnly']
		] as const) {
			const place = { space: s.slug, proposalId: null };
			expect(await problems(writeComment(h.db, anna, place, { comment: 'Hej' }, client()))).toEqual([
				`form:${code}`
			]);
			expect((await thread(place, anna)).mode).toBe(mode);
		}
		await expect(
			writeComment(h.db, anna, { space: 'no-such-space', proposalId: null }, { comment: 'Hej' }, client())
		).rejects.toBeInstanceOf(NotFoundError);

		const withdrawn = await aProposal(h.db, space.id, bo.id, { status: 'withdrawn' });
		const place = { space: space.slug, proposalId: withdrawn.id };
		expect(await problems(writeComment(h.db, anna, place, { comment: 'Hej' }, client()))).toEqual([
			'form:commentsClosed'
		]);
		// A proposal still being screened (its page is for its author and the moderators) takes none.
		const screening = await aProposal(h.db, space.id, bo.id, { status: 'screening' });
		expect((await thread({ space: space.slug, proposalId: screening.id }, anna)).mode).toBe('closed');
		// A proposal of another space is not found through this one.
		const elsewhere = await aProposal(h.db, closed.id, bo.id);
		await expect(thread({ space: space.slug, proposalId: elsewhere.id }, anna)).rejects.toBeInstanceOf(
			NotFoundError
		);
	});

	it('a participant blocked in the space or on the whole platform, or with an unverified address, is refused with a message', async () => {
		const inSpace = await anActor(h.db, 'reader');
		const everywhere = await anActor(h.db, 'reader');
		const unverified = await anActor(h.db, 'reader');
		await h.db.insert(dialogueBlock).values([
			{ userId: inSpace.id, spaceId: space.id, reason: 'Upprepade personangrepp' },
			{ userId: everywhere.id, spaceId: null, reason: 'Skräppost' }
		]);
		await h.db.update(user).set({ emailVerified: false }).where(eq(user.id, unverified.id));
		for (const [who, code, mode] of [
			[inSpace, 'commentBlocked', 'blocked'],
			[everywhere, 'commentBlocked', 'blocked'],
			[unverified, 'commentEmailUnverified', 'unverified']
		] as const) {
			expect(await problems(writeComment(h.db, who, debate, { comment: 'Hej' }, client()))).toEqual([
				`form:${code}`
			]);
			expect((await thread(debate, who)).mode).toBe(mode);
		}
		// Blocked in this space only: another space is open to them.
		const other = await aSpace(h.db);
		await writeComment(h.db, inSpace, { space: other.slug, proposalId: null }, { comment: 'Hej' }, client());
	});

	it('the author edits within 15 minutes, marked as edited; later, or someone else, cannot', async () => {
		const { id } = await writeComment(h.db, anna, debate, { comment: 'Stavfell' }, client());
		expect(find((await thread(debate, anna)).comments, id)!.editableUntil).not.toBeNull();
		expect(find((await thread(debate, bo)).comments, id)!.editableUntil).toBeNull();
		await editComment(h.db, anna, debate, { commentId: String(id), comment: 'Stavfel', stance: 'neutral' });
		const edited = find((await thread(debate, bo)).comments, id)!;
		expect(edited).toMatchObject({ body: 'Stavfel', stance: 'neutral' });
		expect(edited.editedAt).not.toBeNull();

		await expect(
			editComment(h.db, bo, debate, { commentId: String(id), comment: 'Mitt nu' })
		).rejects.toBeInstanceOf(ForbiddenError);
		await h.db
			.update(dialogueComment)
			.set({ createdAt: new Date(Date.now() - 16 * 60_000) })
			.where(eq(dialogueComment.id, id));
		expect(find((await thread(debate, anna)).comments, id)!.editableUntil).toBeNull();
		expect(
			await problems(editComment(h.db, anna, debate, { commentId: String(id), comment: 'För sent' }))
		).toEqual(['form:commentEditWindow']);
		const [row] = await h.db
			.select({ body: dialogueComment.body })
			.from(dialogueComment)
			.where(eq(dialogueComment.id, id));
		expect(row!.body).toBe('Stavfel');
	});

	it('deleting keeps the thread: "deleted by its author", its replies stay, the count goes down once', async () => {
		const p = await aProposal(h.db, space.id, bo.id);
		const place = { space: space.slug, proposalId: p.id };
		const top = await writeComment(
			h.db,
			anna,
			place,
			{ comment: 'Ångrar mig snart', stance: 'for' },
			client()
		);
		await writeReply(h.db, bo, place, { parent: String(top.id), comment: 'Svar som står kvar' }, client());
		expect(await countOf(p.id)).toBe(2);

		await expect(deleteComment(h.db, bo, place, { commentId: String(top.id) })).rejects.toBeInstanceOf(
			ForbiddenError
		);
		await deleteComment(h.db, anna, place, { commentId: String(top.id) });
		await deleteComment(h.db, anna, place, { commentId: String(top.id) });
		expect(await countOf(p.id)).toBe(1);

		const shown = find((await thread(place, anna)).comments, top.id)!;
		expect(shown).toMatchObject({
			state: 'deleted',
			body: null,
			stance: null,
			canReply: false,
			canDelete: false
		});
		expect(shown.replies.map((r) => r.body)).toEqual(['Svar som står kvar']);
		const [row] = await h.db
			.select({ body: dialogueComment.body, deletedAt: dialogueComment.deletedAt })
			.from(dialogueComment)
			.where(eq(dialogueComment.id, top.id));
		expect(row!.body).toBe('');
		expect(row!.deletedAt).not.toBeNull();
		// Nobody replies to a deleted comment.
		expect(
			await problems(writeReply(h.db, bo, place, { parent: String(top.id), comment: 'Hallå?' }, client()))
		).toEqual(['parent:commentGone']);
	});

	it('a hidden comment shows its public reason instead of its text, and takes no replies or edits', async () => {
		const { id } = await writeComment(h.db, bo, debate, { comment: 'Något olämpligt' }, client());
		await h.db
			.update(dialogueComment)
			.set({ hidden: true, hiddenReason: 'Kränkande mot en annan deltagare' })
			.where(eq(dialogueComment.id, id));
		const shown = find((await thread(debate, anna)).comments, id)!;
		expect(shown).toMatchObject({
			state: 'hidden',
			body: null,
			hiddenReason: 'Kränkande mot en annan deltagare',
			canReply: false
		});
		expect(
			await problems(writeReply(h.db, anna, debate, { parent: String(id), comment: 'Nej' }, client()))
		).toEqual(['parent:commentGone']);
		expect(
			await problems(editComment(h.db, bo, debate, { commentId: String(id), comment: 'Snällare' }))
		).toEqual(['form:commentHidden']);
	});
});
