import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, onTestFinished, test } from 'vitest';
import { freshPostgres, root, startInstance, type FreshPostgres, type Instance } from '../e2e/instances.ts';

/**
 * Two settings of the server process that the browser journeys' server cannot show, each with a
 * server of its own: behind a proxy (TRUST_PROXY) the client's address is what the proxy appended,
 * and in production a server without ORIGIN does not start. (The address without TRUST_PROXY is
 * in tests/e2e/auth-seams.spec.ts.)
 */

const formHeaders = (origin: string) => ({
	'content-type': 'application/x-www-form-urlencoded',
	accept: 'text/html',
	origin
});

/** The addresses on the person's own account page (where they are signed in). */
const addressesOn = async (origin: string, cookie: string) =>
	[
		...(
			await (
				await fetch(`${origin}/account`, { redirect: 'manual', headers: { accept: 'text/html', cookie } })
			).text()
		).matchAll(/<td>(\d{1,3}(?:\.\d{1,3}){3})<\/td>/g)
	].map((m) => m[1]);

describe('the client’s address behind a proxy', () => {
	let proxied: Instance | undefined;
	let dir: string | undefined;
	let database: FreshPostgres | undefined;
	afterAll(async () => {
		await proxied?.stop();
		if (dir) rmSync(dir, { recursive: true, force: true });
		await database?.drop();
	});

	test(
		'with TRUST_PROXY=1 it is what the proxy appended: lockouts and sessions count clients, not the proxy',
		{ timeout: 180_000 },
		async () => {
			dir = mkdtempSync(path.join(tmpdir(), 'partnerskap-proxy-'));
			// A new PostgreSQL database where there is one: migrating it takes a second, a new PGlite
			// (its initdb in WebAssembly) ten times that, twice (for admin:create and the server).
			database = process.env.TEST_DATABASE_URL ? await freshPostgres('proxy') : undefined;
			const env = {
				DATA_DIR: path.join(dir, 'db'),
				DATABASE_URL: database?.url ?? '',
				SEED_DEMO: 'false',
				AUTH_SECRET_FILE: path.join(dir, 'auth-secret'),
				LOG_LEVEL: 'warn'
			};
			const reader = { email: 'bakom-proxy@example.se', password: 'läsaren bakom proxyn har ett lösen' };
			execFileSync(
				process.execPath,
				[
					'scripts/admin-create.js',
					'--email',
					reader.email,
					'--password',
					reader.password,
					'--role',
					'reader'
				],
				{ cwd: root, env: { ...process.env, ...env }, stdio: 'ignore' }
			);
			proxied = await startInstance({ ...env, TRUST_PROXY: '1' });
			const origin = proxied.url;
			/** A sign-in as relayed by the proxy for `client` (the client wrote `forged` first). */
			const signIn = (client: string, password: string, forged = '198.51.100.7') =>
				fetch(`${origin}/sign-in`, {
					method: 'POST',
					redirect: 'manual',
					headers: { ...formHeaders(origin), 'x-forwarded-for': `${forged}, ${client}` },
					body: new URLSearchParams({ email: reader.email, password })
				});
			const ok = await signIn('203.0.113.9', reader.password);
			expect(ok.status).toBe(303);
			const cookie = ok.headers
				.getSetCookie()
				.map((c) => c.split(';')[0])
				.join('; ');
			expect(await addressesOn(origin, cookie)).toEqual(['203.0.113.9']);

			// Twenty failures from one client lock that client out, not everyone behind the proxy.
			for (let i = 0; i < 20; i++) {
				await fetch(`${origin}/sign-in`, {
					method: 'POST',
					redirect: 'manual',
					headers: { ...formHeaders(origin), 'x-forwarded-for': `198.51.100.${i}, 203.0.113.10` },
					body: new URLSearchParams({ email: `gissning-${i}@example.se`, password: 'en gissning av många' })
				});
			}
			expect((await signIn('203.0.113.10', reader.password, '203.0.113.11')).status).toBe(429);
			expect((await signIn('203.0.113.11', reader.password, '203.0.113.10')).status).toBe(303);
		}
	);
});

test('in production the server will not start without ORIGIN, and says why in one line', async () => {
	const nowhere = mkdtempSync(path.join(tmpdir(), 'partnerskap-no-origin-'));
	onTestFinished(() => rmSync(nowhere, { recursive: true, force: true }));
	for (const setting of [{ NODE_ENV: 'production' }, { TRUST_PROXY: '1' }]) {
		const env: NodeJS.ProcessEnv = {
			...process.env,
			...setting,
			PORT: '3999',
			LOG_LEVEL: 'warn',
			DATA_DIR: path.join(nowhere, 'db'),
			AUTH_SECRET_FILE: path.join(nowhere, 'auth-secret')
		};
		delete env.ORIGIN;
		const child = spawn(process.execPath, ['scripts/serve.js'], {
			cwd: root,
			env,
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stderr = '';
		child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
		// A server that starts anyway is stopped after a while (and the test fails).
		const stop = setTimeout(() => child.kill('SIGTERM'), 20_000);
		const code = await new Promise((r) => child.once('exit', r));
		clearTimeout(stop);
		expect(code).toBe(1);
		expect(stderr.trim()).toMatch(/^ORIGIN must be set in production[^\n]*$/);
	}
});
