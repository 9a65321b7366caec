import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/pglite';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { databaseUnavailable, type Database } from './database.ts';
import { PgliteThread } from './pglite-thread.ts';

// PGlite in its worker thread must answer as PGlite in this thread did: Drizzle's values, its
// transactions, PostgreSQL's error fields, one transaction at a time, and its files to start from.

const note = pgTable('note', {
	id: integer('id').primaryKey(),
	body: text('body').notNull(),
	at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
});

let thread: PgliteThread;
let db: Database;

beforeAll(async () => {
	thread = await PgliteThread.open({ preparedStatements: 10 });
	db = drizzle({ client: thread as never }) as unknown as Database;
	await db.execute(
		sql`create table note (id integer primary key, body text not null, at timestamptz not null default now())`
	);
});
afterAll(() => thread.close());

describe('PGlite in a thread of its own', () => {
	test('reads and writes answer with the values Drizzle gives (a time as PostgreSQL wrote it)', async () => {
		await db.insert(note).values([
			{ id: 1, body: 'första' },
			{ id: 2, body: 'second' }
		]);
		const rows = await db.select().from(note).orderBy(note.id);
		expect(rows.map((r) => r.body)).toEqual(['första', 'second']);
		expect(rows[0]!.at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
		const counted = (await db.execute(sql`select count(*)::int as n from note`)) as unknown as {
			rows: unknown[];
		};
		expect(counted.rows).toEqual([{ n: 2 }]);
	});

	test('a transaction commits when its work returns and leaves nothing when it throws', async () => {
		await db.transaction(async (tx) => {
			await tx.insert(note).values({ id: 3, body: 'kept' });
		});
		await expect(
			db.transaction(async (tx) => {
				await tx.insert(note).values({ id: 4, body: 'dropped' });
				throw new Error('the work failed');
			})
		).rejects.toThrow('the work failed');
		const ids = (await db.select({ id: note.id }).from(note).orderBy(note.id)).map((r) => r.id);
		expect(ids).toEqual([1, 2, 3]);
	});

	test("a unique violation reaches the write path with PostgreSQL's code and constraint", async () => {
		const failure = await db
			.insert(note)
			.values({ id: 1, body: 'again' })
			.then(
				() => null,
				(error: unknown) => error as { cause?: Record<string, unknown> }
			);
		expect(failure?.cause).toMatchObject({ code: '23505', constraint: 'note_pkey' });
		// The connection goes on answering after the error.
		expect(await db.select({ id: note.id }).from(note).where(eq(note.id, 1))).toEqual([{ id: 1 }]);
	});

	test('statements sent at once (pages made together) each get their own answer; an error reaches only its own caller', async () => {
		const asked = await Promise.allSettled([
			thread.query<{ body: string }>('select body from note where id = $1', [1]),
			thread.query('insert into note (id, body) values ($1, $2)', [1, 'again']),
			thread.query<{ y: number }>('select $1::int * 2 as y', [21]),
			thread.query<{ n: number }>('select count(*)::int as n from note where id >= $1', [1])
		]);
		const said = asked.map((a) =>
			a.status === 'rejected' ? (a.reason as { code: string }).code : JSON.stringify(a.value.rows)
		);
		expect(said).toEqual(['[{"body":"första"}]', '23505', '[{"y":42}]', '[{"n":3}]']);
	});

	test('a statement outside an open transaction waits for it, and sees what it committed', async () => {
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		const order: string[] = [];
		const writing = db.transaction(async (tx) => {
			await tx.update(note).set({ body: 'changed' }).where(eq(note.id, 2));
			await held;
			order.push('committed');
		});
		// Let the transaction begin before the read is sent.
		await new Promise((r) => setTimeout(r, 50));
		const reading = db
			.select({ body: note.body })
			.from(note)
			.where(eq(note.id, 2))
			.then((rows) => {
				order.push('read');
				return rows[0]!.body;
			});
		await new Promise((r) => setTimeout(r, 50));
		expect(order).toEqual([]);
		release();
		expect(await reading).toBe('changed');
		await writing;
		expect(order).toEqual(['committed', 'read']);
	});

	test('a statement sent before a transaction began runs before it, also when the transaction waits for its answer', async () => {
		const before = thread.query<{ body: string }>('select body from note where id = $1', [3]);
		const seen = await thread.transaction(async (tx) => {
			await tx.query('select 1');
			return (await before).rows[0]!.body;
		});
		expect(seen).toBe('kept');
	});

	test('its files start another instance with the same rows', async () => {
		const copy = await PgliteThread.open({
			preparedStatements: 0,
			from: await (await thread.dumpDataDir()).arrayBuffer()
		});
		try {
			const other = drizzle({ client: copy as never }) as unknown as Database;
			const bodies = (await other.select({ body: note.body }).from(note).orderBy(note.id)).map((r) => r.body);
			expect(bodies).toEqual(['första', 'changed', 'kept']);
		} finally {
			await copy.close();
		}
	});

	test('once closed it answers with an error, not a hang', async () => {
		const closing = await PgliteThread.open({ preparedStatements: 0 });
		await closing.close();
		await expect(closing.query('select 1')).rejects.toThrow('closed');
	});

	test('a thread that stops fails the statement it had and every later one as unavailable (503), and says so once', async () => {
		// A stand-in for a database thread that dies (an engine abort, memory): ready, then gone.
		const file = path.join(mkdtempSync(path.join(tmpdir(), 'pglite-thread-')), 'dies.mjs');
		writeFileSync(
			file,
			"import { parentPort } from 'node:worker_threads';\nparentPort.postMessage({ ready: true });\nparentPort.on('message', () => process.exit(3));\n"
		);
		const dying = await PgliteThread.open({ preparedStatements: 0 }, file);
		const lost: Error[] = [];
		dying.whenLost((error) => lost.push(error));
		const first = await dying.query('select 1').catch((error: unknown) => error);
		expect(String(first)).toContain('exit code 3');
		expect(databaseUnavailable(first)).toBe(true);
		const later = await dying.query('select 1').catch((error: unknown) => error);
		expect(databaseUnavailable(later)).toBe(true);
		// The server ends its process on this (database.ts): told once, with the reason.
		expect(lost.map((e) => e.message)).toEqual(['The database thread stopped (exit code 3)']);
	});
});
