import { readFileSync } from 'node:fs';
import net from 'node:net';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { databaseUnavailable, openDatabase } from '../kernel/database.ts';
import { count, inArray, sql } from 'drizzle-orm';
import { auditLog } from '../kernel/schema.ts';
import { prepareDatabase } from './startup.ts';

const adminUrl = process.env.TEST_DATABASE_URL;
const journal = JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8')) as { entries: unknown[] };

/**
 * A TCP proxy in front of PostgreSQL for the tests that break connections: `onConnection` gets
 * each new connection of the app and `forward`, which pipes it to the server (and returns the
 * server's side); a connection not forwarded is left waiting, or answered by the test.
 */
async function proxyToPostgres(onConnection: (app: net.Socket, forward: () => net.Socket) => void) {
	const sockets = new Set<net.Socket>();
	const proxy = net.createServer((app) => {
		sockets.add(app);
		app.on('error', () => {});
		onConnection(app, () => {
			const server = net.connect({
				host: new URL(adminUrl!).hostname,
				port: Number(new URL(adminUrl!).port || 5432)
			});
			server.on('error', () => app.destroy());
			app.on('close', () => server.destroy());
			app.pipe(server).pipe(app);
			return server;
		});
	});
	await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
	const url = new URL(adminUrl!);
	url.host = `127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
	return {
		url: url.toString(),
		sockets,
		async close() {
			for (const socket of sockets) socket.destroy();
			await new Promise((r) => proxy.close(r));
		}
	};
}

// Only PostgreSQL has several instances on one database; PGlite's folder takes one process.
describe.runIf(adminUrl)('instances starting together on PostgreSQL', () => {
	test(
		'four instances on an empty database all start; one migrates and the demo is written once',
		{ timeout: 120_000 },
		async () => {
			const name = `start_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
			const admin = new pg.Client({ connectionString: adminUrl });
			await admin.connect();
			await admin.query(`create database ${name}`);
			const url = new URL(adminUrl!);
			url.pathname = `/${name}`;
			try {
				const started = await Promise.allSettled(
					[1, 2, 3, 4].map(() =>
						openDatabase({ url: url.toString(), prepare: (db) => prepareDatabase(db, { demo: true }) })
					)
				);
				const handles = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
				try {
					expect(
						started
							.filter((s) => s.status === 'rejected')
							.map((s) => String((s as PromiseRejectedResult).reason))
					).toEqual([]);
					const db = handles[0]!.db;
					const [migrations] = await db.select({ n: count() }).from(sql`drizzle.__drizzle_migrations`);
					expect(migrations!.n).toBe(journal.entries.length);
					// The demo's organizations and partnerships were added by one instance, once.
					const demo = await db
						.select({ action: auditLog.action, n: count() })
						.from(auditLog)
						.where(inArray(auditLog.action, ['organization.demo', 'partnership.demo']))
						.groupBy(auditLog.action);
					expect(Object.fromEntries(demo.map((d) => [d.action, d.n]))).toEqual({
						'organization.demo': 1,
						'partnership.demo': 1
					});
				} finally {
					await Promise.all(handles.map((h) => h.close()));
				}
			} finally {
				await admin.query(`drop database if exists ${name} with (force)`);
				await admin.end();
			}
		}
	);

	test('a connection the server ends does not end the process; the next query gets a new one', async () => {
		const handle = await openDatabase({ url: adminUrl! });
		const admin = new pg.Client({ connectionString: adminUrl });
		await admin.connect();
		try {
			const pid = async () =>
				(await handle.db.select({ pid: sql<number>`pg_backend_pid()` }).from(sql`(select 1) as one`))[0]!.pid;
			const before = await pid();
			// What a restart, a failover or an administrator does to an idle connection.
			await admin.query('select pg_terminate_backend($1)', [before]);
			await new Promise((r) => setTimeout(r, 200));
			const after = await pid();
			expect(after).not.toBe(before);
		} finally {
			await admin.end();
			await handle.close();
		}
	});

	test('a read whose connection the server just ended is tried again and answers', async () => {
		const handle = await openDatabase({ url: adminUrl! });
		const admin = new pg.Client({ connectionString: adminUrl });
		await admin.connect();
		try {
			const pid = async () =>
				(await handle.db.select({ pid: sql<number>`pg_backend_pid()` }).from(sql`(select 1) as one`))[0]!.pid;
			const seen = new Set<number>();
			// No pause after the termination: the pool still holds the dead connection and hands it out.
			for (let round = 0; round < 5; round++) {
				const before = await pid();
				seen.add(before);
				await admin.query('select pg_terminate_backend($1)', [before]);
				const after = await pid();
				expect(after).not.toBe(before);
			}
			expect(seen.size).toBe(5);
			expect(handle.poolStats!()).toMatchObject({ waiting: 0 });
			expect(handle.poolStats!().total).toBeGreaterThanOrEqual(1);
		} finally {
			await admin.end();
			await handle.close();
		}
	});

	test('a connection in use whose socket is reset does not end the process; its transaction fails and the next one works', async () => {
		// A TCP proxy in front of PostgreSQL that can reset the app's sockets (what a firewall or a
		// dying server does): the driver then emits an error on the connection itself, which is
		// out of the pool while the transaction holds it.
		const proxy = await proxyToPostgres((_app, forward) => forward());
		const handle = await openDatabase({ url: proxy.url });
		try {
			const failed = await handle.db
				.transaction(async (tx) => {
					await tx.execute(sql`select 1`);
					for (const socket of proxy.sockets) socket.resetAndDestroy();
					// The reset arrives while the connection waits between two statements.
					await new Promise((r) => setTimeout(r, 200));
					await tx.execute(sql`select 2`);
				})
				.then(
					() => undefined,
					(error: unknown) => error
				);
			expect(failed).toBeInstanceOf(Error);
			const [row] = await handle.db.select({ n: sql<number>`1 + 1` }).from(sql`(select 1) as one`);
			expect(row!.n).toBe(2);
		} finally {
			await handle.close();
			await proxy.close();
		}
	});

	test('a database that stops answering without closing its connections fails the waiting statement in seconds, refuses at once while silent, and is used again when it answers', async () => {
		// A TCP proxy that can freeze: open connections stay open but nothing passes, and new ones
		// are taken and never answered (a frozen host, a network dropping packets).
		let frozen = false;
		const held: { app: net.Socket; server: net.Socket }[] = [];
		const proxy = await proxyToPostgres((app, forward) => {
			if (!frozen) held.push({ app, server: forward() });
		});
		const saved = process.env.DATABASE_SILENCE_MS;
		process.env.DATABASE_SILENCE_MS = '500';
		const handle = await openDatabase({ url: proxy.url });
		const read = async () => {
			const started = Date.now();
			try {
				await handle.db.select({ n: sql<number>`1` }).from(sql`(select 1) as one`);
				return { ms: Date.now() - started, error: undefined };
			} catch (error) {
				return { ms: Date.now() - started, error };
			}
		};
		try {
			expect((await read()).error).toBeUndefined();
			frozen = true;
			for (const { app, server } of held) {
				app.unpipe(server);
				server.unpipe(app);
			}
			// The statement timeout is 15 s; the watch notices the silence in about two of its 500 ms.
			const waiting = await read();
			expect(databaseUnavailable(waiting.error)).toBe(true);
			expect(waiting.ms).toBeLessThan(3000);
			const refused = await read();
			expect(databaseUnavailable(refused.error)).toBe(true);
			expect(refused.ms).toBeLessThan(100);
			frozen = false;
			let back = await read();
			for (let i = 0; back.error && i < 40; i++) {
				await new Promise((r) => setTimeout(r, 100));
				back = await read();
			}
			expect(back.error).toBeUndefined();
		} finally {
			process.env.DATABASE_SILENCE_MS = saved;
			if (saved === undefined) delete process.env.DATABASE_SILENCE_MS;
			await handle.close();
			await proxy.close();
		}
	});

	test('a database that refuses the watch its question (too many connections) is not taken for silent: a slow statement finishes', async () => {
		// A proxy that forwards the connections made so far and answers any new one as a full
		// server does: an ErrorResponse 53300 "too many clients already".
		let refusing = false;
		const body = Buffer.from('SFATAL\0VFATAL\0C53300\0Msorry, too many clients already\0\0');
		const length = Buffer.alloc(4);
		length.writeUInt32BE(body.length + 4);
		const full = Buffer.concat([Buffer.from('E'), length, body]);
		const proxy = await proxyToPostgres((app, forward) => {
			if (refusing) app.once('data', () => app.end(full));
			else forward();
		});
		const saved = process.env.DATABASE_SILENCE_MS;
		process.env.DATABASE_SILENCE_MS = '300';
		const handle = await openDatabase({ url: proxy.url });
		try {
			await handle.db.select({ n: sql<number>`1` }).from(sql`(select 1) as one`);
			refusing = true;
			const [row] = await handle.db
				.select({ slept: sql<string>`pg_sleep(1.5)::text` })
				.from(sql`(select 1) as one`);
			expect(row!.slept).toBe('');
		} finally {
			process.env.DATABASE_SILENCE_MS = saved;
			if (saved === undefined) delete process.env.DATABASE_SILENCE_MS;
			await handle.close();
			await proxy.close();
		}
	});
});
