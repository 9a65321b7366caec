import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor, anonymous, type TestActor } from '../../test/actors.ts';
import { aProposal, aSpace, type TestSpace } from '../../test/factories/dialogue.ts';
import { employ } from '../../test/factories/partner-search.ts';
import { aPartnership } from '../../test/factories/partnerships.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { auditLog } from '../../kernel/schema.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { proposal, proposalAnswer, proposalEvent } from '../schema.ts';
import { deleteDraft, deleteTemplate, publishDrafts, saveDraft, saveTemplate } from './commands.ts';
import { answerPage, answerWork, templateWork } from './queries.ts';
import { readSpace } from '../spaces/queries.ts';

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

const day = 24 * 60 * 60 * 1000;

const draft = (proposalId: number, extra: Record<string, string> = {}) => ({
	proposal: String(proposalId),
	state: 'accepted',
	text_sv: 'Kommunen bygger en skatepark vid Nödinge torg under 2027.',
	text_en: 'The municipality builds a skate park by Nödinge square in 2027.',
	decidedBy_sv: 'Kommunstyrelsen',
	decisionUrl: 'https://example.org/protokoll/2026-11-03',
	...extra
});

describe.each(testDatabases)('answers on $name', (database) => {
	let h: DatabaseHandle;
	let staff: TestActor;
	let answerer: TestActor;
	let moderator: TestActor;
	let stranger: TestActor;
	let editor: TestActor;
	let space: TestSpace;

	beforeAll(async () => {
		h = await database.open();
		staff = await anActor(h.db, 'reader');
		answerer = await anActor(h.db, 'reader');
		moderator = await anActor(h.db, 'reader');
		stranger = await anActor(h.db, 'author');
		editor = await anActor(h.db, 'editor');
		space = await aSpace(h.db, { team: { [answerer.id]: 'answerer', [moderator.id]: 'moderator' } });
		await employ(h.db, staff, space.organizationId!);
	});
	afterAll(async () => {
		await h?.close();
	});

	const dueProposal = async (dueInDays: number, title?: string) => {
		const { id } = await aProposal(h.db, space.id, stranger.id, { title });
		const now = Date.now();
		await h.db
			.update(proposal)
			.set({
				status: 'to-answer',
				thresholdReachedAt: new Date(now - 10 * day),
				answerDue: new Date(now + dueInDays * day)
			})
			.where(eq(proposal.id, id));
		return id;
	};

	it('lets answerers, the owner’s staff and editors answer; not moderators, strangers or the signed-out', async () => {
		const id = await dueProposal(30);
		// Staff of another organization run their own spaces, not this one.
		const elsewhere = await anActor(h.db, 'reader');
		await employ(h.db, elsewhere, (await aSpace(h.db)).organizationId!);
		for (const who of [moderator, stranger, elsewhere]) {
			await expect(answerWork(h.db, who, space.slug, 'sv')).rejects.toThrow(ForbiddenError);
			await expect(saveDraft(h.db, who, space.slug, draft(id))).rejects.toThrow(ForbiddenError);
		}
		await expect(saveDraft(h.db, anonymous, space.slug, draft(id))).rejects.toMatchObject({
			signInRequired: true
		});
		for (const who of [answerer, staff, editor]) {
			expect((await answerWork(h.db, who, space.slug, 'sv')).toAnswer.rows.map((p) => p.id)).toContain(id);
		}
		await expect(answerWork(h.db, editor, 'no-such-space', 'sv')).rejects.toThrow(NotFoundError);
	});

	it('lets a partnership’s coordinators answer in its spaces', async () => {
		const coordinator = await anActor(h.db, 'reader');
		const p = await aPartnership(h.db, { coordinators: [coordinator.id], members: [stranger.id] });
		const theirs = await aSpace(h.db, { partnershipId: p.id });
		expect((await answerWork(h.db, coordinator, theirs.slug, 'en')).space.id).toBe(theirs.id);
		// A coordinator of another partnership is not one of this one's.
		const other = await anActor(h.db, 'reader');
		await aPartnership(h.db, { coordinators: [other.id] });
		await expect(answerWork(h.db, other, theirs.slug, 'en')).rejects.toThrow(ForbiddenError);
		await expect(answerWork(h.db, other, space.slug, 'en')).rejects.toThrow(ForbiddenError);
		await expect(answerWork(h.db, stranger, theirs.slug, 'en')).rejects.toThrow(ForbiddenError);
	});

	it('lists what to answer overdue first, then by deadline', async () => {
		const later = await dueProposal(40, 'Senare');
		const overdue = await dueProposal(-2, 'Försenat');
		const sooner = await dueProposal(5, 'Snart');
		const toAnswer = (await answerWork(h.db, answerer, space.slug, 'sv')).toAnswer.rows;
		const order = toAnswer.map((p) => p.id).filter((id) => [later, overdue, sooner].includes(id));
		expect(order).toEqual([overdue, sooner, later]);
		expect(toAnswer.find((p) => p.id === overdue)).toMatchObject({ overdue: true, hasDraft: false });
	});

	it('keeps one draft per proposal, refuses bad input field by field, and keeps it out of public view', async () => {
		const id = await dueProposal(10);
		expect(
			await problems(
				saveDraft(h.db, answerer, space.slug, {
					proposal: String(id),
					state: 'maybe',
					text_sv: '   ',
					decisionUrl: 'javascript:alert(1)'
				})
			)
		).toEqual([
			// In the form's order, as the error summary lists them.
			'state:invalidAnswerState',
			'text_sv:required',
			'decidedBy_sv:required',
			'text_en:required',
			'decisionUrl:invalidDecisionUrl'
		]);
		const first = await saveDraft(h.db, answerer, space.slug, draft(id));
		const again = await saveDraft(h.db, answerer, space.slug, draft(id, { state: 'rejected' }));
		expect(again.id).toBe(first.id);
		const rows = await h.db.select().from(proposalAnswer).where(eq(proposalAnswer.proposalId, id));
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			state: 'rejected',
			publishedAt: null,
			decidedBy: { sv: 'Kommunstyrelsen' }
		});
		const [p] = await h.db.select().from(proposal).where(eq(proposal.id, id));
		expect(p).toMatchObject({ status: 'to-answer', answerState: null, firstAnsweredAt: null });
		const page = await answerPage(h.db, answerer, space.slug, id, {});
		expect(page.values).toMatchObject({
			answer: String(first.id),
			state: 'rejected',
			decidedBy_sv: 'Kommunstyrelsen'
		});
		const listed = (await answerWork(h.db, answerer, space.slug, 'sv')).toAnswer.rows;
		expect(listed.find((p) => p.id === id)?.hasDraft).toBe(true);
		expect(listed.filter((p) => p.hasDraft).map((p) => p.id)).toEqual([id]);
		expect(page.published).toEqual([]);
	});

	it('publishes chosen drafts together: status, state, first answer time once, history, audit', async () => {
		const a = await dueProposal(10);
		const b = await dueProposal(10);
		const untouched = await dueProposal(10);
		const da = await saveDraft(h.db, answerer, space.slug, draft(a, { state: 'evaluating' }));
		const db_ = await saveDraft(h.db, staff, space.slug, draft(b, { state: 'rejected' }));
		const du = await saveDraft(h.db, answerer, space.slug, draft(untouched));
		expect(await problems(publishDrafts(h.db, answerer, space.slug, {}))).toEqual(['answer:noDraftsChosen']);
		expect(
			await publishDrafts(h.db, answerer, space.slug, { answer: [String(da.id), String(db_.id)] })
		).toEqual({
			published: 2
		});
		const rows = await h.db.select().from(proposal).where(eq(proposal.spaceId, space.id));
		const byId = new Map(rows.map((r) => [r.id, r]));
		expect(byId.get(a)).toMatchObject({ status: 'answered', answerState: 'evaluating' });
		expect(byId.get(b)).toMatchObject({ status: 'answered', answerState: 'rejected' });
		expect(byId.get(untouched)).toMatchObject({ status: 'to-answer', answerState: null });
		const firstAnswered = byId.get(a)!.firstAnsweredAt!;
		expect(firstAnswered).toBeInstanceOf(Date);
		const events = await h.db.select().from(proposalEvent).where(eq(proposalEvent.proposalId, a));
		expect(events.map((e) => [e.kind, e.detail])).toEqual([['answer-published', { state: 'evaluating' }]]);
		// Published already: the batch is refused whole.
		expect(
			await problems(publishDrafts(h.db, answerer, space.slug, { answer: [String(da.id), String(du.id)] }))
		).toEqual(['answer:unknownDraft']);
		expect(
			(await h.db.select().from(proposalAnswer).where(eq(proposalAnswer.id, du.id)))[0]!.publishedAt
		).toBeNull();

		// An "evaluating" answer stays on the list; a later answer changes the state, not the first time.
		expect((await answerWork(h.db, answerer, space.slug, 'sv')).toAnswer.rows.map((p) => p.id)).toContain(a);
		await new Promise((r) => setTimeout(r, 5));
		const next = await saveDraft(h.db, answerer, space.slug, draft(a, { state: 'accepted' }));
		await publishDrafts(h.db, answerer, space.slug, { answer: [String(next.id)] });
		const [after] = await h.db.select().from(proposal).where(eq(proposal.id, a));
		expect(after).toMatchObject({ status: 'answered', answerState: 'accepted' });
		expect(after!.firstAnsweredAt!.getTime()).toBe(firstAnswered.getTime());
		const page = await answerPage(h.db, answerer, space.slug, a, {});
		expect(page.published.map((p) => p.state)).toEqual(['accepted', 'evaluating']);
		const [audited] = await h.db
			.select()
			.from(auditLog)
			.where(
				and(
					eq(auditLog.action, 'dialogue.answer.publish'),
					eq(auditLog.subject, `proposal-answer:${next.id}`)
				)
			)
			.orderBy(desc(auditLog.id));
		expect(audited?.actorId).toBe(answerer.id);
	});

	it('refuses drafts of another space and proposals that cannot be answered', async () => {
		const other = await aSpace(h.db, { team: { [answerer.id]: 'answerer' } });
		const theirs = await aProposal(h.db, other.id, stranger.id, { status: 'to-answer' });
		const theirDraft = await saveDraft(h.db, answerer, other.slug, draft(theirs.id));
		expect(
			await problems(publishDrafts(h.db, answerer, space.slug, { answer: [String(theirDraft.id)] }))
		).toEqual(['answer:unknownDraft']);
		await expect(saveDraft(h.db, answerer, space.slug, draft(theirs.id))).rejects.toThrow(NotFoundError);
		const screened = await aProposal(h.db, space.id, stranger.id, { status: 'screening' });
		expect(await problems(saveDraft(h.db, answerer, space.slug, draft(screened.id)))).toEqual([
			'form:proposalNotAnswerable'
		]);
		const d = await saveDraft(h.db, answerer, other.slug, draft((await aProposal(h.db, other.id, null)).id));
		await deleteDraft(h.db, answerer, other.slug, { answer: String(d.id) });
		expect(await h.db.select().from(proposalAnswer).where(eq(proposalAnswer.id, d.id))).toEqual([]);
	});

	it('keeps templates per space and starts an answer from one', async () => {
		expect(
			await problems(saveTemplate(h.db, answerer, space.slug, { name: '', state: 'rejected', text_sv: 'x' }))
		).toEqual(['name:required', 'text_en:required']);
		const t = await saveTemplate(h.db, answerer, space.slug, {
			name: 'Avslag: budget',
			state: 'rejected',
			text_sv: 'Förslaget ryms inte i årets budget.',
			text_en: 'The proposal does not fit in this year’s budget.'
		});
		await saveTemplate(h.db, answerer, space.slug, {
			template: String(t.id),
			name: 'Avslag: budgeten',
			state: 'rejected',
			text_sv: 'Förslaget ryms inte i årets budget.',
			text_en: 'The proposal does not fit in this year’s budget.'
		});
		const { templates } = await templateWork(h.db, answerer, space.slug);
		expect(templates.map((x) => x.name)).toContain('Avslag: budgeten');
		const id = await dueProposal(10);
		const page = await answerPage(h.db, answerer, space.slug, id, { template: t.id });
		expect(page.values).toMatchObject({
			state: 'rejected',
			text_en: 'The proposal does not fit in this year’s budget.'
		});
		const other = await aSpace(h.db, { team: { [answerer.id]: 'answerer' } });
		expect(await problems(deleteTemplate(h.db, answerer, other.slug, { template: String(t.id) }))).toEqual([
			'template:unknownTemplate'
		]);
		await expect(answerPage(h.db, answerer, other.slug, id, {})).rejects.toThrow(NotFoundError);
		await deleteTemplate(h.db, answerer, space.slug, { template: String(t.id) });
		expect((await readSpace(h.db, { slug: space.slug })).languages).toEqual(['sv', 'en']);
		expect((await templateWork(h.db, answerer, space.slug)).templates.map((x) => x.id)).not.toContain(t.id);
	});
});
