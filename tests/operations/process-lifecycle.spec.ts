import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import {
	freePort,
	freshPostgres,
	startInstance,
	type FreshPostgres,
	type Instance
} from '../e2e/instances.ts';
import { metricValue, metricsToken, scrape } from './process-metrics.ts';

/**
 * One server process from its start to its stop, on each database: it opens its port only once it
 * is ready, answers /metrics to the token alone, cuts off a client that sends its headers too
 * slowly, and on SIGTERM finishes the request under way before it exits.
 */

type Probe = 'refused' | 'open' | 'hung';

/** A TCP connect to the port: refused at once, accepted, or neither within a second. */
function probe(port: number): Promise<Probe> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		const done = (result: Probe) => {
			socket.destroy();
			resolve(result);
		};
		socket.setTimeout(1000, () => done('hung'));
		socket.once('connect', () => done('open'));
		socket.once('error', () => done('refused'));
	});
}

/** Writes `head`, then waits for `rest()` to say what else to write; resolves with the whole answer. */
function rawExchange(port: number, head: string) {
	const socket = net.connect(port, '127.0.0.1');
	let received = '';
	socket.setEncoding('utf8');
	socket.on('data', (chunk: string) => (received += chunk));
	const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
	socket.on('error', () => {});
	const opened = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
	void opened.then(() => socket.write(head));
	return { opened, closed, write: (text: string) => socket.write(text), received: () => received };
}

const resetBody = 'email=nobody%40example.org';
/** A password-reset form sent with its headers and only the first 10 bytes of its body. */
const halfPost = (port: number, origin: string) =>
	rawExchange(
		port,
		`POST /reset-password HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${origin}\r\n` +
			`Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${resetBody.length}\r\n\r\n` +
			resetBody.slice(0, 10)
	);

const databases = [
	{ name: 'PGlite', postgres: false },
	...(process.env.TEST_DATABASE_URL ? [{ name: 'PostgreSQL', postgres: true }] : [])
];

describe.each(databases)('one server process on $name', ({ postgres }) => {
	let instance: Instance | undefined;
	let database: FreshPostgres | undefined;
	let port = 0;
	/** What the port said while the process was starting, in order. */
	const probes: Probe[] = [];
	let readyAtFirstOpen = 0;
	const outbox = mkdtempSync(path.join(tmpdir(), 'partnerskap-outbox-'));

	beforeAll(async () => {
		database = postgres ? await freshPostgres('process_life') : undefined;
		port = await freePort();
		const starting = await startInstance(
			{
				METRICS_TOKEN: metricsToken,
				REQUEST_HEADERS_TIMEOUT_SECONDS: '1',
				REQUEST_TIMEOUT_SECONDS: '4',
				SEED_DEMO: 'false',
				OUTBOX_DIR: outbox,
				...(database ? { DATABASE_URL: database.url } : {})
			},
			{ port, waitReady: false }
		);
		instance = starting;
		// Probed until the port opens: every answer before that must be a refusal, never a hang.
		const deadline = Date.now() + 120_000;
		while (Date.now() < deadline && starting.child.exitCode === null) {
			const result = await probe(port);
			probes.push(result);
			if (result === 'hung') break;
			if (result === 'open') {
				readyAtFirstOpen = (await fetch(`${starting.url}/readyz`)).status;
				break;
			}
			await new Promise((r) => setTimeout(r, 50));
		}
	});

	afterAll(async () => {
		await instance?.stop('SIGKILL');
		await database?.drop();
		rmSync(outbox, { recursive: true, force: true });
	});

	test('the port stays closed (refused at once, not hung) until the database is ready', () => {
		expect(probes.at(-1)).toBe('open');
		expect(probes.filter((p) => p === 'refused').length).toBe(probes.length - 1);
		// Starting takes seconds (loading the build, migrating): there was a time before the port opened.
		expect(probes.length).toBeGreaterThan(1);
		expect(readyAtFirstOpen).toBe(200);
	});

	test('it runs with the memory defaults, restarted into them as the same process (scripts/server/memory-defaults.js)', () => {
		// The pid the test started: execve keeps it, so these are the serving process's own.
		const args = readFileSync(`/proc/${instance!.pid}/cmdline`, 'utf8').split('\0');
		const env = readFileSync(`/proc/${instance!.pid}/environ`, 'utf8').split('\0');
		expect(args).toContain('--max-semi-space-size=32');
		expect(args.at(-2)).toMatch(/scripts\/serve\.js$/);
		expect(env).toContain('MALLOC_MMAP_THRESHOLD_=4194304');
		// Without it, every page's brotli tables were given back to the system and faulted in again.
		expect(env).toContain('MALLOC_TRIM_THRESHOLD_=8388608');
	});

	test('/metrics answers only to its token, and its counts grow with the requests served', async () => {
		const url = instance!.url;
		const without = await fetch(`${url}/metrics`);
		expect(without.status).toBe(401);
		expect(without.headers.get('www-authenticate')).toBe('Bearer');
		expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer wrong-token' } })).status).toBe(
			401
		);

		const before = await scrape(url);
		for (let i = 0; i < 3; i++) expect((await fetch(`${url}/inspiration`)).status).toBe(200);
		expect((await fetch(`${url}/no-such-page`)).status).toBe(404);
		const after = await scrape(url);

		const ok = { method: 'GET', status_class: '2xx' };
		const missing = { method: 'GET', status_class: '4xx' };
		expect(metricValue(after, 'partnerskap_http_requests_total', ok)).toBe(
			metricValue(before, 'partnerskap_http_requests_total', ok) + 3
		);
		expect(metricValue(after, 'partnerskap_http_requests_total', missing)).toBe(
			metricValue(before, 'partnerskap_http_requests_total', missing) + 1
		);
		// The second and third visit of the same page came from the render cache.
		expect(metricValue(after, 'partnerskap_render_cache_entries')).toBeGreaterThanOrEqual(1);
		expect(
			metricValue(after, 'partnerskap_http_request_duration_seconds_count', { source: 'cache' })
		).toBeGreaterThanOrEqual(
			metricValue(before, 'partnerskap_http_request_duration_seconds_count', { source: 'cache' }) + 2
		);
		// Mail written to the outbox (no SMTP) shows as its number of .eml files.
		expect(metricValue(after, 'partnerskap_mail_outbox_messages')).toBe(0);
		writeFileSync(path.join(outbox, '1.eml'), 'Subject: one\r\n\r\n');
		writeFileSync(path.join(outbox, '2.eml'), 'Subject: two\r\n\r\n');
		writeFileSync(path.join(outbox, 'notes.txt'), 'not a message');
		expect(metricValue(await scrape(url), 'partnerskap_mail_outbox_messages')).toBe(2);
		if (postgres) expect(metricValue(after, 'partnerskap_database_pool_connections')).toBeGreaterThan(0);
	});

	test('a client that sends half a request line and stalls is disconnected after the headers timeout (1 s)', async () => {
		const started = Date.now();
		const slow = rawExchange(port, 'GET /inspira');
		await slow.opened;
		const answer = await slow.closed;
		const ms = Date.now() - started;
		// Node checks every half a second: cut after 1 s, within 2.5 s at most.
		expect(ms).toBeGreaterThanOrEqual(900);
		expect(ms).toBeLessThan(2500);
		expect(answer).toMatch(/^HTTP\/1\.1 408 /);
	});

	test('a client that sends its headers and half its body, then stalls, gets 408 after the request timeout (4 s)', async () => {
		const started = Date.now();
		const stalled = halfPost(port, instance!.url);
		await stalled.opened;
		const answer = await stalled.closed;
		const ms = Date.now() - started;
		expect(ms).toBeGreaterThanOrEqual(3900);
		expect(ms).toBeLessThan(5500);
		expect(answer).toMatch(/^HTTP\/1\.1 408 /);
	});

	test('SIGTERM during a slow request: it completes with 200, new connections are refused, the process exits 0', async () => {
		const inFlight = halfPost(port, instance!.url);
		await inFlight.opened;
		await new Promise((r) => setTimeout(r, 200));
		const exited = instance!.stop('SIGTERM');
		// The port closes while the request is still waiting for the rest of its body.
		let closedAfter = 0;
		const signalled = Date.now();
		while ((await probe(port)) !== 'refused') {
			if (Date.now() - signalled > 3000) throw new Error('Still accepting connections 3 s after SIGTERM');
			await new Promise((r) => setTimeout(r, 20));
		}
		closedAfter = Date.now() - signalled;
		expect(closedAfter).toBeLessThan(3000);
		expect(inFlight.received()).toBe('');
		inFlight.write(resetBody.slice(10));
		const answer = await inFlight.closed;
		expect(answer).toMatch(/^HTTP\/1\.1 200 /);
		expect(answer.toLowerCase()).toContain('connection: close');
		const code = await exited;
		expect(code, `exit ${code}:\n${instance!.log()}`).toBe(0);
	});
});

test('without METRICS_TOKEN /metrics does not exist (404), token or not', async () => {
	const baseUrl = inject('baseUrl');
	expect((await fetch(`${baseUrl}/metrics`)).status).toBe(404);
	expect(
		(await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).status
	).toBe(404);
});
