import { expect, test } from 'vitest';
import fc from 'fast-check';
import { baseUrl } from './browser.ts';

const paths = ['/inspiration', '/en/inspiration', '/search', '/api/v1/articles', '/feed.xml'];

/** Not a 500, not a stack trace, not a leak of internals. */
async function expectCleanAnswer(path: string) {
	const res = await fetch(baseUrl() + path);
	const body = await res.text();
	expect(res.status, path).not.toBeGreaterThanOrEqual(500);
	expect(body, path).not.toMatch(/at \S+ \(.*:\d+:\d+\)|node_modules|Error: |syntax error/);
	return res.status;
}

test('the malformed parameters of the issue each get a clear 400 or an honest empty result', async () => {
	const cases: [string, number][] = [
		['/inspiration?page=-1', 400],
		['/inspiration?page=abc', 400],
		['/inspiration?sdg=99', 400],
		['/inspiration?sdg=16.99', 400],
		['/inspiration?theme=unknown', 400],
		[`/inspiration?q=${'a'.repeat(10_000)}`, 400],
		['/inspiration?q=%22citizen%20dialogue%22', 200],
		['/inspiration?q=dialog%20%26%20!(x%3A*', 200],
		["/inspiration?q=')%3B%20DROP%20TABLE%20article%3B--", 200],
		['/inspiration?q=%E0%A4%A', 200],
		['/inspiration/%E0%A4%A', 400],
		['/inspiration?theme=participation&theme=transparency', 400],
		['/search?q=%00', 200],
		['/api/v1/articles?page=0', 400],
		['/api/v1/articles?sdg=16.99', 400],
		['/goals/0', 404],
		['/goals/016', 404],
		['/goals/%00', 404],
		['/inspiration/%00', 404],
		['/en/inspiration/Tidsresemetodiken', 404],
		['/api/v1/articles/%00', 404]
	];
	for (const [path, status] of cases) {
		expect(await expectCleanAnswer(path), path).toBe(status);
	}
	const res = await fetch(`${baseUrl()}/api/v1/articles?sdg=99&page=x`);
	expect(await res.json()).toMatchObject({ error: { field: 'sdg' } });
});

test('generated query strings never make a route fail', async () => {
	const key = fc.constantFrom('theme', 'kind', 'sdg', 'country', 'q', 'page', 'per_page', 'lang');
	const value = fc.oneof(
		fc.string({ maxLength: 40 }),
		fc.string({ maxLength: 40, unit: 'binary' }),
		fc.constantFrom(
			'16',
			'16.7',
			'3.d',
			'participation',
			'"',
			"'",
			'&',
			'!',
			':*',
			'%',
			'-1',
			'1e9',
			'%ZZ',
			'<script>'
		)
	);
	await fc.assert(
		fc.asyncProperty(
			fc.constantFrom(...paths),
			fc.array(fc.tuple(key, value), { maxLength: 4 }),
			async (path, pairs) => {
				const query = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
				await expectCleanAnswer(`${path}?${query}`);
			}
		),
		{ numRuns: 120 }
	);
	// Generated path segments where the routes take a slug or a number.
	await fc.assert(
		fc.asyncProperty(
			fc.constantFrom('/inspiration/', '/en/inspiration/', '/goals/', '/api/v1/articles/', '/api/v1/goals/'),
			fc.string({ minLength: 1, maxLength: 60, unit: 'binary' }),
			async (prefix, segment) => {
				const status = await expectCleanAnswer(prefix + encodeURIComponent(segment));
				expect([200, 400, 404]).toContain(status);
			}
		),
		{ numRuns: 100 }
	);
	// Raw, possibly broken percent-encoding as a client might send it.
	await fc.assert(
		fc.asyncProperty(fc.stringMatching(/^[a-z=&%0-9A-F.+-]{0,30}$/), async (raw) => {
			await expectCleanAnswer(`/inspiration?${raw}`);
		}),
		{ numRuns: 80 }
	);
});
