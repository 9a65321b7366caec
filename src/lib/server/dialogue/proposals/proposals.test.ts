import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq, sql } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor, type TestActor } from '../../test/actors.ts';
import { aProposal, aSpace } from '../../test/factories/dialogue.ts';
import { employ } from '../../test/factories/partner-search.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { auditLog } from '../../kernel/schema.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { dialogueBlock, dialogueSpace, proposal, proposalEvent, proposalSupport } from '../schema.ts';
import { proposalPage } from './queries.ts';
import { submitProposal, supportProposal } from './commands.ts';

// Writing proposals, near-duplicates, who may take part, and supports under concurrency. The
// author's edits, withdrawing, the limits and the periodic work are in lifecycle.test.ts.

/** The domain error's problems as "field:code". */
export async function problems(run: Promise<unknown>): Promise<string[]> {
	try {
		await run;
	} catch (e) {
		if (e instanceof ValidationError) return e.problems.map((p) => `${p.field}:${String(p.code)}`);
		throw e;
	}
	throw new Error('expected a ValidationError');
}

const sv = { locale: 'sv' };
const form = (title: string, extra: Record<string, string> = {}) => ({
	proposalTitle: title,
	proposalBody: 'Det behövs fler sittplatser för äldre som promenerar i parken varje dag.',
	...extra
});

describe.each(testDatabases)('proposals and supports on $name', (database) => {
	let h: DatabaseHandle;
	let writer: TestActor;
	let reader: TestActor;

	beforeAll(async () => {
		h = await database.open();
		writer = await anActor(h.db, 'reader', { name: 'Vera Förslagsdotter' });
		reader = await anActor(h.db, 'reader');
	});
	afterAll(async () => {
		await h?.close();
	});

	const eventsOf = async (id: number) =>
		(
			await h.db
				.select({ kind: proposalEvent.kind })
				.from(proposalEvent)
				.where(eq(proposalEvent.proposalId, id))
				.orderBy(proposalEvent.at, proposalEvent.id)
		).map((e) => e.kind);
	const rowOf = async (id: number) => (await h.db.select().from(proposal).where(eq(proposal.id, id)))[0]!;
	const created = (r: Awaited<ReturnType<typeof submitProposal>>) => {
		if (!('created' in r)) throw new Error(`expected a new proposal, got ${JSON.stringify(r)}`);
		return r.created;
	};

	it('publishes at once in a post-moderated space, with its history and an audit row', async () => {
		const space = await aSpace(h.db, { moderation: 'post' });
		const id = created(
			await submitProposal(
				h.db,
				writer,
				space.slug,
				form('Bänkar längs ån', { proposalPlace: ' Ån,  Hörby ' }),
				{
					...sv,
					ip: '192.0.2.1'
				}
			)
		);
		const row = await rowOf(id);
		expect(row).toMatchObject({
			status: 'collecting',
			authorId: writer.id,
			placeName: 'Ån, Hörby',
			supportCount: 0
		});
		// The window is the space's: 90 days from now.
		expect(Math.round((row.collectUntil.getTime() - row.createdAt.getTime()) / 86_400_000)).toBe(90);
		expect(await eventsOf(id)).toEqual(['submitted', 'published']);
		const [audit] = await h.db
			.select()
			.from(auditLog)
			.where(eq(auditLog.subject, `proposal:${id}`));
		expect(audit).toMatchObject({ action: 'proposal.submit', actorId: writer.id, ip: '192.0.2.1' });

		// Anyone reads it, with the author's display name.
		const page = await proposalPage(h.db, null, space.slug, id, 'sv');
		expect(page).toMatchObject({
			title: 'Bänkar längs ån',
			author: 'Vera Förslagsdotter',
			status: 'collecting'
		});
		expect(page.reader).toMatchObject({ isAuthor: false, supported: false, supportRefusal: 'signIn' });
		expect(page.history.map((e) => e.kind)).toEqual(['submitted', 'published']);
		// Not under another space's address.
		const other = await aSpace(h.db);
		await expect(proposalPage(h.db, null, other.slug, id, 'sv')).rejects.toThrow(NotFoundError);
	});

	it('keeps a proposal in screening in a pre-moderated space: only its author and moderators see it', async () => {
		const moderator = await anActor(h.db, 'reader');
		const space = await aSpace(h.db, { moderation: 'pre', team: { [moderator.id]: 'moderator' } });
		const id = created(await submitProposal(h.db, writer, space.slug, form('Skärmad idé om lekplatsen'), sv));
		expect((await rowOf(id)).status).toBe('screening');
		expect(await eventsOf(id)).toEqual(['submitted']);
		await expect(proposalPage(h.db, null, space.slug, id, 'sv')).rejects.toThrow(NotFoundError);
		await expect(proposalPage(h.db, reader, space.slug, id, 'sv')).rejects.toThrow(NotFoundError);
		const own = await proposalPage(h.db, writer, space.slug, id, 'sv');
		expect(own).toMatchObject({
			status: 'screening',
			reader: { isAuthor: true, canEdit: true, canWithdraw: true }
		});
		// Not supportable while screened.
		expect(own.reader.supportRefusal).toBe('notCollecting');
		expect((await proposalPage(h.db, moderator, space.slug, id, 'sv')).title).toBe(
			'Skärmad idé om lekplatsen'
		);
		expect((await proposalPage(h.db, await anActor(h.db, 'editor'), space.slug, id, 'sv')).status).toBe(
			'screening'
		);
		// Whoever runs the space (staff of its organization) screens too.
		const staffer = await anActor(h.db, 'reader');
		await employ(h.db, staffer, space.organizationId!);
		expect((await proposalPage(h.db, staffer, space.slug, id, 'sv')).status).toBe('screening');
		// Nor is it suggested as a near-duplicate to others.
		const again = await submitProposal(h.db, reader, space.slug, form('Skärmad idé om lekplatsen'), sv);
		expect('created' in again).toBe(true);
	});

	it('names every bad field and writes nothing', async () => {
		const space = await aSpace(h.db);
		expect(
			await problems(
				submitProposal(
					h.db,
					writer,
					space.slug,
					{ proposalTitle: ' ', proposalBody: 'För kort', proposalPlace: 'x'.repeat(121) },
					sv
				)
			)
		).toEqual(['proposalTitle:required', 'proposalBody:proposalBodyTooShort', 'proposalPlace:tooLong']);
		expect(
			await problems(
				submitProposal(h.db, writer, space.slug, { ...form('Hej'), proposalBody: 'x'.repeat(5001) }, sv)
			)
		).toEqual(['proposalTitle:proposalTitleTooShort', 'proposalBody:tooLong']);
		const rows = await h.db.select().from(proposal).where(eq(proposal.spaceId, space.id));
		expect(rows).toEqual([]);
	});

	it('suggests similar titles in the same space first, and saves on "submit anyway"', async () => {
		const space = await aSpace(h.db);
		const elsewhere = await aSpace(h.db);
		const parkbank = await aProposal(h.db, space.id, reader.id, { title: 'Fler parkbänkar i Folkets park' });
		await aProposal(h.db, space.id, reader.id, {
			title: 'Fler parkbänkar i Folkets park nu',
			status: 'withdrawn'
		});
		await aProposal(h.db, elsewhere.id, reader.id, { title: 'Fler parkbänkar i Folkets park' });
		await aProposal(h.db, space.id, reader.id, { title: 'Gatubelysning på Storgatan' });

		const first = await submitProposal(h.db, writer, space.slug, form('Fler bänkar i folkets park'), sv);
		expect(first).toEqual({
			similar: [
				{ id: parkbank.id, title: 'Fler parkbänkar i Folkets park', status: 'collecting', supportCount: 0 }
			]
		});
		const count = async () =>
			(await h.db.select().from(proposal).where(eq(proposal.spaceId, space.id))).length;
		expect(await count()).toBe(3);

		const anyway = await submitProposal(
			h.db,
			writer,
			space.slug,
			form('Fler bänkar i folkets park', { anyway: '1' }),
			sv
		);
		expect('created' in anyway).toBe(true);
		expect(await count()).toBe(4);
		// An unrelated title goes through at once.
		expect(
			'created' in
				(await submitProposal(h.db, writer, space.slug, form('Simskola för vuxna på sommaren'), sv))
		).toBe(true);
	});

	it('refuses those who may not take part here, each with its reason', async () => {
		await expect(submitProposal(h.db, null, 'any-space', form('Något helt nytt'), sv)).rejects.toSatisfy(
			(e) => e instanceof ForbiddenError && e.signInRequired
		);
		await expect(submitProposal(h.db, writer, 'no-such-space', form('Något helt nytt'), sv)).rejects.toThrow(
			NotFoundError
		);
		const draft = await aSpace(h.db, { status: 'draft' });
		await expect(submitProposal(h.db, writer, draft.slug, form('Något helt nytt'), sv)).rejects.toThrow(
			NotFoundError
		);

		const refusal = async (space: { slug: string }, who: TestActor = writer) =>
			problems(submitProposal(h.db, who, space.slug, form('Något helt nytt att föreslå'), sv));
		expect(await refusal(await aSpace(h.db, { status: 'closed' }))).toEqual(['form:proposalSpaceClosed']);
		expect(await refusal(await aSpace(h.db, { opens: ['comments'] }))).toEqual(['form:proposalsNotOpen']);
		expect(await refusal(await aSpace(h.db, { requirements: { proposals: 'verified-resident' } }))).toEqual([
			'form:proposalResidentsOnly'
		]);

		const space = await aSpace(h.db);
		const blocked = await anActor(h.db, 'reader');
		await h.db
			.insert(dialogueBlock)
			.values({ userId: blocked.id, spaceId: space.id, reason: 'Hot mot andra' });
		expect(await refusal(space, blocked)).toEqual(['form:proposalBlocked']);
		// Blocked in one space only: another space takes the proposal.
		const free = await aSpace(h.db);
		expect(
			'created' in (await submitProposal(h.db, blocked, free.slug, form('Något helt nytt att föreslå'), sv))
		).toBe(true);

		const everywhere = await anActor(h.db, 'reader');
		await h.db.insert(dialogueBlock).values({ userId: everywhere.id, spaceId: null, reason: 'Skräppost' });
		expect(await refusal(await aSpace(h.db), everywhere)).toEqual(['form:proposalBlocked']);
		const p = await aProposal(h.db, space.id, writer.id);
		expect(await problems(supportProposal(h.db, blocked, space.slug, p.id))).toEqual([
			'form:proposalBlocked'
		]);
		const supportsClosed = await aSpace(h.db, { opens: ['proposals'] });
		const q = await aProposal(h.db, supportsClosed.id, writer.id);
		expect(await problems(supportProposal(h.db, reader, supportsClosed.slug, q.id))).toEqual([
			'form:supportsNotOpen'
		]);
		expect((await proposalPage(h.db, reader, supportsClosed.slug, q.id, 'sv')).reader.supportRefusal).toBe(
			'notOpen'
		);
	});

	it('counts 50 parallel supports by one participant once', async () => {
		const space = await aSpace(h.db);
		const p = await aProposal(h.db, space.id, writer.id);
		const supporter = await anActor(h.db, 'reader');
		const results = await Promise.all(
			Array.from({ length: 50 }, () =>
				supportProposal(h.db, supporter, space.slug, p.id, { ip: '198.51.100.7' })
			)
		);
		expect(results.filter((r) => r.added)).toHaveLength(1);
		expect((await rowOf(p.id)).supportCount).toBe(1);
		const rows = await h.db.select().from(proposalSupport).where(eq(proposalSupport.proposalId, p.id));
		expect(rows).toHaveLength(1);
		const page = await proposalPage(h.db, supporter, space.slug, p.id, 'sv');
		expect(page.reader).toMatchObject({ supported: true, supportRefusal: null });
		expect(page.supportCount).toBe(1);
	});

	it('counts 200 participants supporting at once as 200', async () => {
		const space = await aSpace(h.db, { supportThreshold: 1000 });
		const p = await aProposal(h.db, space.id, writer.id);
		const people = await Promise.all(Array.from({ length: 200 }, () => anActor(h.db, 'reader')));
		await Promise.all(
			people.map((person, i) =>
				supportProposal(h.db, person, space.slug, p.id, { ip: `203.0.113.${i % 200}` })
			)
		);
		expect((await rowOf(p.id)).supportCount).toBe(200);
		const [{ n }] = (await h.db
			.select({ n: sql<number>`count(*)::int` })
			.from(proposalSupport)
			.where(eq(proposalSupport.proposalId, p.id))) as [{ n: number }];
		expect(n).toBe(200);
	});

	it('sends a proposal to be answered exactly once when concurrent supports cross the threshold', async () => {
		const space = await aSpace(h.db, { supportThreshold: 10, answerDays: 30 });
		const p = await aProposal(h.db, space.id, writer.id);
		const people = await Promise.all(Array.from({ length: 25 }, () => anActor(h.db, 'reader')));
		const before = Date.now();
		const results = await Promise.all(
			people.map((person) => supportProposal(h.db, person, space.slug, p.id))
		);
		expect(results.filter((r) => r.thresholdReached)).toHaveLength(1);
		expect(results.find((r) => r.thresholdReached)!.supportCount).toBe(10);
		const row = await rowOf(p.id);
		expect(row).toMatchObject({ status: 'to-answer', supportCount: 25 });
		expect(row.thresholdReachedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
		const days = (row.answerDue!.getTime() - row.thresholdReachedAt!.getTime()) / 86_400_000;
		expect(days).toBe(30);
		const reached = await h.db
			.select()
			.from(proposalEvent)
			.where(and(eq(proposalEvent.proposalId, p.id), eq(proposalEvent.kind, 'threshold-reached')));
		expect(reached).toHaveLength(1);
		expect(reached[0]!.detail).toMatchObject({ supports: '10' });
		const page = await proposalPage(h.db, null, space.slug, p.id, 'sv');
		expect(page).toMatchObject({ status: 'to-answer', answerDue: row.answerDue!.toISOString() });
	});

	it('takes no support once a proposal stopped collecting', async () => {
		const space = await aSpace(h.db);
		for (const status of ['not-reached', 'withdrawn', 'answered', 'screening', 'refused'] as const) {
			const p = await aProposal(h.db, space.id, writer.id, { status });
			expect(await problems(supportProposal(h.db, reader, space.slug, p.id))).toEqual([
				'form:proposalNotCollecting'
			]);
		}
		const old = new Date(Date.now() - 100 * 86_400_000);
		const expired = await aProposal(h.db, space.id, writer.id, {
			createdAt: old,
			collectUntil: new Date(Date.now() - 1000)
		});
		expect(await problems(supportProposal(h.db, reader, space.slug, expired.id))).toEqual([
			'form:proposalNotCollecting'
		]);
		expect((await rowOf(expired.id)).supportCount).toBe(0);
		await expect(supportProposal(h.db, null, space.slug, expired.id)).rejects.toThrow(ForbiddenError);
		// A proposal of another space is not found under this one's address.
		const elsewhere = await aProposal(h.db, (await aSpace(h.db)).id, writer.id);
		await expect(supportProposal(h.db, reader, space.slug, elsewhere.id)).rejects.toThrow(NotFoundError);
		await h.db.update(dialogueSpace).set({ status: 'closed' }).where(eq(dialogueSpace.id, space.id));
		const p = await aProposal(h.db, space.id, writer.id);
		expect(await problems(supportProposal(h.db, reader, space.slug, p.id))).toEqual([
			'form:proposalSpaceClosed'
		]);
		const audits = await h.db
			.select()
			.from(auditLog)
			.where(eq(auditLog.subject, `proposal:${p.id}`))
			.orderBy(desc(auditLog.id));
		expect(audits).toEqual([]);
	});
});
