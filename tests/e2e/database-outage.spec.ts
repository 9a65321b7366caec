import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const adminUrl = process.env.TEST_DATABASE_URL;

/**
 * A TCP proxy in front of PostgreSQL that the test can cut: `silent` swallows new connections and
 * drops the open ones (a database that has gone away behind a firewall); `pass` forwards again.
 */
async function cuttableProxy(target: { host: string; port: number }) {
	let mode: 'pass' | 'silent' = 'pass';
	const open = new Set<net.Socket>();
	const server = net.createServer((client) => {
		open.add(client);
		client.on('close', () => open.delete(client));
		client.on('error', () => {});
		if (mode === 'silent') return;
		const upstream = net.connect(target);
		open.add(upstream);
		upstream.on('close', () => open.delete(upstream));
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
		mend() {
			mode = 'pass';
		},
		close: () => {
			for (const s of open) s.destroy();
			return new Promise((r) => server.close(r));
		}
	};
}

async function freePort(): Promise<number> {
	const s = net.createServer();
	await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
	const { port } = s.address() as net.AddressInfo;
	await new Promise((r) => s.close(r));
	return port;
}

// The outage is PostgreSQL's: PGlite lives in the process and cannot go away on its own.
describe.runIf(adminUrl)('the database going away and coming back (PostgreSQL)', () => {
	let server: ChildProcess | undefined;
	let proxy: Awaited<ReturnType<typeof cuttableProxy>> | undefined;
	let dir: string | undefined;
	const name = `outage_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

	afterAll(async () => {
		if (server && server.exitCode === null) {
			const exited = new Promise((r) => server!.once('exit', r));
			server.kill('SIGTERM');
			await exited;
		}
		await proxy?.close();
		const admin = new pg.Client({ connectionString: adminUrl });
		await admin.connect();
		await admin.query(`drop database if exists ${name} with (force)`);
		await admin.end();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	test(
		'started while the database is away it waits; then cached pages are still served, the rest answers 503 with Retry-After in seconds, and it recovers',
		{ timeout: 120_000 },
		async () => {
			const admin = new pg.Client({ connectionString: adminUrl });
			await admin.connect();
			await admin.query(`create database ${name}`);
			await admin.end();
			const target = new URL(adminUrl!);
			proxy = await cuttableProxy({ host: target.hostname, port: Number(target.port || 5432) });
			const viaProxy = new URL(adminUrl!);
			viaProxy.hostname = '127.0.0.1';
			viaProxy.port = String(proxy.port);
			viaProxy.pathname = `/${name}`;
			dir = mkdtempSync(path.join(tmpdir(), 'partnerskap-outage-'));
			const port = await freePort();
			const origin = `http://127.0.0.1:${port}`;
			server = spawn(process.execPath, ['scripts/serve.js'], {
				cwd: root,
				env: {
					...process.env,
					DATABASE_URL: viaProxy.toString(),
					DATA_DIR: path.join(dir, 'db'),
					MEDIA_DIR: path.join(dir, 'media'),
					OUTBOX_DIR: path.join(dir, 'outbox'),
					AUTH_SECRET_FILE: path.join(dir, 'auth-secret'),
					PORT: String(port),
					HOST: '127.0.0.1',
					ORIGIN: origin,
					SMTP_URL: '',
					LOG_LEVEL: 'fatal',
					DATABASE_CONNECT_TIMEOUT_MS: '1000',
					DATABASE_STATEMENT_TIMEOUT_MS: '2000'
				},
				stdio: ['ignore', 'inherit', 'inherit']
			});
			const ready = async () =>
				fetch(`${origin}/readyz`, { signal: AbortSignal.timeout(4000) }).then(
					(r) => r.status,
					() => 0
				);
			// It starts while the database is away: it stays up, says it is not ready, and waits.
			proxy.cut();
			for (let tries = 0; (await ready()) !== 503; tries++) {
				if (server.exitCode !== null) throw new Error(`The server exited with ${server.exitCode}`);
				if (tries > 480) throw new Error('The server did not answer');
				await new Promise((r) => setTimeout(r, 250));
			}
			await new Promise((r) => setTimeout(r, 1500));
			expect(await ready()).toBe(503);
			expect(server.exitCode).toBeNull();
			proxy.mend();
			for (let tries = 0; (await ready()) !== 200; tries++) {
				if (server.exitCode !== null) throw new Error(`The server exited with ${server.exitCode}`);
				if (tries > 480) throw new Error('The server did not become ready');
				await new Promise((r) => setTimeout(r, 250));
			}
			// Visited once, so the render cache holds it.
			expect((await fetch(`${origin}/inspiration`)).status).toBe(200);

			proxy.cut();
			const timed = async (address: string, headers: Record<string, string> = {}) => {
				const started = Date.now();
				const res = await fetch(`${origin}${address}`, { headers });
				return { res, ms: Date.now() - started, body: await res.text() };
			};
			const cached = await timed('/inspiration');
			expect(cached.res.status).toBe(200);
			expect(cached.body).toContain('<h1>Inspiration</h1>');

			const page = await timed('/search?q=medborgardialog');
			expect(page.res.status).toBe(503);
			expect(page.res.headers.get('retry-after')).toBe('5');
			expect(page.body).toContain('Tjänsten kan inte nå sin databas just nu.');
			expect(page.ms).toBeLessThan(5000);

			const api = await timed('/api/v1/articles?lang=en');
			expect(api.res.status).toBe(503);
			expect(api.res.headers.get('retry-after')).toBe('5');
			expect(JSON.parse(api.body)).toEqual({
				error: {
					message: 'The service cannot reach its database just now. Please try again in a moment.',
					field: null
				}
			});
			expect(api.ms).toBeLessThan(5000);

			expect((await timed('/readyz')).res.status).toBe(503);
			expect((await timed('/healthz')).res.status).toBe(200);
			expect(server.exitCode).toBeNull();

			// Back again: the same process answers within a few seconds, with no restart.
			proxy.mend();
			const mended = Date.now();
			while ((await timed('/search?q=medborgardialog')).res.status !== 200) {
				if (Date.now() - mended > 5000) throw new Error('Not recovered within 5 s');
				await new Promise((r) => setTimeout(r, 100));
			}
			expect(await ready()).toBe(200);
			expect(server.exitCode).toBeNull();
		}
	);
});
