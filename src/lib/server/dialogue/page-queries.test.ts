import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { anActor, anonymous, type TestActor } from '../test/actors.ts';
import { aComment, aProposal, aSpace, type TestSpace } from '../test/factories/dialogue.ts';
import type { Database, DatabaseHandle } from '../kernel/database.ts';
import type { Actor } from '../kernel/policy.ts';
import { dialogueComment, proposal } from './schema.ts';
import { proposalPage, proposalSpace } from './proposals/queries.ts';
import { loadThread } from './comments/page.ts';
import { getSpace, spaceProposals } from './spaces/queries.ts';
import { readProposalListFilter } from './spaces/input.ts';
import { spaceFigures } from './figures.ts';
import { statements } from '../test/statements.ts';

// The whole load of a proposal's page and of a space's page, as their routes compose it, sends a
// fixed number of statements to the database however many comments or proposals there are: a
// proposal with 10,000 comments in 2,500 threads costs what one with two comments costs, and a
// space with 1,000 proposals what one with three costs (no N+1, no page that grows with its data).

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

/** The proposal page's load (src/routes/dialogue/[space]/proposals/[id]/+page.server.ts). */
const proposalPageLoad = (db: Database, actor: Actor, slug: string, id: number, query = '') =>
	statements(db, async () => {
		const space = await proposalSpace(db, actor, slug, id);
		return {
			proposal: await proposalPage(db, actor, space, id, 'sv'),
			comments: await loadThread(db, {
				space,
				proposalId: id,
				actor,
				url: new URL(`http://localhost/dialogue/${slug}/proposals/${id}${query}`)
			})
		};
	});

/** The space page's load (src/routes/dialogue/[space]/+page.server.ts). */
const spacePageLoad = (db: Database, actor: Actor, slug: string, query = '') =>
	statements(db, async () => {
		const filter = readProposalListFilter(new URLSearchParams(query));
		const space = await getSpace(db, 'sv', slug, actor);
		return {
			space,
			proposals: await spaceProposals(db, space.id, filter),
			figures: await spaceFigures(db, space.id)
		};
	});

describe.each(testDatabases)('the queries of a dialogue page on $name', (database) => {
	let h: DatabaseHandle;
	let small: TestSpace;
	let large: TestSpace;
	let smallProposal: number;
	let bigProposal: number;
	let reader: TestActor;

	beforeAll(async () => {
		h = await database.open();
		reader = await anActor(h.db, 'reader', { name: 'Pelle Påhittad' });
		const writers = await Promise.all([0, 1, 2, 3].map(() => anActor(h.db, 'reader')));

		// A small space: three proposals, one of them with a comment and a reply.
		small = await aSpace(h.db, { title: 'Ett litet samtal' });
		for (let i = 0; i < 3; i++) {
			const p = await aProposal(h.db, small.id, writers[i]!.id, { createdAt: minutesAgo(10 - i) });
			smallProposal ??= p.id;
		}
		const top = await aComment(h.db, small.id, writers[0]!.id, { proposalId: smallProposal });
		await aComment(h.db, small.id, writers[1]!.id, { proposalId: smallProposal, parent: top });
		await h.db.update(proposal).set({ commentCount: 2 }).where(eq(proposal.id, smallProposal));

		// A large space: 1,000 proposals with supports from 0 to 999 …
		large = await aSpace(h.db, { title: 'Ett stort samtal' });
		const rows = await h.db
			.insert(proposal)
			.values(
				Array.from({ length: 1000 }, (_, i) => ({
					spaceId: large.id,
					authorId: writers[i % 4]!.id,
					title: `Förslag nummer ${i + 1}`,
					body: 'Ett av tusen förslag.',
					language: 'sv',
					status: 'collecting' as const,
					supportCount: i,
					createdAt: minutesAgo(5000 - i),
					collectUntil: new Date(Date.now() + 60 * 86_400_000)
				}))
			)
			.returning({ id: proposal.id });
		bigProposal = rows[0]!.id;
		// … the first of them with 10,000 comments: 2,500 threads, each with two replies and a reply to the first.
		const topIds: number[] = [];
		for (let batch = 0; batch < 5; batch++) {
			const tops = await h.db
				.insert(dialogueComment)
				.values(
					Array.from({ length: 500 }, (_, i) => ({
						spaceId: large.id,
						proposalId: bigProposal,
						authorId: writers[i % 4]!.id,
						body: `Kommentar ${batch * 500 + i}`,
						createdAt: minutesAgo(20_000 - (batch * 500 + i))
					}))
				)
				.returning({ id: dialogueComment.id });
			topIds.push(...tops.map((r) => r.id));
		}
		for (let batch = 0; batch < 5; batch++) {
			const roots = topIds.slice(batch * 500, batch * 500 + 500);
			const replies = await h.db
				.insert(dialogueComment)
				.values(
					roots.flatMap((root, i) =>
						[1, 2].map((n) => ({
							spaceId: large.id,
							proposalId: bigProposal,
							parentId: root,
							rootId: root,
							depth: 1,
							authorId: writers[(i + n) % 4]!.id,
							body: `Svar ${n}`,
							createdAt: minutesAgo(5000 - i - n)
						}))
					)
				)
				.returning({ id: dialogueComment.id, rootId: dialogueComment.rootId });
			await h.db.insert(dialogueComment).values(
				replies
					.filter((_, i) => i % 2 === 0)
					.map((r, i) => ({
						spaceId: large.id,
						proposalId: bigProposal,
						parentId: r.id,
						rootId: r.rootId,
						depth: 2,
						authorId: writers[i % 4]!.id,
						body: 'Svar på svar',
						createdAt: minutesAgo(100 - (i % 50))
					}))
			);
		}
		await h.db.update(proposal).set({ commentCount: 10_000 }).where(eq(proposal.id, bigProposal));
		await h.db.execute(sql`analyze ${dialogueComment}`);
		await h.db.execute(sql`analyze ${proposal}`);
	}, 120_000);
	afterAll(() => h?.close());

	it('a proposal with 10,000 comments loads its page in as many queries as one with two, first page or middle', async () => {
		for (const actor of [anonymous, reader]) {
			const few = await proposalPageLoad(h.db, actor, small.slug, smallProposal);
			expect(few.result.comments.threads).toBe(1);
			const counts = new Set([few.seen.length]);
			for (const query of ['', '?page=63', '?page=125&order=oldest']) {
				const many = await proposalPageLoad(h.db, actor, large.slug, bigProposal, query);
				// What the visitor sees: the proposal, and a full page of 20 threads with their replies.
				expect(many.result.proposal.title).toBe('Förslag nummer 1');
				expect(many.result.comments.threads).toBe(2500);
				expect(many.result.comments.comments).toHaveLength(20);
				expect(
					many.result.comments.comments.every(
						(c) => c.replies.length === 2 && c.replies[0]!.replies.length === 1
					)
				).toBe(true);
				counts.add(many.seen.length);
			}
			// The same number for every size and page.
			expect([...counts]).toHaveLength(1);
			// The space (read once for the page and its thread, with the reader's standing and the
			// proposal's state), the proposal, its history, its answers, for a signed-in reader their
			// support; then the thread's page of threads and their replies.
			expect(few.seen.length).toBe(actor ? 7 : 6);
		}
	});

	it('in a pre-moderated space held comments cost no query more: each sees their own, nobody another’s', async () => {
		const writer = await anActor(h.db, 'reader');
		const pre = await aSpace(h.db, { moderation: 'pre' });
		const p = await aProposal(h.db, pre.id, writer.id);
		for (let i = 0; i < 3; i++) await aComment(h.db, pre.id, writer.id, { proposalId: p.id });
		const held = async (authorId: string) => {
			const c = await aComment(h.db, pre.id, authorId, { proposalId: p.id });
			await h.db.update(dialogueComment).set({ screening: true }).where(eq(dialogueComment.id, c.id));
			return c;
		};
		await held(writer.id);
		const readers = await held(reader.id);
		for (const [actor, threads] of [
			[anonymous, 3],
			[reader, 4]
		] as const) {
			const load = await proposalPageLoad(h.db, actor, pre.slug, p.id);
			expect(load.result.comments.threads).toBe(threads);
			expect(load.result.comments.comments.filter((c) => c.awaiting).map((c) => c.id)).toEqual(
				actor ? [readers.id] : []
			);
			expect(load.seen.length).toBe(actor ? 7 : 6);
		}
	});

	it('a space with 1,000 proposals loads its page in as many queries as one with three, sorted by supports or not', async () => {
		for (const actor of [anonymous, reader]) {
			const few = await spacePageLoad(h.db, actor, small.slug);
			expect(few.result.proposals.total).toBe(3);
			const counts = new Set([few.seen.length]);
			for (const query of ['', 'sort=supported', 'sort=supported&page=25']) {
				const many = await spacePageLoad(h.db, actor, large.slug, query);
				expect(many.result.space.proposals).toBe(1000);
				expect(many.result.proposals).toMatchObject({ total: 1000, pages: 50 });
				expect(many.result.proposals.rows).toHaveLength(20);
				counts.add(many.seen.length);
			}
			const bySupports = await spacePageLoad(h.db, actor, large.slug, 'sort=supported');
			// Most supported first: 999, 998, …
			expect(bySupports.result.proposals.rows.slice(0, 3).map((r) => r.supportCount)).toEqual([
				999, 998, 997
			]);
			expect(bySupports.result.space.supports).toBe((999 * 1000) / 2);
			expect([...counts]).toHaveLength(1);
			// The space (with its counts by status, and who runs it for a signed-in reader's rights),
			// its page of proposals, its answer figures.
			expect(few.seen.length).toBe(3);
		}
	});
});
