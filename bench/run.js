// npm run bench: load benchmarks of the public pages against a production build, with 10,000
// synthetic articles (both languages), on PostgreSQL and on PGlite, beside a ceiling: a bare
// node:http server answering the same bytes as /inspiration from memory.
// Prints requests/s, p50 and p99 latency and each page's ratio to the ceiling; writes
// bench/results.json. Options: BENCH_COUNT (10000), BENCH_SECONDS (10), BENCH_CONNECTIONS (10),
// Each page gets 2 s of warm-up load first. BENCH_DATABASE_URL (admin URL of a PostgreSQL server; default postgres://postgres@127.0.0.1:5432/postgres).
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '..');
const count = Number(process.env.BENCH_COUNT ?? 10_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const headers = { 'accept-encoding': 'gzip, deflate, br', accept: 'text/html' };
const pages = {
	listing: '/inspiration',
	filtered: '/inspiration?theme=participation&sdg=16',
	search: '/search?q=medborgardialog',
	article: '/inspiration/corpus-4242',
	partnerships: '/partnerships',
	partnershipsByGoal: '/partnerships?sdg=16&status=active'
};
// The registry at the issue's scale: 2,000 partnerships, 5,000 organizations.
const registry = { partnerships: Number(process.env.BENCH_PARTNERSHIPS ?? 2000), organizations: Number(process.env.BENCH_ORGANIZATIONS ?? 5000) };

function run(cmd, args, env) {
	execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
}

async function startServer(env, port) {
	const child = spawn(process.execPath, ['scripts/serve.js'], {
		cwd: root,
		// ORIGIN as in production (required when NODE_ENV=production or TRUST_PROXY is set).
		env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), ORIGIN: `http://127.0.0.1:${port}`, ...env },
		stdio: ['ignore', 'inherit', 'inherit']
	});
	for (let i = 0; i < 240; i++) {
		try {
			if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return child;
		} catch {
			/* not yet */
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	child.kill();
	throw new Error('server did not start');
}

async function stop(child) {
	const exited = new Promise((r) => child.once('exit', r));
	child.kill('SIGTERM');
	await exited;
}

function load(url, conns = connections) {
	return new Promise((resolve, reject) => {
		autocannon({ url, connections: conns, duration: seconds, headers }, (err, r) => {
			if (err) return reject(err);
			resolve({
				requestsPerSecond: Math.round(r.requests.average),
				p50: r.latency.p50,
				p99: r.latency.p99,
				errors: r.errors + r.non2xx,
				bytesPerRequest: Math.round(r.throughput.average / Math.max(1, r.requests.average))
			});
		});
	});
}

/** Compressed weight of a page with its stylesheets and scripts, as a browser fetches them. */
async function weight(base, pathname) {
	const size = async (url) => {
		const res = await fetch(url, { headers: { 'accept-encoding': 'br, gzip' } });
		const body = Buffer.from(await res.arrayBuffer());
		return { encoding: res.headers.get('content-encoding'), bytes: Number(res.headers.get('content-length') ?? body.length), text: body };
	};
	// fetch() decompresses, so ask with a raw request for the size on the wire.
	const wire = (url) =>
		new Promise((resolve, reject) => {
			http.get(url, { headers: { 'accept-encoding': 'br, gzip' } }, (res) => {
				let n = 0;
				res.on('data', (c) => (n += c.length));
				res.on('end', () => resolve({ bytes: n, encoding: res.headers['content-encoding'] ?? 'identity' }));
			}).on('error', reject);
		});
	const html = (await size(base + pathname)).text.toString();
	const assets = [...html.matchAll(/<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"/g)].map((m) => m[1]);
	const parts = [{ url: pathname, ...(await wire(base + pathname)) }];
	for (const a of assets) parts.push({ url: a, ...(await wire(new URL(a, base).href)) });
	return { total: parts.reduce((s, p) => s + p.bytes, 0), parts };
}

async function ceiling(body, contentEncoding, port) {
	const server = http.createServer((req, res) => {
		res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': contentEncoding, 'content-length': body.length });
		res.end(body);
	});
	await new Promise((r) => server.listen(port, '127.0.0.1', r));
	const result = await load(`http://127.0.0.1:${port}/`);
	await new Promise((r) => server.close(r));
	return result;
}

async function freshPostgres() {
	const name = `bench_${Date.now()}`;
	const admin = new pg.Client({ connectionString: adminUrl });
	await admin.connect();
	await admin.query(`create database ${name}`);
	await admin.end();
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		drop: async () => {
			const c = new pg.Client({ connectionString: adminUrl });
			await c.connect();
			await c.query(`drop database if exists ${name} with (force)`);
			await c.end();
		}
	};
}

if (!existsSync(path.join(root, 'build/handler.js')) || process.env.BENCH_BUILD !== '0') run('npx', ['vite', 'build', '--logLevel', 'warn']);

const results = { date: new Date().toISOString(), count, registry, seconds, connections, databases: {} };
const port = 3900;
let listingBody;

for (const kind of ['postgres', 'pglite']) {
	console.log(`\n== ${kind}: loading ${count} synthetic articles`);
	const tmp = mkdtempSync(path.join(tmpdir(), 'bench-'));
	const pgdb = kind === 'postgres' ? await freshPostgres() : undefined;
	const env = kind === 'postgres' ? { DATABASE_URL: pgdb.url } : { DATABASE_URL: '', DATA_DIR: path.join(tmp, 'db') };
	run(
		process.execPath,
		[
			'scripts/corpus.js',
			'--count',
			String(count),
			'--partnerships',
			String(registry.partnerships),
			'--organizations',
			String(registry.organizations)
		],
		env
	);
	results.databases[kind] = {};
	// cached: the render cache on (as in production); uncached: every request renders and queries,
	// once with the same concurrency and once with one connection (the latency of a lone visitor).
	for (const cache of ['cached', 'uncached', 'uncached-1']) {
		const server = await startServer({ ...env, RENDER_CACHE_ENTRIES: cache === 'cached' ? '1000' : '0' }, port);
		const base = `http://127.0.0.1:${port}`;
		const row = {};
		for (const [name, pathname] of Object.entries(pages)) {
			// Warm up (fill the cache, let the JIT compile the hot path) before measuring.
			await new Promise((resolve, reject) =>
				autocannon({ url: base + pathname, connections, duration: 2, headers }, (err) => (err ? reject(err) : resolve(null)))
			);
			row[name] = await load(base + pathname, cache === 'uncached-1' ? 1 : connections);
			console.log(`${kind} ${cache} ${name}: ${JSON.stringify(row[name])}`);
		}
		if (kind === 'postgres' && cache === 'cached') {
			results.weight = await weight(base, pages.listing);
			results.partnershipsWeight = await weight(base, pages.partnerships);
			const res = await new Promise((resolve) =>
				http.get(base + pages.listing, { headers: { 'accept-encoding': 'br' } }, (r) => {
					const chunks = [];
					r.on('data', (c) => chunks.push(c));
					r.on('end', () => resolve({ body: Buffer.concat(chunks), encoding: r.headers['content-encoding'] }));
				})
			);
			listingBody = res;
		}
		results.databases[kind][cache] = row;
		await stop(server);
	}
	if (pgdb) await pgdb.drop();
	rmSync(tmp, { recursive: true, force: true });
}

console.log('\n== ceiling: node:http with the bytes of /inspiration from memory');
results.ceiling = await ceiling(listingBody.body, listingBody.encoding ?? 'identity', port + 1);
console.log(JSON.stringify(results.ceiling));

const pad = (s, n) => String(s).padEnd(n);
console.log(`\n${pad('database', 10)}${pad('cache', 12)}${pad('page', 10)}${pad('req/s', 9)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}ratio to ceiling`);
for (const [kind, byCache] of Object.entries(results.databases)) {
	for (const [cache, row] of Object.entries(byCache)) {
		for (const [name, r] of Object.entries(row)) {
			r.ratioToCeiling = Number((r.requestsPerSecond / results.ceiling.requestsPerSecond).toFixed(3));
			console.log(`${pad(kind, 10)}${pad(cache, 12)}${pad(name, 10)}${pad(r.requestsPerSecond, 9)}${pad(r.p50, 8)}${pad(r.p99, 8)}${(r.ratioToCeiling * 100).toFixed(1)}%`);
		}
	}
}
console.log(`${pad('ceiling', 32)}${pad(results.ceiling.requestsPerSecond, 9)}${pad(results.ceiling.p50, 8)}${pad(results.ceiling.p99, 8)}100%`);
console.log(`/partnerships (${registry.partnerships} partnerships, ${registry.organizations} organizations, with its maps) weighs ${results.partnershipsWeight.total} bytes compressed in all (${results.partnershipsWeight.parts.map((p) => `${p.url} ${p.bytes} B ${p.encoding}`).join(', ')})`);
console.log(`\n/inspiration weighs ${results.weight.total} bytes compressed in all (${results.weight.parts.map((p) => `${p.url} ${p.bytes} B ${p.encoding}`).join(', ')})`);
writeFileSync(path.join(root, 'bench/results.json'), JSON.stringify(results, null, '\t') + '\n');
console.log('Wrote bench/results.json');
