import { readFileSync } from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freshPostgres, startInstance, type FreshPostgres, type Instance } from '../e2e/instances.ts';
import { metricValue, metricsToken, scrape } from './process-metrics.ts';

/**
 * WEB_CONCURRENCY=2 on PostgreSQL: a primary and two workers sharing one port. Both workers
 * answer, /metrics sums them, and a worker killed outright is replaced while the site answers on.
 */

/** The worker processes of the primary (Linux: /proc lists a process's children). */
function workersOf(pid: number): number[] {
	return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
		.trim()
		.split(/\s+/)
		.filter(Boolean)
		.map(Number);
}

/** A GET on a new connection each time, so the primary hands each to the next worker. */
function get(url: string): Promise<number> {
	return new Promise((resolve) => {
		const req = http.get(url, { agent: false, headers: { connection: 'close' } }, (res) => {
			res.resume();
			res.once('end', () => resolve(res.statusCode ?? 0));
		});
		req.once('error', () => resolve(0));
		req.setTimeout(5000, () => req.destroy());
	});
}

describe.runIf(process.env.TEST_DATABASE_URL)('WEB_CONCURRENCY=2 (PostgreSQL)', () => {
	let database: FreshPostgres | undefined;
	let primary: Instance | undefined;

	beforeAll(async () => {
		database = await freshPostgres('process_cluster');
		primary = await startInstance({
			DATABASE_URL: database.url,
			WEB_CONCURRENCY: '2',
			METRICS_TOKEN: metricsToken,
			SEED_DEMO: 'false'
		});
		// /readyz answered by one worker; the other may still be opening its pool.
		const deadline = Date.now() + 60_000;
		while (metricValue(await scrape(primary.url), 'partnerskap_workers_listening') < 2) {
			if (Date.now() > deadline) throw new Error(`Two workers did not start:\n${primary.log()}`);
			await new Promise((r) => setTimeout(r, 200));
		}
	});

	afterAll(async () => {
		await primary?.stop('SIGKILL');
		await database?.drop();
	});

	test('two workers answer, and /metrics counts the requests of both', async () => {
		const url = primary!.url;
		const perWorker = (text: string, worker: string) =>
			metricValue(text, 'partnerskap_worker_requests_total', { worker });
		const ok = { method: 'GET', status_class: '2xx' };
		const before = await scrape(url);
		const statuses: number[] = [];
		for (let i = 0; i < 20; i++) statuses.push(await get(`${url}/inspiration`));
		expect(statuses.every((s) => s === 200)).toBe(true);
		const after = await scrape(url);
		const served1 = perWorker(after, '1') - perWorker(before, '1');
		const served2 = perWorker(after, '2') - perWorker(before, '2');
		expect(served1).toBeGreaterThan(0);
		expect(served2).toBeGreaterThan(0);
		expect(served1 + served2).toBe(20);
		// The total is the sum over the workers, not one worker's own count.
		expect(metricValue(after, 'partnerskap_http_requests_total', ok)).toBe(
			metricValue(before, 'partnerskap_http_requests_total', ok) + 20
		);
		expect(metricValue(after, 'partnerskap_database_pool_connections')).toBeGreaterThan(0);
	});

	test(
		'a worker killed with SIGKILL is forked again, and the site keeps answering meanwhile',
		{ timeout: 120_000 },
		async () => {
			const url = primary!.url;
			const [victim, survivor] = workersOf(primary!.pid);
			expect(victim).toBeDefined();
			process.kill(victim!, 'SIGKILL');
			const started = Date.now();
			// A connection the primary hands over in the instant the worker dies is lost with it (Node's
			// cluster; the reverse proxy in front retries such a request). Once the primary has reaped it,
			// every request must be answered, while the replacement starts and after.
			while (workersOf(primary!.pid).includes(victim!)) {
				if (Date.now() - started > 5000) throw new Error('The killed worker was not reaped within 5 s');
				await new Promise((r) => setTimeout(r, 10));
			}
			const statuses: number[] = [];
			let replaced: number[] = [];
			for (;;) {
				statuses.push(await get(`${url}/inspiration`));
				replaced = workersOf(primary!.pid);
				const text = await scrape(url);
				if (
					replaced.length === 2 &&
					!replaced.includes(victim!) &&
					metricValue(text, 'partnerskap_workers_listening') === 2
				) {
					expect(metricValue(text, 'partnerskap_worker_restarts_total')).toBe(1);
					break;
				}
				if (Date.now() - started > 60_000) throw new Error(`No new worker within 60 s:\n${primary!.log()}`);
				await new Promise((r) => setTimeout(r, 100));
			}
			expect(replaced).toContain(survivor);
			expect(statuses.length).toBeGreaterThan(0);
			expect(statuses.filter((s) => s !== 200)).toEqual([]);
			expect(primary!.child.exitCode).toBeNull();
			// The new worker serves its share too.
			const before = await scrape(url);
			for (let i = 0; i < 10; i++) expect(await get(`${url}/inspiration`)).toBe(200);
			const after = await scrape(url);
			for (const worker of ['1', '2']) {
				expect(
					metricValue(after, 'partnerskap_worker_requests_total', { worker }) -
						metricValue(before, 'partnerskap_worker_requests_total', { worker })
				).toBeGreaterThan(0);
			}
		}
	);

	test('SIGTERM to the primary: the workers drain and everything exits 0', async () => {
		const workers = workersOf(primary!.pid);
		const code = await primary!.stop('SIGTERM');
		expect(code, `exit ${code}:\n${primary!.log()}`).toBe(0);
		for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
	});
});
