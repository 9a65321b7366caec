import net from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { freshPostgres, startInstance, type FreshPostgres, type Instance } from '../e2e/instances.ts';

const adminUrl = process.env.TEST_DATABASE_URL;

/**
 * A TCP proxy in front of PostgreSQL that the test can cut: `silent` swallows new connections and
 * drops the open ones (a database that has gone away behind a firewall); `freeze` swallows new
 * ones and lets nothing through the open ones, which stay open (a frozen host, a network dropping
 * packets); `pass` forwards again.
 */
async function cuttableProxy(target: { host: string; port: number }) {
	let mode: 'pass' | 'silent' = 'pass';
	const open = new Set<net.Socket>();
	const pairs = new Set<[net.Socket, net.Socket]>();
	const server = net.createServer((client) => {
		open.add(client);
		client.on('close', () => open.delete(client));
		client.on('error', () => {});
		if (mode === 'silent') return;
		const upstream = net.connect(target);
		open.add(upstream);
		const pair: [net.Socket, net.Socket] = [client, upstream];
		pairs.add(pair);
		upstream.on('close', () => {
			open.delete(upstream);
			pairs.delete(pair);
		});
		upstream.on('error', () => client.destroy());
		client.on('error', () => upstream.destroy());
		client.pipe(upstream).pipe(client);
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	return {
		port: (server.address() as net.AddressInfo).port,
		cut() {
			mode = 'silent';
			for (const s of open) s.destroy();
		},
		freeze() {
			mode = 'silent';
			for (const [client, upstream] of pairs) {
				client.unpipe(upstream);
				upstream.unpipe(client);
			}
		},
		mend() {
			mode = 'pass';
		},
		close: () => {
			for (const s of open) s.destroy();
			return new Promise((r) => server.close(r));
		}
	};
}

/** One request with its time; a hang or a dropped socket is an answer too (status 0). */
async function timed(origin: string, address: string, limitMs = 8000) {
	const started = Date.now();
	try {
		const res = await fetch(`${origin}${address}`, { signal: AbortSignal.timeout(limitMs) });
		return { status: res.status, res, body: await res.text(), ms: Date.now() - started };
	} catch (error) {
		return { status: 0, res: undefined, body: String(error), ms: Date.now() - started };
	}
}

/** Asks until the address answers `status`; fails when the process exits or the time runs out. */
async function until(instance: Instance, address: string, status: number, limitMs: number) {
	const started = Date.now();
	for (;;) {
		if (instance.child.exitCode !== null) throw new Error(`The server exited:\n${instance.log()}`);
		if ((await timed(instance.url, address, 4000)).status === status) return Date.now() - started;
		if (Date.now() - started > limitMs)
			throw new Error(`${address} did not answer ${status} in ${limitMs} ms`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

// Short timeouts, so that an outage shows within the test's seconds.
const quick = { DATABASE_CONNECT_TIMEOUT_MS: '1000', DATABASE_STATEMENT_TIMEOUT_MS: '2000' };

// The outage is PostgreSQL's: PGlite lives in the process and cannot go away on its own.
describe.runIf(adminUrl)('the database going away and coming back (PostgreSQL)', () => {
	const instances: Instance[] = [];
	const databases: FreshPostgres[] = [];
	let proxy: Awaited<ReturnType<typeof cuttableProxy>> | undefined;

	afterAll(async () => {
		await Promise.all(instances.map((i) => i.stop()));
		await proxy?.close();
		await Promise.all(databases.map((d) => d.drop()));
	});

	test(
		'started while the database is away it waits; then cached pages are still served, the rest answers 503 with Retry-After in seconds, and it recovers',
		{ timeout: 120_000 },
		async () => {
			const database = await freshPostgres('outage');
			databases.push(database);
			const target = new URL(adminUrl!);
			proxy = await cuttableProxy({ host: target.hostname, port: Number(target.port || 5432) });
			const viaProxy = new URL(database.url);
			viaProxy.hostname = '127.0.0.1';
			viaProxy.port = String(proxy.port);

			// It starts while the database is away: it stays up and waits with its port closed, so a
			// client (or the proxy in front) is refused at once instead of waiting on it.
			proxy.cut();
			// A render cache TTL of 2 s, so that the outage outlasts the cached copy.
			const server = await startInstance(
				{ DATABASE_URL: viaProxy.toString(), ...quick, RENDER_CACHE_TTL_SECONDS: '2' },
				{ waitReady: false }
			);
			instances.push(server);
			await new Promise((r) => setTimeout(r, 4000));
			const refused = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(4000) }).then(
				() => 'answered',
				(error: Error) => (error.cause as { code?: string } | undefined)?.code
			);
			expect(refused).toBe('ECONNREFUSED');
			expect(server.child.exitCode).toBeNull();
			proxy.mend();
			await until(server, '/readyz', 200, 120_000);
			// Visited once, so the render cache holds it.
			expect((await timed(server.url, '/inspiration')).status).toBe(200);

			proxy.cut();
			const cached = await timed(server.url, '/inspiration');
			expect(cached.status).toBe(200);
			expect(cached.body).toContain('<h1>Inspiration</h1>');
			// Past its TTL it cannot be rendered again: the copy stands in, within the connect timeout.
			await new Promise((r) => setTimeout(r, 2500));
			const old = await timed(server.url, '/inspiration');
			expect(old.status).toBe(200);
			expect(old.body).toBe(cached.body);
			expect(old.ms).toBeLessThan(5000);

			const page = await timed(server.url, '/search?q=medborgardialog');
			expect(page.status).toBe(503);
			expect(page.res!.headers.get('retry-after')).toBe('5');
			expect(page.body).toContain('Tjänsten kan inte nå sin databas just nu.');
			expect(page.ms).toBeLessThan(5000);

			const api = await timed(server.url, '/api/v1/articles?lang=en');
			expect(api.status).toBe(503);
			expect(api.res!.headers.get('retry-after')).toBe('5');
			expect(JSON.parse(api.body)).toEqual({
				error: {
					message: 'The service cannot reach its database just now. Please try again in a moment.',
					field: null
				}
			});
			expect(api.ms).toBeLessThan(5000);

			expect((await timed(server.url, '/readyz')).status).toBe(503);
			expect((await timed(server.url, '/healthz')).status).toBe(200);
			expect(server.child.exitCode).toBeNull();

			// Back again: the same process answers within a few seconds, with no restart.
			proxy.mend();
			await until(server, '/search?q=medborgardialog', 200, 5000);
			expect((await timed(server.url, '/readyz')).status).toBe(200);
			expect(server.child.exitCode).toBeNull();
		}
	);

	test(
		'a database that stops answering with its connections open: the waiting request answers 503 in seconds (not at the 15 s statement timeout), the next ones at once, and it recovers',
		{ timeout: 120_000 },
		async () => {
			const database = await freshPostgres('frozen');
			databases.push(database);
			const target = new URL(adminUrl!);
			const frozen = await cuttableProxy({ host: target.hostname, port: Number(target.port || 5432) });
			const viaProxy = new URL(database.url);
			viaProxy.hostname = '127.0.0.1';
			viaProxy.port = String(frozen.port);
			// The default timeouts: connect 5 s, statement 15 s, silence 2 s.
			const server = await startInstance({ DATABASE_URL: viaProxy.toString() });
			instances.push(server);
			try {
				const warm = await Promise.all(
					Array.from({ length: 4 }, (_, i) => timed(server.url, `/search?q=dialog${i}`))
				);
				expect(warm.map((r) => r.status)).toEqual([200, 200, 200, 200]);
				frozen.freeze();
				const waiting = await timed(server.url, '/search?q=frozen1', 20_000);
				expect(waiting.status).toBe(503);
				expect(waiting.ms).toBeLessThan(7000);
				const next = await timed(server.url, '/inspiration?q=frozen2', 20_000);
				expect(next.status).toBe(503);
				expect(next.ms).toBeLessThan(500);
				expect((await timed(server.url, '/readyz')).status).toBe(503);
				expect(server.child.exitCode).toBeNull();
				frozen.mend();
				const back = await until(server, '/search?q=frozen3', 200, 10_000);
				expect(back).toBeLessThan(5000);
				expect(server.log()).toContain('The database is not answering');
			} finally {
				await frozen.close();
			}
		}
	);

	test(
		'an administrator ending every session of the app (pool and listener) neither stops nor hangs it: it answers 200 again by itself',
		{ timeout: 120_000 },
		async () => {
			const database = await freshPostgres('terminated');
			databases.push(database);
			const server = await startInstance({ DATABASE_URL: database.url, ...quick });
			instances.push(server);
			const admin = new pg.Client({ connectionString: adminUrl });
			await admin.connect();
			try {
				/** The app's sessions on its database, and whether one of them is the revision listener. */
				const sessions = async () => {
					const { rows } = await admin.query<{ query: string }>(
						'select query from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
						[database.name]
					);
					return { count: rows.length, listening: rows.some((r) => /^\s*listen\b/i.test(r.query)) };
				};
				// Pages that ask the database every time (each word is a new cache key): the site search,
				// whose several reads at once once ended the process here (a connection in use whose
				// socket broke), and the inspiration listing's free text.
				let word = 0;
				const uncached = () => (word % 2 ? `/search?q=dialog${word++}` : `/inspiration?q=dialog${word++}`);
				const recoveries: number[] = [];
				const answers: number[][] = [];
				for (let round = 0; round < 3; round++) {
					// Several requests at once, so that the pool holds more than one connection.
					const warm = await Promise.all(Array.from({ length: 4 }, () => timed(server.url, uncached())));
					expect(warm.map((r) => r.status)).toEqual([200, 200, 200, 200]);
					// The listeners come back by themselves with back-off (0.25 s doubling): wait for them,
					// up to 10 s, rather than racing their reconnect.
					let before = await sessions();
					for (const waitUntil = Date.now() + 10_000; !before.listening && Date.now() < waitUntil;) {
						await new Promise((r) => setTimeout(r, 100));
						before = await sessions();
					}
					expect(before.listening).toBe(true);
					expect(before.count).toBeGreaterThanOrEqual(2);

					const { rows } = await admin.query<{ ended: boolean }>(
						'select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
						[database.name]
					);
					expect(rows.length).toBeGreaterThanOrEqual(2);
					const ended = Date.now();
					// Every answer meanwhile is a page or a 503, each within the statement timeout: no
					// crash, no hang, no 500.
					// The bound is 10 s, not the 5 s aimed at: the suite runs two files at once on two
					// cores, and a loaded machine must not make this flaky. The times are logged below.
					let answer = await timed(server.url, uncached(), 10_000);
					answers.push([]);
					for (;;) {
						answers.at(-1)!.push(answer.status);
						expect([200, 503], answer.body.slice(0, 300)).toContain(answer.status);
						expect(answer.ms).toBeLessThan(10_000);
						if (answer.status === 200) break;
						expect(Date.now() - ended).toBeLessThan(10_000);
						await new Promise((r) => setTimeout(r, 50));
						answer = await timed(server.url, uncached(), 10_000);
					}
					recoveries.push(Date.now() - ended);
					expect(server.child.exitCode).toBeNull();
					expect((await timed(server.url, '/readyz')).status).toBe(200);
					// The listener reconnects by itself (its back-off starts at a quarter of a second).
					const relisten = Date.now();
					while (!(await sessions()).listening) {
						expect(Date.now() - relisten).toBeLessThan(5000);
						await new Promise((r) => setTimeout(r, 50));
					}
				}
				console.log(
					`Back to 200 after pg_terminate_backend (ms, 3 rounds): ${recoveries.join(', ')}; answers: ${answers.map((a) => a.join(' ')).join(' | ')}`
				);
				expect(Math.max(...recoveries)).toBeLessThan(10_000);
			} finally {
				await admin.end();
			}
		}
	);
});
