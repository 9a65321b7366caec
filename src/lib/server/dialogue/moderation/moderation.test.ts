import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq, inArray, max } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor, anonymous, type TestActor } from '../../test/actors.ts';
import { aComment, aProposal, aSpace, type TestSpace } from '../../test/factories/dialogue.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { auditLog } from '../../kernel/schema.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { user } from '../../accounts/schema.ts';
import {
	dialogueComment,
	dialogueFlag,
	dialogueFollow,
	dialogueNotification,
	dialogueNotificationCursor,
	proposal,
	proposalEvent
} from '../schema.ts';
import { runNotifier } from '../notifications/notifier.ts';
import { blockAuthor, flag, flagsPerAddress, flagsPerUser, hide, restore, unblock } from './commands.ts';
import { screen } from './screening.ts';
import { platformModeration, queuePageSize, spaceModeration, type FlaggedItem } from './queries.ts';

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
/** A client address of its own per call unless given: the address limit is tested on its own. */
const from = (ip?: string) => ({ clientAddress: ip ?? `198.51.100.${(address++ % 250) + 1}` });

describe.each(testDatabases)('moderation on $name', (database) => {
	let h: DatabaseHandle;
	let moderator: TestActor;
	let stranger: TestActor;
	let editor: TestActor;
	let author: TestActor;
	let residents: TestActor[];
	let space: TestSpace;

	beforeAll(async () => {
		h = await database.open();
		moderator = await anActor(h.db, 'reader');
		stranger = await anActor(h.db, 'reader');
		editor = await anActor(h.db, 'editor');
		author = await anActor(h.db, 'reader');
		residents = [];
		for (let i = 0; i < 4; i++) residents.push(await anActor(h.db, 'reader'));
		space = await aSpace(h.db, { team: { [moderator.id]: 'moderator' }, flagsToHide: 3 });
	});
	afterAll(async () => {
		await h?.close();
	});

	/** Every page of the platform's queue (other tests' and the demo's flags come first). */
	const platformQueue = async () => {
		const all: FlaggedItem[] = [];
		for (let n = 1; ; n++) {
			const { flagged } = await platformModeration(h.db, editor, 'sv', n);
			all.push(...flagged.rows);
			if (n >= flagged.pages) return all;
		}
	};

	const proposalRow = async (id: number) =>
		(await h.db.select().from(proposal).where(eq(proposal.id, id)))[0]!;
	const history = async (id: number) =>
		(
			await h.db
				.select()
				.from(proposalEvent)
				.where(eq(proposalEvent.proposalId, id))
				.orderBy(proposalEvent.id)
		).map((e) => [e.kind, e.detail]);

	it('hides a proposal after flags from three different participants, not before', async () => {
		const { id } = await aProposal(h.db, space.id, author.id);
		const form = { proposal: String(id), reason: 'offensive' };
		expect(await flag(h.db, residents[0]!, form, from())).toMatchObject({ flagged: true, hidden: false });
		expect(await flag(h.db, residents[1]!, { ...form, reason: 'spam' }, from())).toMatchObject({
			hidden: false
		});
		expect((await proposalRow(id)).hidden).toBe(false);
		expect(await flag(h.db, residents[2]!, form, from())).toMatchObject({ flagged: true, hidden: true });
		expect(await proposalRow(id)).toMatchObject({ hidden: true, hiddenReason: null });
		expect(await history(id)).toEqual([['hidden', { by: 'flags' }]]);
		const queue = await spaceModeration(h.db, moderator, space.slug, 'sv');
		expect(queue.flagged.rows.find((f) => f.kind === 'proposal' && f.id === id)).toMatchObject({
			kind: 'proposal',
			flags: 3,
			hidden: true,
			reasons: { offensive: 2, spam: 1 },
			author: author.name
		});
	});

	it('does not hide on three flags from one participant', async () => {
		const { id } = await aProposal(h.db, space.id, author.id);
		const form = { proposal: String(id), reason: 'spam' };
		expect(await flag(h.db, residents[0]!, form, from())).toMatchObject({ flagged: true });
		expect(await flag(h.db, residents[0]!, form, from())).toMatchObject({ flagged: false, hidden: false });
		expect(await flag(h.db, residents[0]!, { ...form, reason: 'offensive' }, from())).toMatchObject({
			flagged: false
		});
		expect((await proposalRow(id)).hidden).toBe(false);
		const flags = await h.db.select().from(dialogueFlag).where(eq(dialogueFlag.proposalId, id));
		expect(flags).toHaveLength(1);
	});

	it('hides comments by flags too, and counts three parallel flags once', async () => {
		const c = await aComment(h.db, space.id, author.id);
		const results = await Promise.all(
			residents.slice(0, 4).map((r) => flag(h.db, r, { comment: String(c.id), reason: 'off-topic' }, from()))
		);
		expect(results.filter((r) => r.flagged)).toHaveLength(4);
		const [row] = await h.db.select().from(dialogueComment).where(eq(dialogueComment.id, c.id));
		expect(row).toMatchObject({ hidden: true, hiddenReason: null });
		const hides = await h.db
			.select()
			.from(auditLog)
			.where(
				and(eq(auditLog.action, 'dialogue.hide-by-flags'), eq(auditLog.subject, `dialogue-comment:${c.id}`))
			);
		expect(hides).toHaveLength(1);
	});

	it('lets a moderator restore with a public reason; it stays visible when flagged again', async () => {
		const { id } = await aProposal(h.db, space.id, author.id);
		for (const r of residents.slice(0, 3))
			await flag(h.db, r, { proposal: String(id), reason: 'spam' }, from());
		expect((await proposalRow(id)).hidden).toBe(true);
		await expect(
			restore(h.db, stranger, { proposal: String(id), reason: 'x' }, { space: space.slug })
		).rejects.toThrow(ForbiddenError);
		expect(
			await problems(restore(h.db, moderator, { proposal: String(id), reason: '' }, { space: space.slug }))
		).toEqual(['reason:required']);
		await restore(
			h.db,
			moderator,
			{ proposal: String(id), reason: 'Förslaget följer reglerna.' },
			{ space: space.slug }
		);
		expect(await proposalRow(id)).toMatchObject({ hidden: false, hiddenReason: null });
		expect(await history(id)).toEqual([
			['hidden', { by: 'flags' }],
			['restored', { by: 'moderator', reason: 'Förslaget följer reglerna.' }]
		]);
		// The decision settled the flags: a fourth participant's flag does not hide it again.
		expect(await flag(h.db, residents[3]!, { proposal: String(id), reason: 'spam' }, from())).toMatchObject({
			flagged: true,
			hidden: false
		});
		const queue = await spaceModeration(h.db, moderator, space.slug, 'en');
		expect(queue.flagged.rows.find((f) => f.kind === 'proposal' && f.id === id)).toMatchObject({
			flags: 1,
			hidden: false
		});
	});

	it('lets a moderator hide with a reason the public sees, settling the flags', async () => {
		const { id } = await aProposal(h.db, space.id, author.id);
		await flag(h.db, residents[0]!, { proposal: String(id), reason: 'personal-data' }, from());
		await hide(
			h.db,
			moderator,
			{ proposal: String(id), reason: 'Innehöll en privatpersons telefonnummer.' },
			{ space: space.slug }
		);
		expect(await proposalRow(id)).toMatchObject({
			hidden: true,
			hiddenReason: 'Innehöll en privatpersons telefonnummer.'
		});
		expect(await history(id)).toEqual([
			['hidden', { by: 'moderator', reason: 'Innehöll en privatpersons telefonnummer.' }]
		]);
		const open = await h.db.select().from(dialogueFlag).where(eq(dialogueFlag.proposalId, id));
		expect(open.every((f) => f.resolvedAt !== null)).toBe(true);
		const [audited] = await h.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, 'dialogue.hide'), eq(auditLog.subject, `proposal:${id}`)))
			.orderBy(desc(auditLog.id));
		expect(audited?.actorId).toBe(moderator.id);
		// Out of the flag queue, on the list to restore from, with its public reason.
		const page = await spaceModeration(h.db, moderator, space.slug, 'sv');
		expect(page.flagged.rows.find((f) => f.kind === 'proposal' && f.id === id)).toBeUndefined();
		expect(page.hidden.find((f) => f.kind === 'proposal' && f.id === id)).toMatchObject({
			hiddenReason: 'Innehöll en privatpersons telefonnummer.',
			flags: 0
		});
		await restore(
			h.db,
			moderator,
			{ proposal: String(id), reason: 'Numret är borttaget.' },
			{ space: space.slug }
		);
		expect(
			(await spaceModeration(h.db, moderator, space.slug, 'sv')).hidden.find(
				(f) => f.id === id && f.kind === 'proposal'
			)
		).toBeUndefined();
	});

	it('refuses a blocked participant’s flags: in the space, or everywhere when blocked on the platform', async () => {
		const troll = await anActor(h.db, 'reader');
		const theirs = await aProposal(h.db, space.id, troll.id);
		const target = await aProposal(h.db, space.id, author.id);
		await expect(
			blockAuthor(
				h.db,
				stranger,
				{ proposal: String(theirs.id), reason: 'Hot mot andra.' },
				{ space: space.slug }
			)
		).rejects.toThrow(ForbiddenError);
		await expect(
			blockAuthor(h.db, moderator, { proposal: String(theirs.id), reason: 'Hot mot andra.' }, 'platform')
		).rejects.toThrow(ForbiddenError);
		await blockAuthor(
			h.db,
			moderator,
			{ proposal: String(theirs.id), reason: 'Hot mot andra.' },
			{ space: space.slug }
		);
		expect(
			await problems(
				blockAuthor(h.db, moderator, { proposal: String(theirs.id), reason: 'Igen.' }, { space: space.slug })
			)
		).toEqual(['form:alreadyBlocked']);
		expect(
			await problems(flag(h.db, troll, { proposal: String(target.id), reason: 'spam' }, from()))
		).toEqual(['form:flagBlocked']);
		// Another space is open to them until an editor blocks them on the whole platform.
		const elsewhere = await aSpace(h.db);
		const there = await aProposal(h.db, elsewhere.id, author.id);
		expect(await flag(h.db, troll, { proposal: String(there.id), reason: 'spam' }, from())).toMatchObject({
			flagged: true
		});
		const other = await aProposal(h.db, elsewhere.id, author.id);
		const { id: platformBlock } = await blockAuthor(
			h.db,
			editor,
			{ proposal: String(theirs.id), reason: 'Upprepade hot.' },
			'platform'
		);
		expect(await problems(flag(h.db, troll, { proposal: String(other.id), reason: 'spam' }, from()))).toEqual(
			['form:flagBlocked']
		);
		const { blocks } = await spaceModeration(h.db, moderator, space.slug, 'sv');
		expect(blocks.map((b) => [b.name, b.reason])).toContainEqual([troll.name, 'Hot mot andra.']);
		expect((await platformModeration(h.db, editor, 'sv')).blocks.map((b) => b.id)).toContain(platformBlock);
		await expect(unblock(h.db, moderator, { block: String(platformBlock) }, 'platform')).rejects.toThrow(
			ForbiddenError
		);
		await unblock(h.db, editor, { block: String(platformBlock) }, 'platform');
		expect(await flag(h.db, troll, { proposal: String(other.id), reason: 'spam' }, from())).toMatchObject({
			flagged: true
		});
	});

	it('limits flags per participant and per client address', async () => {
		const eager = await anActor(h.db, 'reader');
		const targets = [];
		for (let i = 0; i <= flagsPerUser; i++) targets.push((await aProposal(h.db, space.id, author.id)).id);
		for (const id of targets.slice(0, flagsPerUser))
			await flag(h.db, eager, { proposal: String(id), reason: 'spam' }, from());
		const refused = await problems(
			flag(h.db, eager, { proposal: String(targets.at(-1)), reason: 'spam' }, from())
		);
		expect(refused).toEqual(['form:flagLimit']);
		// One address: the allowance runs out across accounts.
		const ip = '203.0.113.77';
		const many = await Promise.all(Array.from({ length: 4 }, () => anActor(h.db, 'reader')));
		let given = 0;
		const ids = [];
		for (let i = 0; i <= flagsPerAddress; i++) ids.push((await aProposal(h.db, space.id, author.id)).id);
		for (const id of ids.slice(0, flagsPerAddress)) {
			await flag(h.db, many[given % many.length]!, { proposal: String(id), reason: 'off-topic' }, from(ip));
			given++;
		}
		expect(
			await problems(flag(h.db, many[0]!, { proposal: String(ids.at(-1)), reason: 'spam' }, from(ip)))
		).toEqual(['form:flagLimit']);
	});

	it('refuses bad flags and flags on what is not public, and the signed-out', async () => {
		const { id } = await aProposal(h.db, space.id, author.id);
		expect(
			await problems(flag(h.db, residents[0]!, { proposal: String(id), reason: 'ugly' }, from()))
		).toEqual(['reason:invalidFlagReason']);
		expect(await problems(flag(h.db, residents[0]!, { reason: 'spam' }, from()))).toEqual([
			'form:flagTargetMissing'
		]);
		const screened = await aProposal(h.db, space.id, author.id, { status: 'screening' });
		expect(
			await problems(flag(h.db, residents[0]!, { proposal: String(screened.id), reason: 'spam' }, from()))
		).toEqual(['form:flagNotPublic']);
		await expect(
			flag(h.db, anonymous, { proposal: String(id), reason: 'spam' }, from())
		).rejects.toMatchObject({
			signInRequired: true
		});
	});

	it('screens proposals: published ones collect supports, refused ones keep the public reason', async () => {
		const pre = await aSpace(h.db, {
			moderation: 'pre',
			team: { [moderator.id]: 'moderator' },
			supportWindowDays: 30
		});
		const a = await aProposal(h.db, pre.id, author.id, { status: 'screening' });
		const b = await aProposal(h.db, pre.id, author.id, { status: 'screening' });
		expect((await spaceModeration(h.db, moderator, pre.slug, 'sv')).screening.map((s) => s.id)).toEqual([
			a.id,
			b.id
		]);
		await expect(screen(h.db, stranger, pre.slug, { proposal: String(a.id) }, 'publish')).rejects.toThrow(
			ForbiddenError
		);
		await screen(h.db, moderator, pre.slug, { proposal: String(a.id) }, 'publish');
		const published = await proposalRow(a.id);
		expect(published.status).toBe('collecting');
		expect(published.collectUntil.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 60 * 60 * 1000);
		expect(await problems(screen(h.db, moderator, pre.slug, { proposal: String(b.id) }, 'refuse'))).toEqual([
			'reason:required'
		]);
		await screen(
			h.db,
			moderator,
			pre.slug,
			{ proposal: String(b.id), reason: 'Gäller inte kommunen.' },
			'refuse'
		);
		expect((await proposalRow(b.id)).status).toBe('refused');
		expect(await history(b.id)).toEqual([['refused', { reason: 'Gäller inte kommunen.' }]]);
		expect(await history(a.id)).toEqual([['published', {}]]);
		expect(await problems(screen(h.db, moderator, pre.slug, { proposal: String(a.id) }, 'publish'))).toEqual([
			'form:notInScreening'
		]);
		expect((await spaceModeration(h.db, moderator, pre.slug, 'sv')).screening).toEqual([]);
	});

	it('gives the platform queue to editors only, across spaces', async () => {
		const elsewhere = await aSpace(h.db, { title: 'Ett annat samtal' });
		const { id } = await aProposal(h.db, elsewhere.id, author.id);
		await flag(h.db, residents[1]!, { proposal: String(id), reason: 'spam' }, from());
		for (const who of [moderator, stranger, anonymous]) {
			await expect(platformModeration(h.db, who, 'sv')).rejects.toThrow(ForbiddenError);
		}
		await expect(spaceModeration(h.db, stranger, space.slug, 'sv')).rejects.toThrow(ForbiddenError);
		const flagged = await platformQueue();
		expect(flagged.find((f) => f.kind === 'proposal' && f.id === id)?.space).toEqual({
			slug: elsewhere.slug,
			title: 'Ett annat samtal'
		});
		// An editor decides in any space.
		// A moderator of another space cannot decide here, nor reach it through their own space's page.
		await expect(
			hide(h.db, moderator, { proposal: String(id), reason: 'Nej.' }, { space: elsewhere.slug })
		).rejects.toThrow(ForbiddenError);
		await expect(
			hide(h.db, moderator, { proposal: String(id), reason: 'Nej.' }, { space: space.slug })
		).rejects.toThrow(NotFoundError);
		await expect(hide(h.db, moderator, {}, 'platform')).rejects.toThrow(ForbiddenError);
		await hide(h.db, editor, { proposal: String(id), reason: 'Reklam.' }, 'platform');
		expect((await platformQueue()).find((f) => f.kind === 'proposal' && f.id === id)).toBeUndefined();
	});

	it('pages the queue, the most flagged first, and a page past the end is empty', async () => {
		const busy = await aSpace(h.db, { team: { [moderator.id]: 'moderator' }, flagsToHide: 10 });
		const ids: number[] = [];
		for (let i = 0; i < queuePageSize + 5; i++) ids.push((await aProposal(h.db, busy.id, author.id)).id);
		// Each flagged once, a minute apart, and the last one by a second participant too (written
		// directly: a participant's flags are limited per hour).
		const at = (i: number) => new Date(Date.now() - (ids.length - i) * 60_000);
		await h.db.insert(dialogueFlag).values([
			...ids.map((id, i) => ({
				spaceId: busy.id,
				proposalId: id,
				userId: residents[0]!.id,
				reason: 'spam' as const,
				createdAt: at(i)
			})),
			{ spaceId: busy.id, proposalId: ids.at(-1)!, userId: residents[1]!.id, reason: 'spam' as const }
		]);
		const first = (await spaceModeration(h.db, moderator, busy.slug, 'sv')).flagged;
		expect(first).toMatchObject({ total: queuePageSize + 5, page: 1, pages: 2 });
		expect(first.rows).toHaveLength(queuePageSize);
		expect(first.rows[0]).toMatchObject({ id: ids.at(-1), flags: 2 });
		const second = (await spaceModeration(h.db, moderator, busy.slug, 'sv', 2)).flagged;
		expect(second.rows).toHaveLength(5);
		// Every item once over both pages, oldest flags first after the most flagged.
		expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(queuePageSize + 5);
		expect(second.rows.at(-1)!.id).toBe(ids.at(-2));
		expect((await spaceModeration(h.db, moderator, busy.slug, 'sv', 3)).flagged.rows).toEqual([]);
	});

	it('does not mail moderators about their own decisions; other followers of the proposal hear of them', async () => {
		// The history's cursor after what is there: only this test's steps are read.
		const [{ last } = { last: 0 }] = await h.db.select({ last: max(proposalEvent.id) }).from(proposalEvent);
		await h.db
			.insert(dialogueNotificationCursor)
			.values({ stream: 'proposal-events', lastId: last ?? 0 })
			.onConflictDoUpdate({ target: dialogueNotificationCursor.stream, set: { lastId: last ?? 0 } });
		const follower = await anActor(h.db, 'reader');
		const watcher = await anActor(h.db, 'reader');
		await h.db
			.update(user)
			.set({ notificationMail: 'daily' })
			.where(inArray(user.id, [follower.id, watcher.id, moderator.id, author.id]));
		const { id } = await aProposal(h.db, space.id, author.id);
		const pre = await aSpace(h.db, { moderation: 'pre', team: { [moderator.id]: 'moderator' } });
		const screened = await aProposal(h.db, pre.id, author.id, { status: 'screening' });
		await h.db.insert(dialogueFollow).values([
			{ userId: follower.id, proposalId: id },
			{ userId: moderator.id, proposalId: id },
			{ userId: moderator.id, spaceId: pre.id },
			{ userId: watcher.id, spaceId: pre.id }
		]);
		await hide(h.db, moderator, { proposal: String(id), reason: 'Personuppgifter.' }, { space: space.slug });
		await restore(h.db, moderator, { proposal: String(id), reason: 'Borttagna nu.' }, { space: space.slug });
		await screen(h.db, moderator, pre.slug, { proposal: String(screened.id) }, 'publish');
		await runNotifier(h.db);
		const told = async (who: TestActor) =>
			(
				await h.db
					.select({ proposalId: dialogueNotification.proposalId, kind: proposalEvent.kind })
					.from(dialogueNotification)
					.innerJoin(proposalEvent, eq(proposalEvent.id, dialogueNotification.eventId))
					.where(eq(dialogueNotification.userId, who.id))
					.orderBy(dialogueNotification.id)
			).filter((n) => n.proposalId === id || n.proposalId === screened.id);
		expect(await told(follower)).toEqual([
			{ proposalId: id, kind: 'hidden' },
			{ proposalId: id, kind: 'restored' }
		]);
		expect(await told(watcher)).toEqual([{ proposalId: screened.id, kind: 'published' }]);
		expect(await told(moderator)).toEqual([]);
	});
});
