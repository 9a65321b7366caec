import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from './config.ts';

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
