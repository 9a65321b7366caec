import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor, anonymous, type TestActor } from '../../test/actors.ts';
import { aProposal, aSpace, type TestSpace } from '../../test/factories/dialogue.ts';
import type { Database, DatabaseHandle } from '../../kernel/database.ts';
import { user } from '../../accounts/schema.ts';
import { dialogueComment, proposal } from '../schema.ts';
import { loadThread } from './page.ts';
import { threadsPerPage } from './queries.ts';

/** The statements a piece of work sends to the database, with their parameters. */
async function statements<T>(db: Database, work: () => Promise<T>) {
	const session = (db as unknown as { session: { logger: { logQuery(q: string, p: unknown[]): void } } })
		.session;
	const before = session.logger;
	const seen: { query: string; params: unknown[] }[] = [];
	session.logger = { logQuery: (query, params) => void seen.push({ query, params }) };
	try {
		return { result: await work(), seen };
	} finally {
		session.logger = before;
	}
}

const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);

describe.each(testDatabases)('a thread page on $name', (database) => {
	let h: DatabaseHandle;
	let space: TestSpace;
	let writer: TestActor;

	const urlOf = (query = '') => new URL(`http://localhost/dialogue/${space.slug}/debate${query}`);

	beforeAll(async () => {
		h = await database.open();
		space = await aSpace(h.db);
		writer = await anActor(h.db, 'reader', { name: 'Cecilia Påhittad' });
		// 45 threads in the debate, the first (oldest) with a reply and a reply to it.
		const tops = await h.db
			.insert(dialogueComment)
			.values(
				Array.from({ length: 45 }, (_, i) => ({
					spaceId: space.id,
					authorId: writer.id,
					body: `Tråd ${i + 1}`,
					createdAt: at(1000 - i)
				}))
			)
			.returning({ id: dialogueComment.id });
		const [reply] = await h.db
			.insert(dialogueComment)
			.values({
				spaceId: space.id,
				parentId: tops[0]!.id,
				rootId: tops[0]!.id,
				depth: 1,
				authorId: null,
				body: 'Svar från någon som har slutat',
				createdAt: at(10)
			})
			.returning({ id: dialogueComment.id });
		await h.db.insert(dialogueComment).values({
			spaceId: space.id,
			parentId: reply!.id,
			rootId: tops[0]!.id,
			depth: 2,
			authorId: writer.id,
			body: 'Svar på svaret',
			createdAt: at(5)
		});
	});
	afterAll(() => h?.close());

	it('shows 20 threads a page, newest first unless asked, with every reply nested under its parent', async () => {
		const first = await loadThread(h.db, {
			space: space.slug,
			proposalId: null,
			actor: anonymous,
			url: urlOf()
		});
		expect(first).toMatchObject({ page: 1, pages: 3, threads: 45, order: 'newest', mode: 'signIn' });
		expect(first.comments.map((c) => c.body)).toEqual(Array.from({ length: 20 }, (_, i) => `Tråd ${45 - i}`));
		expect(first.spaceTitle.sv).toBe('Ett samtal för ett test');

		const last = await loadThread(h.db, {
			space: space.slug,
			proposalId: null,
			actor: anonymous,
			url: urlOf('?page=3')
		});
		expect(last.comments.map((c) => c.body)).toEqual(['Tråd 5', 'Tråd 4', 'Tråd 3', 'Tråd 2', 'Tråd 1']);
		const oldest = last.comments.at(-1)!;
		expect(oldest.author).toBe('Cecilia Påhittad');
		expect(oldest.replies).toHaveLength(1);
		// A former participant's reply: no name (the page says "former participant").
		expect(oldest.replies[0]).toMatchObject({
			author: null,
			depth: 1,
			body: 'Svar från någon som har slutat'
		});
		expect(oldest.replies[0]!.replies.map((r) => [r.body, r.depth])).toEqual([['Svar på svaret', 2]]);

		const byAge = await loadThread(h.db, {
			space: space.slug,
			proposalId: null,
			actor: anonymous,
			url: urlOf('?order=oldest&page=2')
		});
		expect(byAge.comments.map((c) => c.body)).toEqual(Array.from({ length: 20 }, (_, i) => `Tråd ${21 + i}`));
	});

	it('a page past the end is empty but still says how many pages there are; a bad page or order is named', async () => {
		const beyond = await loadThread(h.db, {
			space: space.slug,
			proposalId: null,
			actor: anonymous,
			url: urlOf('?page=9')
		});
		expect(beyond).toMatchObject({ comments: [], pages: 3, threads: 45 });
		await expect(
			loadThread(h.db, {
				space: space.slug,
				proposalId: null,
				actor: anonymous,
				url: urlOf('?page=0&order=best')
			})
		).rejects.toMatchObject({
			problems: [
				{ field: 'page', code: 'invalidPage' },
				{ field: 'order', code: 'commentInvalidOrder' }
			]
		});
	});

	it('a proposal with 10,000 comments: each page is the same three queries on the two indexes, and fast', async () => {
		const p = await aProposal(h.db, space.id, writer.id);
		const readers = await Promise.all([0, 1, 2, 3].map(() => anActor(h.db, 'reader')));
		// 2,500 threads, each with two replies and a reply to the first of them.
		const topIds: number[] = [];
		for (let batch = 0; batch < 5; batch++) {
			const rows = await h.db
				.insert(dialogueComment)
				.values(
					Array.from({ length: 500 }, (_, i) => ({
						spaceId: space.id,
						proposalId: p.id,
						authorId: readers[i % 4]!.id,
						body: `Kommentar ${batch * 500 + i}`,
						createdAt: at(20_000 - (batch * 500 + i))
					}))
				)
				.returning({ id: dialogueComment.id });
			topIds.push(...rows.map((r) => r.id));
		}
		for (let batch = 0; batch < 5; batch++) {
			const roots = topIds.slice(batch * 500, batch * 500 + 500);
			const firsts = await h.db
				.insert(dialogueComment)
				.values(
					roots.flatMap((root, i) =>
						[1, 2].map((n) => ({
							spaceId: space.id,
							proposalId: p.id,
							parentId: root,
							rootId: root,
							depth: 1,
							authorId: readers[(i + n) % 4]!.id,
							body: `Svar ${n}`,
							createdAt: at(5000 - i - n)
						}))
					)
				)
				.returning({ id: dialogueComment.id, rootId: dialogueComment.rootId });
			await h.db.insert(dialogueComment).values(
				firsts
					.filter((_, i) => i % 2 === 0)
					.map((f, i) => ({
						spaceId: space.id,
						proposalId: p.id,
						parentId: f.id,
						rootId: f.rootId,
						depth: 2,
						authorId: readers[i % 4]!.id,
						body: 'Svar på svar',
						createdAt: at(100 - (i % 50))
					}))
			);
		}
		await h.db.update(proposal).set({ commentCount: 10_000 }).where(eq(proposal.id, p.id));
		await h.db.execute(sql`analyze ${dialogueComment}`);
		const [{ n }] = (await h.db
			.select({ n: sql<number>`count(*)`.mapWith(Number) })
			.from(dialogueComment)
			.where(eq(dialogueComment.proposalId, p.id))) as [{ n: number }];
		expect(n).toBe(10_000);

		for (const query of ['', '?page=60', '?page=125&order=oldest']) {
			const started = performance.now();
			const { result, seen } = await statements(h.db, () =>
				loadThread(h.db, { space: space.slug, proposalId: p.id, actor: readers[0]!, url: urlOf(query) })
			);
			const ms = performance.now() - started;
			expect(result.comments).toHaveLength(threadsPerPage);
			expect(result.threads).toBe(2500);
			expect(result.comments.every((c) => c.replies.length === 2 && c.replies[0]!.replies.length === 1)).toBe(
				true
			);
			// The space and what the viewer may do, the page of threads, their replies: never more.
			expect(seen).toHaveLength(3);
			expect(ms).toBeLessThan(1500);

			// Each read of comments goes through its index, not through the whole table.
			const client = (
				h.db as unknown as {
					session: {
						client: { query(q: string, p: unknown[]): Promise<{ rows: Record<string, string>[] }> };
					};
				}
			).session.client;
			const plans = await Promise.all(
				seen.slice(1).map(async (s) => {
					const { rows } = await client.query(`explain ${s.query}`, s.params);
					return rows.map((r) => Object.values(r)[0]).join('\n');
				})
			);
			expect(plans[0]).toContain('dialogue_comment_top_idx');
			expect(plans[1]).toContain('dialogue_comment_root_idx');
		}
	});

	it('the names shown are display names; a deleted account shows as a former participant, never an address', async () => {
		const page = await loadThread(h.db, {
			space: space.slug,
			proposalId: null,
			actor: writer,
			url: urlOf('?page=3')
		});
		const [row] = await h.db.select({ email: user.email }).from(user).where(eq(user.id, writer.id));
		expect(JSON.stringify(page)).not.toContain(row!.email);
		expect(page.mode).toBe('write');
		expect(page.comments.at(-1)!.mine).toBe(true);
	});
});
