import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq, inArray, sql } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { anonymous } from '../test/actors.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { account, user } from '../accounts/schema.ts';
import { dialogueComment, dialogueSpace, proposal, proposalAnswer, proposalSupport } from './schema.ts';
import { addDemoDialogue, demoParticipants, demoSpaceSlugs } from './demo.ts';
import { readSpaceFilter } from './spaces/input.ts';
import { findSpaces } from './spaces/listing.ts';
import { getSpace, spaceProposals } from './spaces/queries.ts';
import {
	dialogueCsvHeader,
	dialogueCsvRecord,
	dialogueJson,
	dialogueListJson,
	dialogueListView,
	dialogueView
} from './views.ts';

describe.each(testDatabases)('the dialogue demo on $name', (database) => {
	let h: DatabaseHandle;

	beforeAll(async () => {
		// The prepared database has the demo loaded (test/global-setup.ts), as a start would.
		h = await database.open();
	});
	afterAll(async () => {
		await h?.close();
	});

	it('has an open Ale consultation with proposals, supports and an answer', async () => {
		const ale = await getSpace(h.db, 'sv', demoSpaceSlugs.ale, anonymous);
		expect(ale.owner).toMatchObject({ kind: 'organization', slug: 'ale-kommun', name: 'Ale kommun' });
		expect(ale.status).toBe('open');
		expect(ale.openNow).toEqual(['proposals', 'supports', 'comments']);
		expect(ale.byStatus).toEqual({ answered: 1, 'to-answer': 1, collecting: 3 });
		const page = await spaceProposals(h.db, ale.id, { sort: 'supported', page: 1 });
		expect(page.rows[0]!.supportCount).toBe(5);
		// Every counter matches the supports behind it.
		const counted = await h.db
			.select({ id: proposal.id, counter: proposal.supportCount, rows: count(proposalSupport.userId) })
			.from(proposal)
			.leftJoin(proposalSupport, eq(proposalSupport.proposalId, proposal.id))
			.where(eq(proposal.spaceId, ale.id))
			.groupBy(proposal.id);
		expect(counted.every((c) => c.counter === Number(c.rows))).toBe(true);
		expect(ale.supports).toBe(counted.reduce((sum, c) => sum + c.counter, 0));
		const answers = await h.db
			.select({ state: proposalAnswer.state, text: proposalAnswer.text })
			.from(proposalAnswer)
			.innerJoin(proposal, eq(proposal.id, proposalAnswer.proposalId))
			.where(eq(proposal.spaceId, ale.id));
		expect(answers).toHaveLength(1);
		expect(answers[0]!.text.sv).toContain('ungdomsråd');
		expect(answers[0]!.text.en).toContain('youth council');
	});

	it('has a Hörby–Peja debate with threaded comments in both languages', async () => {
		const debate = await getSpace(h.db, 'en', demoSpaceSlugs.debate, anonymous);
		expect(debate.owner).toMatchObject({ kind: 'partnership', slug: 'horby-peja', countries: ['SE', 'XK'] });
		expect(debate.openNow).toEqual(['comments']);
		expect(debate.title).toBe('The square: car park or meeting place?');
		const comments = await h.db
			.select({
				depth: dialogueComment.depth,
				rootId: dialogueComment.rootId,
				parentId: dialogueComment.parentId
			})
			.from(dialogueComment)
			.where(eq(dialogueComment.spaceId, debate.id));
		expect(comments).toHaveLength(7);
		expect(comments.filter((c) => c.parentId === null)).toHaveLength(4);
		expect(Math.max(...comments.map((c) => c.depth))).toBe(2);
		expect(comments.filter((c) => c.parentId === null).every((c) => c.rootId === null)).toBe(true);
		expect(comments.filter((c) => c.parentId !== null).every((c) => c.rootId !== null)).toBe(true);
	});

	it('takes part through plainly made-up accounts on example.org that nobody can sign in with', async () => {
		const rows = await h.db
			.select({ id: user.id, email: user.email, name: user.name })
			.from(user)
			.where(
				inArray(
					user.email,
					demoParticipants.map((p) => p.email)
				)
			);
		expect(rows).toHaveLength(demoParticipants.length);
		expect(rows.every((r) => r.email.endsWith('@example.org'))).toBe(true);
		const [{ n } = { n: 0 }] = await h.db
			.select({ n: count() })
			.from(account)
			.where(
				inArray(
					account.userId,
					rows.map((r) => r.id)
				)
			);
		expect(Number(n)).toBe(0);
	});

	it('adds only what is missing: a second start adds nothing, a removed space comes back once', async () => {
		expect(await addDemoDialogue(h.db)).toEqual([]);
		await h.db.delete(dialogueSpace).where(eq(dialogueSpace.slug, demoSpaceSlugs.debate));
		expect(await addDemoDialogue(h.db)).toEqual([demoSpaceSlugs.debate]);
		expect(await addDemoDialogue(h.db)).toEqual([]);
		const [{ n } = { n: 0 }] = await h.db
			.select({ n: sql<number>`count(*)::int` })
			.from(dialogueSpace)
			.where(inArray(dialogueSpace.slug, Object.values(demoSpaceSlugs)));
		expect(n).toBe(2);
	});

	it('answers the API in the shapes its schema promises, and the CSV row by row', async () => {
		const page = await findSpaces(h.db, 'en', readSpaceFilter(new URLSearchParams('sdg=16')), 20);
		const list = dialogueListJson('https://example.org', 'en', page);
		expect(dialogueListView.safeParse(list).success).toBe(true);
		expect(list.items.map((i) => i.slug)).toContain(demoSpaceSlugs.ale);
		const one = dialogueJson(
			'https://example.org',
			'en',
			await getSpace(h.db, 'en', demoSpaceSlugs.ale, null)
		);
		expect(dialogueView.parse(one)).toMatchObject({
			url: `https://example.org/en/dialogue/${demoSpaceSlugs.ale}`,
			owner: { url: 'https://example.org/en/organizations/ale-kommun' },
			proposalsByStatus: { answered: 1 }
		});
		const row = page.rows.find((r) => r.slug === demoSpaceSlugs.ale)!;
		const record = dialogueCsvRecord('https://example.org', 'en', row);
		expect(record).toHaveLength(dialogueCsvHeader.length);
		expect(Object.fromEntries(dialogueCsvHeader.map((c, i) => [c, record[i]]))).toMatchObject({
			slug: demoSpaceSlugs.ale,
			owner: 'Ale Municipality',
			countries: 'SE',
			open_now: 'proposals; supports; comments',
			proposals: 5
		});
	});
});
