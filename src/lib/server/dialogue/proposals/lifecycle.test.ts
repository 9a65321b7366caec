import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor, type TestActor } from '../../test/actors.ts';
import { aComment, aProposal, aSpace } from '../../test/factories/dialogue.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { ForbiddenError, ValidationError } from '../../kernel/errors.ts';
import { user } from '../../accounts/schema.ts';
import { proposal, proposalAnswer, proposalEvent } from '../schema.ts';
import { proposalForEdit, proposalPage } from './queries.ts';
import {
	closeExpiredProposals,
	editProposal,
	submitProposal,
	supportProposal,
	withdrawProposal
} from './commands.ts';
import { limitMessage, limits, ParticipationLimitError } from './limits.ts';

// The author's edits and withdrawal, the limits per participant and per address, the periodic
// closing of proposals that did not reach the threshold, and what the proposal page shows.

async function problems(run: Promise<unknown>): Promise<string[]> {
	try {
		await run;
	} catch (e) {
		if (e instanceof ValidationError) return e.problems.map((p) => `${p.field}:${String(p.code)}`);
		throw e;
	}
	throw new Error('expected a ValidationError');
}

const minute = 60_000;
const day = 24 * 60 * minute;
const edit = (title: string) => ({
	proposalTitle: title,
	proposalBody: 'En rättad text om vad som ska göras och varför det behövs.'
});

describe.each(testDatabases)('a proposal’s life on $name', (database) => {
	let h: DatabaseHandle;
	let author: TestActor;
	let other: TestActor;

	beforeAll(async () => {
		h = await database.open();
		author = await anActor(h.db, 'reader', { name: 'Aina Författare' });
		other = await anActor(h.db, 'reader');
	});
	afterAll(async () => {
		await h?.close();
	});

	const rowOf = async (id: number) => (await h.db.select().from(proposal).where(eq(proposal.id, id)))[0]!;
	const kindsOf = async (id: number) =>
		(
			await h.db
				.select({ kind: proposalEvent.kind })
				.from(proposalEvent)
				.where(eq(proposalEvent.proposalId, id))
				.orderBy(proposalEvent.at, proposalEvent.id)
		).map((e) => e.kind);

	it('lets the author edit within 15 minutes, before any support or comment', async () => {
		const space = await aSpace(h.db);
		const fresh = await aProposal(h.db, space.id, author.id, { title: 'Första titeln' });
		expect((await proposalForEdit(h.db, author, space.slug, fresh.id)).open).toBe(true);
		await editProposal(h.db, author, space.slug, fresh.id, {
			...edit('Rättad titel'),
			proposalPlace: 'Torget'
		});
		const row = await rowOf(fresh.id);
		expect(row).toMatchObject({ title: 'Rättad titel', placeName: 'Torget' });
		expect(row.editedAt).not.toBeNull();
		expect(await kindsOf(fresh.id)).toEqual(['edited']);
		// Bad input is named and changes nothing.
		expect(await problems(editProposal(h.db, author, space.slug, fresh.id, { proposalTitle: '' }))).toEqual([
			'proposalTitle:required',
			'proposalBody:required'
		]);

		// Not somebody else's; not signed out.
		await expect(editProposal(h.db, other, space.slug, fresh.id, edit('Kapad titel'))).rejects.toThrow(
			ForbiddenError
		);
		await expect(editProposal(h.db, null, space.slug, fresh.id, edit('Kapad titel'))).rejects.toSatisfy(
			(e) => e instanceof ForbiddenError && e.signInRequired
		);
		await expect(proposalForEdit(h.db, other, space.slug, fresh.id)).rejects.toThrow(ForbiddenError);

		// Once someone supports it, the text is what they supported.
		await supportProposal(h.db, other, space.slug, fresh.id);
		expect(await problems(editProposal(h.db, author, space.slug, fresh.id, edit('Sen titel')))).toEqual([
			'form:proposalEditClosed'
		]);
		// Or comments on it.
		const commented = await aProposal(h.db, space.id, author.id);
		await aComment(h.db, space.id, other.id, { proposalId: commented.id });
		await h.db.update(proposal).set({ commentCount: 1 }).where(eq(proposal.id, commented.id));
		expect(await problems(editProposal(h.db, author, space.slug, commented.id, edit('Sen titel')))).toEqual([
			'form:proposalEditClosed'
		]);
		// Or after 15 minutes.
		const old = await aProposal(h.db, space.id, author.id, { createdAt: new Date(Date.now() - 16 * minute) });
		expect(await problems(editProposal(h.db, author, space.slug, old.id, edit('Sen titel')))).toEqual([
			'form:proposalEditClosed'
		]);
		expect((await proposalPage(h.db, author, space.slug, old.id, 'sv')).reader.canEdit).toBe(false);
		expect((await rowOf(old.id)).editedAt).toBeNull();
	});

	it('lets the author withdraw it after a confirmation; it stays readable', async () => {
		const space = await aSpace(h.db, { supportThreshold: 1 });
		const p = await aProposal(h.db, space.id, author.id);
		await supportProposal(h.db, other, space.slug, p.id);
		expect((await rowOf(p.id)).status).toBe('to-answer');
		expect(await problems(withdrawProposal(h.db, author, space.slug, p.id, {}))).toEqual([
			'confirmWithdraw:proposalConfirmWithdraw'
		]);
		await expect(withdrawProposal(h.db, other, space.slug, p.id, { confirmWithdraw: 'yes' })).rejects.toThrow(
			ForbiddenError
		);
		await withdrawProposal(h.db, author, space.slug, p.id, { confirmWithdraw: 'yes' });
		const row = await rowOf(p.id);
		expect(row).toMatchObject({ status: 'withdrawn', answerDue: null, supportCount: 1 });
		expect(await kindsOf(p.id)).toEqual(['threshold-reached', 'withdrawn']);
		expect(
			await problems(withdrawProposal(h.db, author, space.slug, p.id, { confirmWithdraw: 'yes' }))
		).toEqual(['form:proposalCannotWithdraw']);
		const page = await proposalPage(h.db, null, space.slug, p.id, 'sv');
		expect(page).toMatchObject({ status: 'withdrawn', reader: { supportRefusal: 'notCollecting' } });
		expect(page.history.map((e) => e.kind)).toEqual(['threshold-reached', 'withdrawn']);
	});

	it('limits proposals per participant and per address, saying when to try again', async () => {
		const space = await aSpace(h.db);
		const writer = await anActor(h.db, 'reader');
		const send = (who: TestActor, i: number, ip = '192.0.2.50') =>
			submitProposal(
				h.db,
				who,
				space.slug,
				{ ...edit(`Idé nummer ${i} ${who.id.slice(0, 6)}`), anyway: '1' },
				{ locale: 'sv', ip }
			);
		for (let i = 0; i < limits.proposals.perParticipant; i++) await send(writer, i);
		await expect(send(writer, 99)).rejects.toSatisfy(
			(e) => e instanceof ParticipationLimitError && e.kind === 'proposals' && e.retryAfterSeconds > 23 * 3600
		);
		const mine = await h.db.select().from(proposal).where(eq(proposal.authorId, writer.id));
		expect(mine).toHaveLength(limits.proposals.perParticipant);

		// One address (an office, a library) is shared, with a larger allowance.
		const ip = '192.0.2.99';
		const people = await Promise.all(
			Array.from({ length: limits.proposals.perAddress / limits.proposals.perParticipant + 1 }, () =>
				anActor(h.db, 'reader')
			)
		);
		let sent = 0;
		for (const person of people.slice(0, -1)) {
			for (let i = 0; i < limits.proposals.perParticipant; i++, sent++) await send(person, i, ip);
		}
		expect(sent).toBe(limits.proposals.perAddress);
		const last = people.at(-1)!;
		await expect(send(last, 1, ip)).rejects.toThrow(ParticipationLimitError);
		// The refused participant's own allowance was given back: from elsewhere they may write.
		for (let i = 0; i < limits.proposals.perParticipant; i++) await send(last, i, '192.0.2.100');
	});

	it('says in the reader’s language what is used up and when to try again', () => {
		expect(limitMessage(new ParticipationLimitError('supports', 1790), 'sv')).toBe(
			'Du har gett så många stöd som går på en timme. Försök igen om 30 minuter.'
		);
		expect(limitMessage(new ParticipationLimitError('proposals', 23 * 3600 + 5), 'en')).toBe(
			'You have made as many proposals as allowed in one day. Try again in 24 hours.'
		);
		expect(limitMessage(new ParticipationLimitError('supports', 20), 'en')).toBe(
			'You have given as many supports as allowed in one hour. Try again in a minute.'
		);
	});

	it('limits supports per participant in an hour', async () => {
		const space = await aSpace(h.db, { supportThreshold: 1000 });
		const supporter = await anActor(h.db, 'reader');
		const p = await aProposal(h.db, space.id, author.id);
		for (let i = 0; i < limits.supports.perParticipant; i++)
			await supportProposal(h.db, supporter, space.slug, p.id);
		await expect(supportProposal(h.db, supporter, space.slug, p.id)).rejects.toSatisfy(
			(e) => e instanceof ParticipationLimitError && e.kind === 'supports' && e.retryAfterSeconds <= 3600
		);
		expect((await rowOf(p.id)).supportCount).toBe(1);
	});

	it('closes proposals that did not reach the threshold in time, once, even on two instances at once', async () => {
		const space = await aSpace(h.db);
		const past = new Date(Date.now() - 100 * day);
		const expired = await Promise.all(
			Array.from({ length: 5 }, () =>
				aProposal(h.db, space.id, author.id, { createdAt: past, collectUntil: new Date(Date.now() - minute) })
			)
		);
		const running = await aProposal(h.db, space.id, author.id);
		const answering = await aProposal(h.db, space.id, author.id, {
			status: 'to-answer',
			createdAt: past,
			collectUntil: new Date(Date.now() - minute)
		});
		const closed = await Promise.all([closeExpiredProposals(h.db), closeExpiredProposals(h.db)]);
		expect(closed.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(expired.length);
		for (const p of expired) {
			expect((await rowOf(p.id)).status).toBe('not-reached');
			expect(await kindsOf(p.id)).toEqual(['not-reached']);
		}
		expect((await rowOf(running.id)).status).toBe('collecting');
		expect((await rowOf(answering.id)).status).toBe('to-answer');
		// Still readable, with what happened.
		const page = await proposalPage(h.db, null, space.slug, expired[0]!.id, 'sv');
		expect(page).toMatchObject({ status: 'not-reached', history: [{ kind: 'not-reached' }] });
		expect(await closeExpiredProposals(h.db)).toBe(0);
	});

	it('shows published answers newest first, a former participant, and a hidden proposal’s reason instead of its text', async () => {
		const space = await aSpace(h.db);
		const gone = await anActor(h.db, 'reader');
		const p = await aProposal(h.db, space.id, gone.id, { title: 'Ett förslag med svar', status: 'answered' });
		const at = (daysAgo: number) => new Date(Date.now() - daysAgo * day);
		await h.db.insert(proposalAnswer).values([
			{
				proposalId: p.id,
				state: 'evaluating',
				text: { sv: 'Vi utreder.', en: 'We are looking into it.' },
				publishedAt: at(10)
			},
			{
				proposalId: p.id,
				state: 'accepted',
				text: { sv: 'Bifallet.', en: 'Accepted.' },
				decidedBy: { sv: 'Kommunstyrelsen' },
				publishedAt: at(1)
			},
			{ proposalId: p.id, state: 'rejected', text: { sv: 'Ett utkast.' }, publishedAt: null }
		]);
		await h.db.delete(user).where(eq(user.id, gone.id));
		const page = await proposalPage(h.db, null, space.slug, p.id, 'en');
		expect(page.author).toBeNull();
		expect(page.answers.map((a) => [a.state, a.text, a.decidedBy])).toEqual([
			['accepted', 'Accepted.', 'Kommunstyrelsen'],
			['evaluating', 'We are looking into it.', '']
		]);

		await h.db
			.update(proposal)
			.set({ hidden: true, hiddenReason: 'Innehöll personuppgifter om en granne.' })
			.where(and(eq(proposal.id, p.id)));
		const hidden = await proposalPage(h.db, null, space.slug, p.id, 'sv');
		expect(hidden).toMatchObject({
			title: null,
			body: null,
			hidden: true,
			hiddenReason: 'Innehöll personuppgifter om en granne.'
		});
	});
});
