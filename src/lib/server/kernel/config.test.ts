import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientAddress, config, readConfig, startupProblem } from './config.ts';

describe('configuration', () => {
	it('has defaults that start the app with nothing set', () => {
		const c = readConfig({});
		expect(c.port).toBe(3000);
		expect(c.databaseUrl).toBeUndefined();
		expect(c.dataDir).toBe(path.resolve('data/db'));
		expect(c.media.dir).toBe(path.resolve('data/media'));
		expect(c.seedDemo).toBe(true);
		expect(c.revisionPollMs).toBe(2000);
		expect(c.publicOrigin).toBe('http://localhost:3000');
	});

	it('reads what is set, and refuses a bad value by its name', () => {
		const c = readConfig({ PORT: '8080', SEED_DEMO: 'false', ORIGIN: 'https://partnerskap.example.se' });
		expect(c.publicOrigin).toBe('https://partnerskap.example.se');
		expect(c.seedDemo).toBe(false);
		expect(() => readConfig({ PORT: 'åttio' })).toThrow(/PORT/);
		expect(() => readConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
		expect(() => readConfig({ SMTP_URL: 'http://mail' })).toThrow(/SMTP_URL/);
		expect(() => readConfig({ BETTER_AUTH_SECRET: 'short' })).toThrow(/BETTER_AUTH_SECRET/);
		expect(() => readConfig({ VERIFICATION_SECRET: 'short' })).toThrow(/VERIFICATION_SECRET/);
		expect(() => readConfig({ VERIFICATION_OIDC: '{"issuer":' })).toThrow(/VERIFICATION_OIDC/);
		const oidc =
			'{"issuer":"https://id.example.se","clientId":"p","clientSecret":"s","municipalityClaim":"kommun"}';
		expect(readConfig({ VERIFICATION_OIDC: oidc }).verification.oidc).toMatchObject({
			identifierClaim: 'sub',
			municipalityClaim: 'kommun'
		});
	});

	it('runs one process per core on PostgreSQL and refuses more than one on a PGlite folder', () => {
		expect(readConfig({}).webConcurrency).toBe(1);
		expect(readConfig({ DATABASE_URL: 'postgres://db/x' }).webConcurrency).toBeGreaterThanOrEqual(1);
		expect(readConfig({ DATABASE_URL: 'postgres://db/x', WEB_CONCURRENCY: '3' }).webConcurrency).toBe(3);
		expect(() => readConfig({ WEB_CONCURRENCY: '0' })).toThrow(/WEB_CONCURRENCY/);
		expect(startupProblem(readConfig({ WEB_CONCURRENCY: '2' }))).toMatch(/WEB_CONCURRENCY.*DATABASE_URL/);
		expect(startupProblem(readConfig({ WEB_CONCURRENCY: '2', DATABASE_URL: 'postgres://db/x' }))).toBeNull();
		expect(() => readConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
		expect(readConfig({ RENDER_CACHE_MEGABYTES: '8' }).renderCache.maxBytes).toBe(8 * 1024 * 1024);
	});

	it('takes the client address from X-Forwarded-For only behind TRUST_PROXY hops, from the right', () => {
		expect(readConfig({}).trustProxy).toBe(0);
		expect(readConfig({ TRUST_PROXY: '' }).trustProxy).toBe(0);
		expect(readConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
		// As earlier versions took it: true is one proxy, false none.
		expect(readConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(1);
		expect(readConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(0);
		expect(() => readConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/);
		// Without trusted proxies anyone could write the header: it is ignored.
		expect(clientAddress('10.0.0.5', '203.0.113.7', 0)).toBe('10.0.0.5');
		// One proxy: the address it appended; what the client wrote before it does not count.
		expect(clientAddress('10.0.0.5', '198.51.100.1, 203.0.113.7', 1)).toBe('203.0.113.7');
		expect(clientAddress('10.0.0.5', '198.51.100.1,203.0.113.7, 10.0.0.4', 2)).toBe('203.0.113.7');
		expect(clientAddress('::1', '2001:db8::7', 1)).toBe('2001:db8::7');
		// A chain shorter than the proxies in front (they were bypassed), or no address: the socket.
		expect(clientAddress('10.0.0.5', undefined, 1)).toBe('10.0.0.5');
		expect(clientAddress('10.0.0.5', '203.0.113.7', 2)).toBe('10.0.0.5');
		expect(clientAddress('10.0.0.5', '203.0.113.7, <script>', 1)).toBe('10.0.0.5');
	});

	it('refuses to start in production without ORIGIN, saying so in one line', () => {
		for (const env of [{ NODE_ENV: 'production' }, { TRUST_PROXY: '1' }]) {
			const problem = startupProblem(readConfig(env));
			expect(problem).toMatch(/^ORIGIN must be set in production[^\n]*$/);
			expect(startupProblem(readConfig({ ...env, ORIGIN: 'https://partnerskap.example.se' }))).toBeNull();
		}
		// On a developer's machine, in tests and while building, links come from this machine.
		expect(startupProblem(readConfig({}))).toBeNull();
		expect(startupProblem(readConfig({ NODE_ENV: 'development' }))).toBeNull();
	});

	it("follows the process's variables as a script or test changes them, and parses them once otherwise", () => {
		const before = process.env.CONTACT_EMAIL;
		try {
			process.env.CONTACT_EMAIL = 'forsta@example.se';
			const first = config();
			expect(first.contactEmail).toBe('forsta@example.se');
			expect(config()).toBe(first);
			process.env.CONTACT_EMAIL = 'andra@example.se';
			expect(config().contactEmail).toBe('andra@example.se');
			delete process.env.CONTACT_EMAIL;
			expect(config().contactEmail).not.toBe('andra@example.se');
		} finally {
			if (before === undefined) delete process.env.CONTACT_EMAIL;
			else process.env.CONTACT_EMAIL = before;
		}
	});

	it('is documented: the README names every variable this module reads', () => {
		const source = readFileSync(new URL('./config.ts', import.meta.url), 'utf8');
		const schema = source.slice(
			source.indexOf('const environment'),
			source.indexOf('export type Environment')
		);
		const variables = [...schema.matchAll(/^\t([A-Z][A-Z0-9_]+):/gm)]
			.map((m) => m[1]!)
			.filter((v) => v !== 'VITEST');
		expect(variables.length).toBeGreaterThan(25);
		const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
		expect(variables.filter((v) => !readme.includes(`\`${v}\``))).toEqual([]);
	});
});
