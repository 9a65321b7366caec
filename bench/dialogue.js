// npm run bench (after bench/run.js), or node bench/dialogue.js: the citizen dialogue under load,
// against a production build served by scripts/serve.js, on a fresh PostgreSQL database and on
// PGlite. A corpus is loaded straight into the tables: 1,001 participants with sessions, a space
// with 1,000 proposals (supports 0–999) whose first has 10,000 comments in 2,500 threads, and a
// space whose proposals the participants support. Then, over real HTTP:
//   (a) the 1,000 participants post the support form of one proposal at once, each with their own
//       session cookie, the form's Origin header and an address of their own (X-Forwarded-For
//       behind TRUST_PROXY=1): support rows, support_count and the page's figure must all be
//       1,000, and the threshold (500) is crossed exactly once; on PostgreSQL the same burst
//       again on another proposal, with a minute's wait for a pooled connection (the default
//       DATABASE_CONNECT_TIMEOUT_MS of 5 s answers 503 to a request that waits longer);
//   (b) one participant posts the support form 50 times in parallel: 1 support;
//   (c) p50/p99 and CPU ms per request at 1 and 10 connections of the proposal page with 10,000
//       comments (first and a middle page of its thread) and the space page with 1,000 proposals
//       (most supported first), anonymous: dialogue pages are never in the render cache.
// Writes bench/dialogue-results.json (bench/dialogue-results-partial.json for a partial run).
// The CPU time per request counts the server's processes and their PostgreSQL backends (load on
// the machine changes latency, hardly CPU); the load average is printed beside each run.
// Options: BENCH_DIALOGUE=0 (skip), BENCH_ONLY=postgres|pglite, BENCH_DIALOGUE_SECONDS (5 per
// run), BENCH_DATABASE_URL (admin URL; default postgres://postgres@127.0.0.1:5432/postgres),
// BENCH_BUILD=0|1 (default: build when a source is newer than build/handler.js; the server runs
// from a copy, so a browser test run rebuilding build/ meanwhile does not change it).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { corpus, spaces } from './dialogue-corpus.js';
import { burst, sessionCookie, shownSupports, supportFacts } from './dialogue-supports.js';
import { benchDatabase, load, pad, root, servedBuild, startServer, warmUp } from './measure.js';

if (process.env.BENCH_DIALOGUE === '0') {
	console.log('BENCH_DIALOGUE=0: the dialogue benchmark is skipped');
	process.exit(0);
}

const seconds = Number(process.env.BENCH_DIALOGUE_SECONDS ?? 5);
const kinds = process.env.BENCH_ONLY
	? process.env.BENCH_ONLY.split(',').map((k) => k.trim())
	: ['postgres', 'pglite'];
const p99TargetMs = 100;

const benchDir = mkdtempSync(path.join(tmpdir(), 'bench-dialogue-'));
const served = await servedBuild(benchDir);
const results = {
	date: new Date().toISOString(),
	corpus,
	seconds,
	cores: availableParallelism(),
	databases: {}
};
const verdicts = [];

for (const kind of kinds) {
	console.log(
		`\n== dialogue on ${kind}: loading ${corpus.participants} participants, ${corpus.proposals} proposals, ${corpus.comments} comments`
	);
	const tmp = mkdtempSync(path.join(benchDir, `${kind}-`));
	const pgdb = kind === 'postgres' ? await benchDatabase('bench_dialogue') : undefined;
	const secret = randomBytes(32).toString('hex');
	const env = {
		...(kind === 'postgres'
			? { DATABASE_URL: pgdb.url }
			: { DATABASE_URL: '', DATA_DIR: path.join(tmp, 'db') }),
		MEDIA_DIR: path.join(tmp, 'media'),
		OUTBOX_DIR: path.join(tmp, 'outbox'),
		AUTH_SECRET_FILE: path.join(tmp, 'auth-secret'),
		BETTER_AUTH_SECRET: secret,
		SMTP_URL: ''
	};
	const row = {};
	try {
		const loadStarted = Date.now();
		const loaded = JSON.parse(
			execFileSync(process.execPath, [path.join(root, 'bench/dialogue-corpus.js')], {
				cwd: root,
				env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
				stdio: ['ignore', 'pipe', 'inherit'],
				maxBuffer: 64 * 1024 * 1024
			})
				.toString()
				.trim()
				.split('\n')
				.at(-1)
		);
		console.log(`loaded in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s`);
		// As deployed: one process per core on PostgreSQL, one on PGlite; behind one proxy, so each
		// participant's own address (X-Forwarded-For) counts against their own allowance.
		const workers = kind === 'postgres' ? String(availableParallelism()) : '1';
		const serve = async (extra, work) => {
			const server = await startServer(
				{ ...env, WEB_CONCURRENCY: workers, TRUST_PROXY: '1', ...extra },
				served
			);
			try {
				return await work(server.url, { pid: server.pid, databaseUrl: env.DATABASE_URL });
			} finally {
				await server.stop();
			}
		};
		const cookies = loaded.tokens.map((t) => sessionCookie(t, secret));
		const everyone = cookies.slice(0, corpus.participants).map((cookie, i) => ({
			cookie,
			address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`
		}));
		const pathOf = (id) => `/dialogue/${spaces.supports}/proposals/${id}`;
		row.supports = {};
		await serve({}, async (base, meter) => {
			// A session made here is one the server knows: its page offers the support button.
			const page = await (
				await fetch(base + pathOf(loaded.target), { headers: { cookie: cookies[0], accept: 'text/html' } })
			).text();
			if (!page.includes('?/support'))
				throw new Error('the prepared session is not signed in: no support form');
			// (a) 1,000 participants at once
			const a = await burst(base, pathOf(loaded.target), everyone, meter);
			a.shown = await shownSupports(base + pathOf(loaded.target));
			// (b) one participant, 50 at once
			const one = Array.from({ length: corpus.parallelSupports }, () => ({
				cookie: cookies[corpus.participants],
				address: '10.255.0.1'
			}));
			const b = await burst(base, pathOf(loaded.single), one, meter);
			b.shown = await shownSupports(base + pathOf(loaded.single));
			row.supports.thousandAtOnce = a;
			row.supports.oneParticipantFiftyAtOnce = b;
			console.log(`${kind} 1,000 participants at once: ${JSON.stringify(a)}`);
			console.log(`${kind} one participant, 50 at once: ${JSON.stringify(b)}`);

			// (c) the pages, anonymous (never render-cached)
			const pages = {
				proposalFirstPage: `/dialogue/${spaces.pages}/proposals/${loaded.commented}`,
				proposalMiddlePage: `/dialogue/${spaces.pages}/proposals/${loaded.commented}?page=63`,
				spaceBySupports: `/dialogue/${spaces.pages}?sort=supported`
			};
			row.pages = {};
			for (const [name, pathname] of Object.entries(pages)) {
				row.pages[name] = {};
				for (const connections of [1, 10]) {
					await warmUp(base + pathname, connections, 30);
					const r = {
						connections,
						...(await load(base + pathname, { connections, seconds, server: meter }))
					};
					row.pages[name][`c${connections}`] = r;
					console.log(`${kind} ${name} ${connections} conn: ${JSON.stringify(r)}`);
				}
			}
		});
		// PostgreSQL: the pool's wait for a connection is DATABASE_CONNECT_TIMEOUT_MS (5 s); a burst
		// whose queue is longer is answered 503 in part. The same burst with a minute's wait shows
		// the count when nobody is turned away. (PGlite has no pool: one connection, a queue.)
		if (kind === 'postgres') {
			await serve({ DATABASE_CONNECT_TIMEOUT_MS: '60000' }, async (base, meter) => {
				const c = await burst(base, pathOf(loaded.patient), everyone, meter);
				c.shown = await shownSupports(base + pathOf(loaded.patient));
				row.supports.thousandAtOnceMinuteWait = c;
				console.log(`${kind} 1,000 participants at once, a minute's pool wait: ${JSON.stringify(c)}`);
			});
		}
		// Counted once the server has stopped (PGlite's folder is the server's alone while it runs).
		const facts = await supportFacts(kind, env, [loaded.target, loaded.patient, loaded.single]);
		const runs = [
			['thousandAtOnce', loaded.target, corpus.participants],
			['thousandAtOnceMinuteWait', loaded.patient, corpus.participants],
			['oneParticipantFiftyAtOnce', loaded.single, 1]
		];
		for (const [name, id, wanted] of runs) {
			const r = row.supports[name];
			if (!r) continue;
			const f = facts[id];
			Object.assign(r, { rows: f.rows, counter: f.counter, thresholdEvents: f.thresholdEvents });
			const ok = r.statuses[200] ?? 0;
			// Always: the rows, the counter and the page agree, every acknowledged support is among
			// the rows, and the threshold was crossed at most once.
			r.consistent =
				f.rows === f.counter &&
				f.counter === r.shown &&
				f.rows >= Math.min(ok, wanted) &&
				f.thresholdEvents <= 1;
			// The issue's figure: exactly the wanted number, every post answered 200.
			r.exact =
				r.consistent &&
				f.rows === wanted &&
				ok === r.posts &&
				(wanted < corpus.threshold || f.thresholdEvents === 1);
			verdicts.push(r.consistent, r.exact);
		}
		for (const r of Object.values(row.pages ?? {})) {
			r.c1.meetsTarget = r.c1.answers > 0 && r.c1.errors + r.c1.timeouts === 0 && r.c1.p99 < p99TargetMs;
			verdicts.push(r.c1.meetsTarget);
		}
	} finally {
		results.databases[kind] = row;
		if (pgdb) await pgdb.drop();
		rmSync(tmp, { recursive: true, force: true });
	}
}

console.log(
	`\n${pad('database', 10)}${pad('support posts', 40)}${pad('rows', 6)}${pad('counter', 9)}${pad('page', 6)}${pad('answers', 22)}${pad('p50/p99 ms', 13)}${pad('wall ms', 9)}${pad('CPU ms/post', 13)}${pad('load', 7)}exact`
);
for (const [kind, row] of Object.entries(results.databases)) {
	for (const [name, r] of Object.entries(row.supports ?? {})) {
		if (!('rows' in r)) continue;
		console.log(
			`${pad(kind, 10)}${pad(name, 40)}${pad(r.rows, 6)}${pad(r.counter, 9)}${pad(r.shown, 6)}${pad(JSON.stringify(r.statuses), 22)}${pad(`${r.p50}/${r.p99}`, 13)}${pad(r.wallMs, 9)}${pad(r.cpuMsPerPost, 13)}${pad(r.loadAverage, 7)}${r.exact ? 'yes' : r.consistent ? 'no (consistent)' : 'NO, INCONSISTENT'}${r.thresholdEvents ? `, threshold crossed ${r.thresholdEvents}x` : ''}`
		);
	}
}
console.log(
	`\n${pad('database', 10)}${pad('page (anonymous, uncached)', 22)}${pad('conns', 7)}${pad('req/s', 8)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('errors', 8)}${pad('CPU ms/req', 12)}${pad('load', 7)}target`
);
for (const [kind, row] of Object.entries(results.databases)) {
	for (const [name, byConns] of Object.entries(row.pages ?? {})) {
		for (const r of Object.values(byConns)) {
			const target =
				'meetsTarget' in r
					? `p99 under ${p99TargetMs} ms at 1 connection: ${r.meetsTarget ? 'met' : 'NOT met'}`
					: '';
			console.log(
				`${pad(kind, 10)}${pad(name, 22)}${pad(r.connections, 7)}${pad(r.requestsPerSecond, 8)}${pad(r.p50, 8)}${pad(r.p99, 8)}${pad(r.errors + r.timeouts, 8)}${pad(r.cpuMsPerRequest, 12)}${pad(r.loadAverage, 7)}${target}`
			);
		}
	}
}
console.log(`\nTargets met: ${verdicts.filter(Boolean).length} of ${verdicts.length}`);
const file = kinds.length < 2 ? 'bench/dialogue-results-partial.json' : 'bench/dialogue-results.json';
writeFileSync(path.join(root, file), JSON.stringify(results, null, '\t') + '\n');
rmSync(benchDir, { recursive: true, force: true });
console.log(`Wrote ${file}`);
