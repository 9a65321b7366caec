// npm run bench (after bench/dialogue.js), or node bench/results.js: the programme's dashboard
// /results at 2,000 partnerships × 10 years (issue 12: p99 under 200 ms for one visitor without the
// render cache), against a production build served by scripts/serve.js, on a fresh PostgreSQL
// database and on PGlite. The corpus (partnerships/corpus.ts and results/corpus.ts) is loaded by
// this script in a process of its own (`node bench/results.js load`, with the server's settings),
// then the page is asked at 1 connection: the default year, a filtered one, and its CSV; and the
// programme's IATI file is checked against the official schema and the result rules.
// Options: BENCH_RESULTS=0 (skip), BENCH_ONLY=postgres|pglite, BENCH_RESULTS_SECONDS (10 per run),
// BENCH_DATABASE_URL (admin URL), BENCH_BUILD=0|1 (as bench/dialogue.js).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';

export const corpus = { organizations: 500, partnerships: 2000, years: 10, lastYear: 2025 };

/** In the loading process: the registry, then the frameworks, figures and reports. */
async function loadCorpus() {
	const { openConfiguredDatabase } = await import('../src/lib/server/app/startup.ts');
	const { addSyntheticRegistry } = await import('../src/lib/server/partnerships/corpus.ts');
	const { addSyntheticResults } = await import('../src/lib/server/results/corpus.ts');
	const { sql } = await import('drizzle-orm');
	const handle = await openConfiguredDatabase({ demo: true });
	await addSyntheticRegistry(handle.db, corpus);
	const made = await addSyntheticResults(handle.db, corpus);
	await handle.db.execute(sql`vacuum analyze`);
	await handle.close();
	process.stdout.write(JSON.stringify(made) + '\n');
}

if (process.argv[2] === 'load') {
	await loadCorpus();
	process.exit(0);
}

const { benchDatabase, load, pad, root, servedBuild, startServer, warmUp } = await import('./measure.js');

if (process.env.BENCH_RESULTS === '0') {
	console.log('BENCH_RESULTS=0: the results dashboard benchmark is skipped');
	process.exit(0);
}
const seconds = Number(process.env.BENCH_RESULTS_SECONDS ?? 10);
const kinds = process.env.BENCH_ONLY
	? process.env.BENCH_ONLY.split(',').map((k) => k.trim())
	: ['postgres', 'pglite'];
const p99TargetMs = 200;
const pages = {
	dashboard: '/results',
	filtered: '/results?year=2020&country=KE&goal=16',
	principle: '/en/results?year=2023&principle=participation',
	csv: '/results/figures.csv'
};

/**
 * The programme's IATI file at the corpus's size (issue 12: it passes the official 2.03 schema for
 * the synthetic 2,000 partnerships): fetched once from the server, checked against the XSD and the
 * standard's result rules.
 */
async function checkProgrammeIati(url) {
	const { xsdProblems } = await import('../src/lib/server/results/iati/xsd.ts');
	const { readIati } = await import('../src/lib/server/results/iati/read.ts');
	const { resultRuleProblems } = await import('../src/lib/server/results/iati/rules.ts');
	const started = Date.now();
	const res = await fetch(`${url}/api/v1/iati.xml`);
	const xml = await res.text();
	const ms = Date.now() - started;
	const read = readIati(xml);
	const activities = read.ok ? read.activities : [];
	const schema = xsdProblems(xml);
	const rules = activities.flatMap((a) => resultRuleProblems(a));
	return {
		status: res.status,
		megabytes: Number((Buffer.byteLength(xml) / 1024 / 1024).toFixed(1)),
		ms,
		activities: activities.length,
		results: activities.reduce((n, a) => n + a.results.length, 0),
		schemaProblems: schema.length,
		ruleProblems: rules.length,
		firstProblem: schema[0] ?? (rules[0] ? JSON.stringify(rules[0]) : null)
	};
}

const iati = [];
const benchDir = mkdtempSync(path.join(tmpdir(), 'bench-results-'));
const served = await servedBuild(benchDir);
const rows = [];
let met = 0;
for (const kind of kinds) {
	console.log(`\n== results on ${kind}: loading ${corpus.partnerships} partnerships × ${corpus.years} years`);
	const tmp = mkdtempSync(path.join(benchDir, `${kind}-`));
	const pgdb = kind === 'postgres' ? await benchDatabase('bench_results') : undefined;
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
	try {
		const started = Date.now();
		const made = execFileSync(process.execPath, [path.join(root, 'bench/results.js'), 'load'], {
			cwd: root,
			env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
			stdio: ['ignore', 'pipe', 'inherit']
		})
			.toString()
			.trim()
			.split('\n')
			.at(-1);
		console.log(`loaded ${made} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		const server = await startServer(
			{
				...env,
				WEB_CONCURRENCY: kind === 'postgres' ? String(availableParallelism()) : '1',
				RENDER_CACHE_ENTRIES: '0'
			},
			served
		);
		try {
			iati.push({ kind, ...(await checkProgrammeIati(server.url)) });
			for (const [name, pathname] of Object.entries(pages)) {
				await warmUp(server.url + pathname, 1, 30);
				const r = await load(server.url + pathname, {
					connections: 1,
					seconds,
					server: { pid: server.pid, databaseUrl: env.DATABASE_URL }
				});
				const ok = r.answers > 0 && r.errors + r.timeouts === 0 && r.p99 < p99TargetMs;
				if (ok) met += 1;
				rows.push({ kind, name, ...r, ok });
				console.log(`${kind} ${name}: ${JSON.stringify(r)}`);
			}
		} finally {
			await server.stop();
		}
	} finally {
		if (pgdb) await pgdb.drop();
		rmSync(tmp, { recursive: true, force: true });
	}
}

console.log(
	`\n${pad('database', 10)}${pad('page (1 visitor, no render cache)', 52)}${pad('req/s', 8)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('errors', 8)}${pad('CPU ms/req', 12)}${pad('load', 7)}target`
);
for (const r of rows)
	console.log(
		`${pad(r.kind, 10)}${pad(`${r.name} ${pages[r.name]}`, 52)}${pad(r.requestsPerSecond, 8)}${pad(r.p50, 8)}${pad(r.p99, 8)}${pad(r.errors + r.timeouts, 8)}${pad(r.cpuMsPerRequest, 12)}${pad(r.loadAverage, 7)}p99 under ${p99TargetMs} ms: ${r.ok ? 'met' : 'NOT met'}`
	);
console.log(
	'\nThe programme IATI file (/api/v1/iati.xml) against the official 2.03 schema and the result rules:'
);
for (const r of iati)
	console.log(
		`${pad(r.kind, 10)}${r.status}, ${r.megabytes} MB in ${r.ms} ms: ${r.activities} activities, ${r.results} results; schema problems ${r.schemaProblems}, rule problems ${r.ruleProblems}${r.firstProblem ? ` (first: ${r.firstProblem})` : ''}`
	);
const iatiValid = iati.filter(
	(r) => r.status === 200 && r.activities > 0 && r.schemaProblems + r.ruleProblems === 0
);
console.log(`\nTargets met: ${met + iatiValid.length} of ${rows.length + iati.length}`);
rmSync(benchDir, { recursive: true, force: true });
