import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor, type TestActor } from '../../test/actors.ts';
import { aComment, aProposal, aSpace, type TestSpace } from '../../test/factories/dialogue.ts';
import { startTestMailServer, type TestMailServer } from '../../test/mail-server.ts';
import type { Database, DatabaseHandle } from '../../kernel/database.ts';
import { resetMailTransport } from '../../kernel/mail.ts';
import { deliverDue } from '../../kernel/outbox.ts';
import { mailOutbox } from '../../kernel/schema.ts';
import { user } from '../../accounts/schema.ts';
import { dialogueFollow, dialogueNotification, proposalEvent, type ProposalEventKind } from '../schema.ts';
import { submitProposal, withdrawProposal } from '../proposals/commands.ts';
import { runNotifier } from './notifier.ts';
import { periodStart, sendDigests } from './digest.ts';
import { readUnsubscribeToken } from './tokens.ts';
import { dialogueModule } from '../module.ts';

const day = 24 * 60 * 60 * 1000;
const origin = 'https://dialog.example.se';

describe.each(testDatabases)('dialogue notifications on $name', (database) => {
	let h: DatabaseHandle;
	let smtp: TestMailServer;
	let space: TestSpace;
	const saved = {
		SMTP_URL: process.env.SMTP_URL,
		ORIGIN: process.env.ORIGIN,
		BETTER_AUTH_SECRET: process.env.BETTER_AUTH_SECRET
	};

	/** A participant with a language and a mail choice. */
	const person = async (name: string, locale: 'sv' | 'en', mode: 'single' | 'daily' | 'weekly') => {
		const p = await anActor(h.db, 'reader', { name });
		await h.db.update(user).set({ locale, notificationMail: mode }).where(eq(user.id, p.id));
		return p;
	};
	const follow = (p: TestActor, target: { spaceId: number } | { proposalId: number }) =>
		h.db.insert(dialogueFollow).values({ userId: p.id, ...target });
	const happen = (
		proposalId: number,
		kind: ProposalEventKind,
		detail: Record<string, string> = {},
		actorId?: string
	) => h.db.insert(proposalEvent).values({ proposalId, kind, detail, actorId });
	const notificationsOf = (p: TestActor) =>
		h.db.select().from(dialogueNotification).where(eq(dialogueNotification.userId, p.id));
	const outboxTo = (p: TestActor) => h.db.select().from(mailOutbox).where(eq(mailOutbox.recipient, p.email));
	/** Sends what the outbox holds to the test's SMTP server. */
	const deliver = async () => {
		while ((await deliverDue(h.db)).sent > 0);
	};

	beforeAll(async () => {
		h = await database.open();
		smtp = await startTestMailServer();
		process.env.SMTP_URL = smtp.url;
		process.env.ORIGIN = origin;
		process.env.BETTER_AUTH_SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
		resetMailTransport();
		space = await aSpace(h.db, { title: 'Parkerna i Ale' });
		// The first round only places the cursors after what the demo holds.
		await runNotifier(h.db);
	});
	afterAll(async () => {
		resetMailTransport();
		for (const [k, v] of Object.entries(saved)) {
			if (v === undefined) delete process.env[k];
			else process.env[k] = v;
		}
		await smtp?.close();
		await h?.close();
	});
	beforeEach(async () => {
		// Nothing of another test waits in the outbox.
		await deliver();
	});

	it('mails an answer at once in Swedish to a single-mail follower, and keeps it for an English digest', async () => {
		const author = await person('Alva Författare', 'sv', 'daily');
		const single = await person('Sigrid Enskild', 'sv', 'single');
		const digest = await person('Dana Digest', 'en', 'daily');
		const p = await aProposal(h.db, space.id, author.id, { title: 'Fler bänkar vid ån' });
		await follow(single, { proposalId: p.id });
		await follow(digest, { spaceId: space.id });
		await happen(p.id, 'answer-published', { state: 'accepted' });

		expect(await runNotifier(h.db)).toBe(2);
		await deliver();
		const mail = await smtp.next(single.email);
		expect(mail.subject).toBe('Parkerna i Ale: förslaget har fått svar');
		expect(mail.text).toContain('Hej Sigrid Enskild!');
		expect(mail.text).toContain('Förslaget ”Fler bänkar vid ån” har fått ett svar: Bifallet.');
		expect(mail.links[0]).toBe(`${origin}/dialogue/${space.slug}/proposals/${p.id}`);
		// The footer's links: stop following this proposal, and stop everything; both signed.
		const stop = mail.links.filter((l) => l.includes('/dialogue/unsubscribe/'));
		expect(stop).toHaveLength(2);
		expect(readUnsubscribeToken(stop[0]!.split('/').pop()!)).toEqual({
			userId: single.id,
			target: { kind: 'proposal', proposalId: p.id }
		});
		const [row] = await outboxTo(single);
		expect(row!.headers).toMatchObject({
			'List-Unsubscribe': `<${stop[0]}>`,
			'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click'
		});

		// The digest reader has a row, not yet mailed: nothing goes before the day has turned.
		expect((await notificationsOf(digest)).map((n) => n.mailedAt)).toEqual([null]);
		expect(await outboxTo(digest)).toHaveLength(0);
		await sendDigests(h.db);
		expect(await outboxTo(digest)).toHaveLength(0);
		await sendDigests(h.db, new Date(Date.now() + day));
		await deliver();
		const gathered = await smtp.next(digest.email);
		expect(gathered.subject).toBe('Citizen dialogue: what happened since yesterday');
		expect(gathered.text).toContain('Hello Dana Digest,');
		expect(gathered.text).toContain('The proposal “Fler bänkar vid ån” has been answered: Accepted.');
		expect(gathered.text).toContain(`${origin}/en/dialogue/${space.slug}/proposals/${p.id}`);
		// Run again, and again the next day: nothing more.
		expect(await runNotifier(h.db)).toBe(0);
		await sendDigests(h.db, new Date(Date.now() + day));
		await sendDigests(h.db, new Date(Date.now() + 2 * day));
		expect(await outboxTo(single)).toHaveLength(1);
		expect(await outboxTo(digest)).toHaveLength(1);
	});

	it("runs in the module's tick: a single-mail follower's mail is in the outbox after one tick", async () => {
		const follower = await person('Tora Tick', 'en', 'single');
		const p = await aProposal(h.db, space.id, null, { title: 'Sommarkollo' });
		await follow(follower, { proposalId: p.id });
		await happen(p.id, 'restored');
		await dialogueModule.tick!(h.db);
		await deliver();
		expect((await smtp.next(follower.email)).text).toContain('The proposal “Sommarkollo” is shown again.');
	});

	it('gathers a week into one weekly digest, sent only once the week has turned', async () => {
		const weekly = await person('Vilma Veckovis', 'sv', 'weekly');
		const a = await aProposal(h.db, space.id, null, { title: 'Belysning i parken' });
		const b = await aProposal(h.db, space.id, null, { title: 'Lekplats vid skolan' });
		await follow(weekly, { proposalId: a.id });
		await follow(weekly, { proposalId: b.id });
		await happen(a.id, 'threshold-reached');
		await happen(b.id, 'not-reached');
		await runNotifier(h.db);
		// Late on the week's last day (Sunday, Stockholm time), whatever day the test runs: not yet.
		// (A day later than now was next week when the test ran on a Sunday.)
		const lateSunday = periodStart(new Date(), 'weekly').getTime() + 7 * day - 2 * 60 * 60 * 1000;
		await sendDigests(h.db, new Date(lateSunday));
		expect(await outboxTo(weekly)).toHaveLength(0);
		await sendDigests(h.db, new Date(Date.now() + 8 * day));
		await deliver();
		const mail = await smtp.next(weekly.email);
		expect(mail.subject).toBe('Medborgardialog: det här har hänt den senaste veckan');
		expect(mail.text).toContain(
			'Förslaget ”Belysning i parken” har nått gränsen för stöd och ska nu besvaras.'
		);
		expect(mail.text).toContain(
			'Förslaget ”Lekplats vid skolan” nådde inte gränsen för stöd innan tiden gick ut.'
		);
		expect(await outboxTo(weekly)).toHaveLength(1);
	});

	it('does not tell an answerer who follows the proposal of their own answer', async () => {
		const answerer = await person('Ada Svarare', 'sv', 'single');
		const other = await person('Bo Följare', 'sv', 'single');
		const p = await aProposal(h.db, space.id, null, { title: 'Bänkar vid ån' });
		await follow(answerer, { proposalId: p.id });
		await follow(other, { proposalId: p.id });
		await happen(p.id, 'answer-published', { state: 'accepted' }, answerer.id);
		await runNotifier(h.db);
		expect(await notificationsOf(answerer)).toHaveLength(0);
		expect(await notificationsOf(other)).toHaveLength(1);
	});

	it('lets the author follow their own proposal, and never tells anyone of their own act', async () => {
		const author = await anActor(h.db, 'reader', { name: 'Filip Förslagsson' });
		await h.db.update(user).set({ notificationMail: 'single' }).where(eq(user.id, author.id));
		const spaceFollower = await person('Rut Rumsföljare', 'sv', 'single');
		await follow(spaceFollower, { spaceId: space.id });
		const r = await submitProposal(
			h.db,
			author,
			space.slug,
			{
				proposalTitle: 'Träd längs gågatan',
				proposalBody: 'Gågatan behöver skugga om sommaren för alla.',
				anyway: '1'
			},
			{ locale: 'sv', ip: '192.0.2.50' }
		);
		if (!('created' in r)) throw new Error('expected a proposal');
		await runNotifier(h.db);
		const follows = await h.db.select().from(dialogueFollow).where(eq(dialogueFollow.userId, author.id));
		expect(follows.map((f) => f.proposalId)).toEqual([r.created]);
		// The space's follower hears of the new proposal; the author, who published it, does not.
		await deliver();
		expect((await smtp.next(spaceFollower.email)).text).toContain(
			'Ett nytt förslag har publicerats i Parkerna i Ale: ”Träd längs gågatan”.'
		);
		expect(await notificationsOf(author)).toHaveLength(0);

		await withdrawProposal(h.db, author, space.slug, r.created, { confirmWithdraw: 'yes' });
		await runNotifier(h.db);
		expect(await notificationsOf(author)).toHaveLength(0);
		expect((await notificationsOf(spaceFollower)).map((n) => n.key)).toHaveLength(2);
	});

	it('tells the author of a comment of a reply, but not of their own reply or a hidden one', async () => {
		const first = await person('Kim Kommentar', 'en', 'single');
		const other = await anActor(h.db, 'reader', { name: 'Otto Svarsson' });
		const p = await aProposal(h.db, space.id, null, { title: 'Cykelställ vid stationen' });
		const top = await aComment(h.db, space.id, first.id, { proposalId: p.id });
		const own = await aComment(h.db, space.id, first.id, { proposalId: p.id, parent: top });
		const hidden = await aComment(h.db, space.id, other.id, { proposalId: p.id, parent: top });
		await h.db.execute(sql`update dialogue_comment set hidden = true where id = ${hidden.id}`);
		const reply = await aComment(h.db, space.id, other.id, { proposalId: p.id, parent: top });
		const debateTop = await aComment(h.db, space.id, first.id);
		const debateReply = await aComment(h.db, space.id, other.id, { parent: debateTop });

		expect(await runNotifier(h.db)).toBeGreaterThanOrEqual(2);
		expect((await notificationsOf(first)).map((n) => n.key).sort()).toEqual(
			[`reply:${reply.id}`, `reply:${debateReply.id}`].sort()
		);
		expect(own.id).toBeLessThan(reply.id);
		await deliver();
		const mails = [await smtp.next(first.email), await smtp.next(first.email)];
		const onProposal = mails.find((m) => m.text.includes('Cykelställ'))!;
		expect(onProposal.subject).toBe('Parkerna i Ale: a reply to your comment');
		expect(onProposal.text).toContain(
			'Otto Svarsson replied to your comment on the proposal “Cykelställ vid stationen”.'
		);
		expect(onProposal.links[0]).toBe(
			`${origin}/en/dialogue/${space.slug}/proposals/${p.id}#comment-${reply.id}`
		);
		const inDebate = mails.find((m) => m !== onProposal)!;
		expect(inDebate.links[0]).toBe(`${origin}/en/dialogue/${space.slug}/debate#comment-${debateReply.id}`);
	});

	it('makes each notification once when ticks run side by side', async () => {
		const follower = await person('Paula Parallell', 'sv', 'single');
		const p = await aProposal(h.db, space.id, null);
		await follow(follower, { proposalId: p.id });
		for (let i = 0; i < 5; i++) await happen(p.id, i % 2 ? 'hidden' : 'restored');
		await Promise.all([runNotifier(h.db), runNotifier(h.db), runNotifier(h.db)]);
		await runNotifier(h.db);
		expect(await notificationsOf(follower)).toHaveLength(5);
		expect(await outboxTo(follower)).toHaveLength(5);
	});

	it('loses nothing and sends nothing twice when a round fails half-way', async () => {
		const follower = await person('Rolf Rullbak', 'sv', 'single');
		const p = await aProposal(h.db, space.id, null);
		await follow(follower, { proposalId: p.id });
		await happen(p.id, 'threshold-reached');
		// A round that crashes after its work: its transaction (rows, mail, cursor) is gone.
		await expect(
			h.db.transaction(async (tx) => {
				await runNotifier(tx as unknown as Database);
				expect(
					await tx.select().from(mailOutbox).where(eq(mailOutbox.recipient, follower.email))
				).toHaveLength(1);
				throw new Error('the process died');
			})
		).rejects.toThrow('the process died');
		expect(await notificationsOf(follower)).toHaveLength(0);
		expect(await outboxTo(follower)).toHaveLength(0);
		// The next round does it, once.
		await runNotifier(h.db);
		await runNotifier(h.db);
		expect(await outboxTo(follower)).toHaveLength(1);
	});

	it('waits at a hole in the history (PostgreSQL), and passes it once it is old', async () => {
		const follower = await person('Hedda Hål', 'sv', 'single');
		const p = await aProposal(h.db, space.id, null);
		await follow(follower, { proposalId: p.id });
		// A change took an id and has not committed (or rolled back): the step after it waits.
		await h.db.execute(sql`select nextval(pg_get_serial_sequence('proposal_event', 'id'))`);
		await happen(p.id, 'threshold-reached');
		await runNotifier(h.db);
		// PGlite runs one transaction at a time: a hole there is never a change still under way.
		expect(await notificationsOf(follower)).toHaveLength(database.name === 'pglite' ? 1 : 0);
		// A minute on, the hole is taken for a rolled-back change.
		await h.db
			.update(proposalEvent)
			.set({ at: sql`now() - interval '2 minutes'` })
			.where(and(eq(proposalEvent.proposalId, p.id), inArray(proposalEvent.kind, ['threshold-reached'])));
		await runNotifier(h.db);
		expect(await notificationsOf(follower)).toHaveLength(1);
	});
});
