import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { anActor, type TestActor } from '../test/actors.ts';
import { aProposal, aSpace, type TestSpace } from '../test/factories/dialogue.ts';
import { aPartnership, type TestPartnership } from '../test/factories/partnerships.ts';
import { aFramework, type TestFramework } from '../test/factories/results.ts';
import { startTestMailServer, type TestMailServer } from '../test/mail-server.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { resetMailTransport } from '../kernel/mail.ts';
import { deliverDue } from '../kernel/outbox.ts';
import { auditLog } from '../kernel/schema.ts';
import { user } from '../accounts/schema.ts';
import { dialogueFollow, proposal, proposalEvent } from '../dialogue/schema.ts';
import { runNotifier } from '../dialogue/notifications/notifier.ts';
import { resultsOfProposal } from '../results/links/queries.ts';
import { result } from '../results/schema.ts';
import { frameworkView } from '../results/views.ts';
import { linkProposal, setResultStatus, unlinkProposal } from './result-proposals.ts';
import { linkDemoProposal } from './demo.ts';

const origin = 'https://resultat.example.se';

describe.each(testDatabases)('a proposal that led to a result, on $name', (database) => {
	let h: DatabaseHandle;
	let smtp: TestMailServer;
	let space: TestSpace;
	let coordinator: TestActor;
	let ours: TestPartnership;
	let framework: TestFramework;
	const saved = { SMTP_URL: process.env.SMTP_URL, ORIGIN: process.env.ORIGIN };

	const person = async (name: string, locale: 'sv' | 'en') => {
		const p = await anActor(h.db, 'reader', { name });
		await h.db.update(user).set({ locale, notificationMail: 'single' }).where(eq(user.id, p.id));
		return p;
	};
	const deliver = async () => {
		while ((await deliverDue(h.db)).sent > 0);
	};
	const historyOf = (proposalId: number) =>
		h.db
			.select({ kind: proposalEvent.kind, detail: proposalEvent.detail })
			.from(proposalEvent)
			.where(eq(proposalEvent.proposalId, proposalId))
			.orderBy(proposalEvent.id);

	beforeAll(async () => {
		h = await database.open();
		smtp = await startTestMailServer();
		process.env.SMTP_URL = smtp.url;
		process.env.ORIGIN = origin;
		resetMailTransport();
		space = await aSpace(h.db, { title: 'Dengue i Yogyakarta' });
		coordinator = await anActor(h.db, 'reader');
		ours = await aPartnership(h.db, { coordinators: [coordinator.id], status: 'active' });
		framework = await aFramework(h.db, ours.id);
		// Past what the demo's history holds.
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

	it('links a proposal by its address, shows it on both sides, and mails the author and followers at each status change', async () => {
		const author = await person('Sari Förslagsställare', 'sv');
		const follower = await person('Budi Follower', 'en');
		const p = await aProposal(h.db, space.id, author.id, { title: 'Töm vattentunnorna varje vecka' });
		await h.db.insert(dialogueFollow).values([
			{ userId: author.id, proposalId: p.id },
			{ userId: follower.id, proposalId: p.id }
		]);

		const linked = await linkProposal(h.db, coordinator, ours.slug, {
			result: String(framework.outcome),
			proposal: `${origin}/en/dialogue/${space.slug}/proposals/${p.id}?x=1`
		});
		expect(linked).toEqual({ linked: true });
		// Again: nothing new, and nobody is told twice.
		expect(
			await linkProposal(h.db, coordinator, ours.slug, {
				result: String(framework.outcome),
				proposal: `#${p.id}`
			})
		).toEqual({
			linked: false
		});

		const view = await frameworkView(h.db, 'sv', ours.id);
		const outcome = view.results[0]!.children[0]!;
		expect(outcome.status).toBe('planned');
		expect(outcome.proposals).toEqual([
			{ id: p.id, title: 'Töm vattentunnorna varje vecka', spaceSlug: space.slug }
		]);
		expect(await resultsOfProposal(h.db, p.id)).toEqual([
			{
				resultId: framework.outcome,
				title: { sv: 'Öppna möten om budgeten', en: 'Open meetings on the budget' },
				status: 'planned',
				partnershipSlug: ours.slug
			}
		]);

		expect(
			await setResultStatus(h.db, coordinator, ours.slug, {
				result: String(framework.outcome),
				status: 'in-progress'
			})
		).toEqual({
			changed: true
		});
		// The same status again is no news.
		expect(
			await setResultStatus(h.db, coordinator, ours.slug, {
				result: String(framework.outcome),
				status: 'in-progress'
			})
		).toEqual({
			changed: false
		});
		expect((await historyOf(p.id)).map((e) => [e.kind, e.detail.state])).toEqual([
			['result-linked', 'planned'],
			['result-status', 'in-progress']
		]);

		expect(await runNotifier(h.db)).toBe(4);
		await deliver();
		const toAuthor = [await smtp.next(author.email), await smtp.next(author.email)];
		expect(toAuthor.map((m) => m.subject)).toEqual([
			'Dengue i Yogyakarta: förslaget blev ett resultat',
			'Dengue i Yogyakarta: resultatet har ny status'
		]);
		expect(toAuthor[0]!.text).toContain(
			'Förslaget ”Töm vattentunnorna varje vecka” har tagits upp i ett partnerskaps resultat: ”Öppna möten om budgeten”.'
		);
		expect(toAuthor[1]!.text).toContain('har nu statusen: Pågår.');
		const toFollower = [await smtp.next(follower.email), await smtp.next(follower.email)];
		expect(toFollower[1]!.text).toContain(
			'The result “Open meetings on the budget”, which the proposal “Töm vattentunnorna varje vecka” led to, now has the status: In progress.'
		);
		expect(toFollower[1]!.links[0]).toBe(`${origin}/en/dialogue/${space.slug}/proposals/${p.id}`);

		const audit = await h.db
			.select({ action: auditLog.action })
			.from(auditLog)
			.where(and(eq(auditLog.actorId, coordinator.id), eq(auditLog.subject, `result:${framework.outcome}`)));
		expect(audit.map((a) => a.action).sort()).toEqual([
			'results.linkProposal',
			'results.linkProposal',
			'results.setStatus',
			'results.setStatus'
		]);

		await unlinkProposal(h.db, coordinator, ours.slug, {
			result: String(framework.outcome),
			proposal: String(p.id)
		});
		expect(await resultsOfProposal(h.db, p.id)).toEqual([]);
		// A status change now tells nobody.
		await setResultStatus(h.db, coordinator, ours.slug, {
			result: String(framework.outcome),
			status: 'achieved'
		});
		expect((await historyOf(p.id)).map((e) => e.kind)).toEqual(['result-linked', 'result-status']);
	});

	it('refuses what is not public, not theirs or not a status, and writes nothing', async () => {
		const hidden = await aProposal(h.db, space.id, null);
		await h.db.update(proposal).set({ hidden: true }).where(eq(proposal.id, hidden.id));
		const screening = await aProposal(h.db, space.id, null, { status: 'screening' });
		const link = (
			proposal: string,
			who: TestActor | null = coordinator,
			slug = ours.slug,
			resultId = framework.output
		) => linkProposal(h.db, who, slug, { result: String(resultId), proposal });
		for (const bad of [
			String(hidden.id),
			String(screening.id),
			'999999999',
			'ett förslag',
			'https://example.com/x/7',
			''
		])
			await expect(link(bad)).rejects.toBeInstanceOf(ValidationError);
		const problems = await link('fel').catch((e: ValidationError) => e.problems);
		expect(problems).toEqual([{ field: 'proposal', code: 'proposalUnknown' }]);

		const open = await aProposal(h.db, space.id, null);
		// Someone else's partnership, another partnership's result, nobody signed in.
		const stranger = await anActor(h.db, 'reader');
		await expect(link(String(open.id), stranger)).rejects.toBeInstanceOf(ForbiddenError);
		// A stranger learns nothing of which proposals are public: refused before the proposal is looked at.
		await expect(link(String(hidden.id), stranger)).rejects.toBeInstanceOf(ForbiddenError);
		const theirs = await aPartnership(h.db, { coordinators: [coordinator.id] });
		await expect(link(String(open.id), coordinator, theirs.slug)).rejects.toBeInstanceOf(NotFoundError);
		await expect(link(String(open.id), null)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(
			setResultStatus(h.db, coordinator, ours.slug, { result: String(framework.output), status: 'done' })
		).rejects.toMatchObject({ problems: [{ field: 'status', code: 'unknownStatus' }] });

		expect(await resultsOfProposal(h.db, open.id)).toEqual([]);
		const [output] = await h.db
			.select({ status: result.status })
			.from(result)
			.where(eq(result.id, framework.output));
		expect(output!.status).toBe('planned');
	});

	it("shows the loop in the demo: Ale's youth council proposal behind Ale–Ghanzi's result, in progress, once", async () => {
		const [youth] = await h.db
			.select({ id: proposal.id })
			.from(proposal)
			.where(eq(proposal.title, 'Ett ungdomsråd med egen budget'));
		const led = await resultsOfProposal(h.db, youth!.id);
		expect(led.map((r) => [r.partnershipSlug, r.title.en, r.status])).toEqual([
			['ale-ghanzi', 'Meetings at times and places that suit young and working residents', 'in-progress']
		]);
		expect(
			(await historyOf(youth!.id)).filter((e) => e.kind.startsWith('result-')).map((e) => e.kind)
		).toEqual(['result-linked', 'result-status']);
		// Started again: nothing added.
		const before = (await historyOf(youth!.id)).length;
		expect(await linkDemoProposal(h.db)).toBe(false);
		expect(await historyOf(youth!.id)).toHaveLength(before);
	});
});
