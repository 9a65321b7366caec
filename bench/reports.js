// npm run bench (after bench/results.js), or node bench/reports.js: reports on a map at a city's
// size (issue 11: a space with 100,000 reports; the public map page's p99 under 150 ms for one
// visitor without the render cache, and its weight under 150 KB compressed; the reports' downloads
// filtered), against a production build served by scripts/serve.js, on a fresh PostgreSQL database
// and on PGlite. The corpus (dialogue/map-reports/corpus.ts) is loaded into the demo's Yogyakarta
// space by this script in a process of its own (`node bench/reports.js load`, with the server's
// settings), then each page is asked at 1 connection: the map page, filtered, a later page of its
// table, and the last 30 days as GeoJSON. The map page's weight is what the server sends to a
// browser that accepts brotli (and gzip), counted on the wire.
// Writes bench/reports-results.json (bench/reports-results-partial.json for a partial run).
// Options: BENCH_REPORTS=0 (skip), BENCH_ONLY=postgres|pglite, BENCH_REPORTS_SECONDS (10 per run),
// BENCH_DATABASE_URL (admin URL), BENCH_BUILD=0|1 (as bench/dialogue.js).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';

export const corpus = { reports: 100_000, space: 'yogyakarta-rapportera-vatten-och-myggor' };

/** In the loading process: the demo (with its reports space), then the synthetic reports. */
async function loadCorpus() {
	const { openConfiguredDatabase } = await import('../src/lib/server/app/startup.ts');
	const { addSyntheticReports } = await import('../src/lib/server/dialogue/map-reports/corpus.ts');
	const { demoReportSpaceSlug } = await import('../src/lib/server/dialogue/map-reports/demo.ts');
	const { sql } = await import('drizzle-orm');
	if (demoReportSpaceSlug !== corpus.space) throw new Error(`The demo's space is now ${demoReportSpaceSlug}`);
	let started = Date.now();
	const handle = await openConfiguredDatabase({ demo: true });
	const openSeconds = (Date.now() - started) / 1000;
	started = Date.now();
	const reports = await addSyntheticReports(handle.db, demoReportSpaceSlug, corpus.reports);
	const insertSeconds = (Date.now() - started) / 1000;
	started = Date.now();
	// Fresh statistics, as a database that has grown to this size over time would have.
	await handle.db.execute(sql`vacuum analyze`);
	const vacuumSeconds = (Date.now() - started) / 1000;
	await handle.close();
	process.stdout.write(JSON.stringify({ reports, openSeconds, insertSeconds, vacuumSeconds }) + '\n');
}

if (process.argv[2] === 'load') {
	await loadCorpus();
	process.exit(0);
}

const { benchDatabase, load, pad, root, servedBuild, startServer, warmUp } = await import('./measure.js');

if (process.env.BENCH_REPORTS === '0') {
	console.log('BENCH_REPORTS=0: the reports map benchmark is skipped');
	process.exit(0);
}
const seconds = Number(process.env.BENCH_REPORTS_SECONDS ?? 10);
const kinds = process.env.BENCH_ONLY
	? process.env.BENCH_ONLY.split(',').map((k) => k.trim())
	: ['postgres', 'pglite'];
const p99TargetMs = 150;
/** 150 KB, read as 150 × 1,024 bytes. */
const weightTargetBytes = 150 * 1024;
const base = `/dialogue/${corpus.space}`;
/** The map page with and without filters (the issue's target holds for each), and a download. */
const pages = {
	map: { path: `${base}/reports`, target: true },
	filtered: { path: `${base}/reports?category=waste&status=resolved`, target: true },
	page50: { path: `${base}/reports?page=50`, target: true },
	geojson30: { path: `${base}/reports.geojson?period=30`, target: false }
};

/**
 * One GET with `accept-encoding` as given: the status, the encoding the server chose and the body's
 * bytes as received (node:http does not decompress, so this is what the wire carries).
 */
const fetchRaw = (url, acceptEncoding) =>
	new Promise((resolve, reject) => {
		const started = Date.now();
		const req = http.get(url, { headers: { accept: '*/*', 'accept-encoding': acceptEncoding } }, (res) => {
			let bytes = 0;
			res.on('data', (chunk) => (bytes += chunk.length));
			res.on('end', () =>
				resolve({
					status: res.statusCode,
					encoding: res.headers['content-encoding'] ?? 'identity',
					bytes,
					ms: Date.now() - started
				})
			);
			res.on('error', reject);
		});
		req.on('error', reject);
	});

/** What a page weighs as sent: to a browser taking brotli, one taking only gzip, and uncompressed. */
async function weigh(url) {
	const [br, gzip, identity] = [
		await fetchRaw(url, 'br'),
		await fetchRaw(url, 'gzip'),
		await fetchRaw(url, 'identity')
	];
	return { status: br.status, br, gzip, identity };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

const benchDir = mkdtempSync(path.join(tmpdir(), 'bench-reports-'));
const served = await servedBuild(benchDir);
const results = {
	date: new Date().toISOString(),
	corpus,
	seconds,
	cores: availableParallelism(),
	targets: { p99Ms: p99TargetMs, mapWeightBytes: weightTargetBytes },
	databases: {}
};
const verdicts = [];
for (const kind of kinds) {
	console.log(`\n== reports on ${kind}: loading ${corpus.reports} reports into ${corpus.space}`);
	const tmp = mkdtempSync(path.join(benchDir, `${kind}-`));
	const pgdb = kind === 'postgres' ? await benchDatabase('bench_reports') : undefined;
	const env = {
		...(kind === 'postgres'
			? { DATABASE_URL: pgdb.url }
			: { DATABASE_URL: '', DATA_DIR: path.join(tmp, 'db') }),
		MEDIA_DIR: path.join(tmp, 'media'),
		OUTBOX_DIR: path.join(tmp, 'outbox'),
		AUTH_SECRET_FILE: path.join(tmp, 'auth-secret'),
		BETTER_AUTH_SECRET: randomBytes(32).toString('hex'),
		SMTP_URL: ''
	};
	const row = { pages: {}, weights: {} };
	results.databases[kind] = row;
	try {
		const started = Date.now();
		row.load = JSON.parse(
			execFileSync(process.execPath, [path.join(root, 'bench/reports.js'), 'load'], {
				cwd: root,
				env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
				stdio: ['ignore', 'pipe', 'inherit']
			})
				.toString()
				.trim()
				.split('\n')
				.at(-1)
		);
		row.load.totalSeconds = (Date.now() - started) / 1000;
		console.log(`loaded ${JSON.stringify(row.load)}`);
		// RENDER_CACHE_ENTRIES=0 as bench/results.js: nothing is kept. Dialogue pages (and their
		// downloads) are never in the render cache anyway (kernel/cached-answer.ts's `live`), so this
		// only makes sure of it; every answer below is rendered from the database.
		const server = await startServer(
			{
				...env,
				WEB_CONCURRENCY: kind === 'postgres' ? String(availableParallelism()) : '1',
				RENDER_CACHE_ENTRIES: '0'
			},
			served
		);
		try {
			for (const [name, page] of Object.entries(pages)) {
				row.weights[name] = await weigh(server.url + page.path);
				console.log(`${kind} ${name} as sent: ${JSON.stringify(row.weights[name])}`);
			}
			// The unfiltered download once: every public report in one answer (it is not paged).
			row.weights.geojsonAll = await weigh(`${server.url}${base}/reports.geojson`);
			console.log(`${kind} geojsonAll as sent: ${JSON.stringify(row.weights.geojsonAll)}`);
			for (const [name, page] of Object.entries(pages)) {
				await warmUp(server.url + page.path, 1, 30);
				const r = await load(server.url + page.path, {
					connections: 1,
					seconds,
					server: { pid: server.pid, databaseUrl: env.DATABASE_URL }
				});
				const answered = r.answers > 0 && r.errors + r.timeouts === 0;
				const ok = page.target ? answered && r.p99 < p99TargetMs : undefined;
				if (page.target) verdicts.push(ok);
				row.pages[name] = { path: page.path, ...r, ...(page.target && { meetsTarget: ok }) };
				console.log(`${kind} ${name}: ${JSON.stringify(r)}`);
			}
			const map = row.weights.map;
			row.mapWeightMeetsTarget =
				map.status === 200 && map.br.encoding === 'br' && map.br.bytes < weightTargetBytes;
			verdicts.push(row.mapWeightMeetsTarget);
		} finally {
			await server.stop();
		}
	} finally {
		if (pgdb) await pgdb.drop();
		rmSync(tmp, { recursive: true, force: true });
	}
}

console.log(
	`\n${pad('database', 10)}${pad('page (1 visitor, no render cache)', 100)}${pad('req/s', 8)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('errors', 8)}${pad('CPU ms/req', 12)}${pad('load', 7)}target`
);
for (const [kind, row] of Object.entries(results.databases))
	for (const [name, r] of Object.entries(row.pages))
		console.log(
			`${pad(kind, 10)}${pad(`${name} ${r.path}`, 100)}${pad(r.requestsPerSecond, 8)}${pad(r.p50, 8)}${pad(r.p99, 8)}${pad(r.errors + r.timeouts, 8)}${pad(r.cpuMsPerRequest, 12)}${pad(r.loadAverage, 7)}${'meetsTarget' in r ? `p99 under ${p99TargetMs} ms: ${r.meetsTarget ? 'met' : 'NOT met'}` : ''}`
		);
console.log(
	`\n${pad('database', 10)}${pad('answer as sent', 14)}${pad('status', 8)}${pad('to br', 24)}${pad('to gzip', 24)}${pad('uncompressed', 24)}target`
);
for (const [kind, row] of Object.entries(results.databases))
	for (const [name, w] of Object.entries(row.weights))
		console.log(
			`${pad(kind, 10)}${pad(name, 14)}${pad(w.status, 8)}${pad(`${kb(w.br.bytes)} ${w.br.encoding}`, 24)}${pad(`${kb(w.gzip.bytes)} ${w.gzip.encoding}`, 24)}${pad(`${kb(w.identity.bytes)}, ${w.identity.ms} ms`, 24)}${name === 'map' ? `brotli under ${kb(weightTargetBytes)}: ${row.mapWeightMeetsTarget ? 'met' : 'NOT met'}` : ''}`
		);
console.log(`\nTargets met: ${verdicts.filter(Boolean).length} of ${verdicts.length}`);
const file = kinds.length < 2 ? 'bench/reports-results-partial.json' : 'bench/reports-results.json';
writeFileSync(path.join(root, file), JSON.stringify(results, null, '\t') + '\n');
rmSync(benchDir, { recursive: true, force: true });
console.log(`Wrote ${file}`);
