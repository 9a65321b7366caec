// The support bursts of bench/dialogue.js: many participants posting a proposal's support form at
// once over real HTTP, and what the database and the page say afterwards.
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { loadavg } from 'node:os';
import pg from 'pg';
import { cpuMeter, root } from './measure.js';

/** better-auth's session cookie for a token: the token, a dot and its HMAC-SHA256 in base64. */
export const sessionCookie = (token, secret) =>
	`partnerskap.session_token=${encodeURIComponent(`${token}.${createHmac('sha256', secret).update(token).digest('base64')}`)}`;

/** The support figure a proposal's page shows (its "N stöd" heading), as a number. */
export async function shownSupports(url) {
	const html = await (await fetch(url, { headers: { accept: 'text/html' } })).text();
	const heading = /<h2 id="supports-heading">([^<]*)<\/h2>/.exec(html)?.[1];
	return heading === undefined ? null : Number(heading.replace(/\D/g, ''));
}

const percentile = (sorted, p) =>
	sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** Posts the support form of a proposal once per cookie, all at once; statuses and latencies. */
async function supportAtOnce(base, pathname, posts) {
	const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
	const post = ({ cookie, address }) =>
		new Promise((resolve) => {
			const started = performance.now();
			const req = http.request(
				`${base}${pathname}?/support`,
				{
					method: 'POST',
					agent,
					headers: {
						'content-type': 'application/x-www-form-urlencoded',
						'content-length': '0',
						origin: base,
						accept: 'text/html',
						cookie,
						'x-forwarded-for': address
					}
				},
				(res) => {
					res.resume();
					res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - started }));
				}
			);
			req.on('error', (e) => resolve({ status: e.code ?? 'error', ms: performance.now() - started }));
			req.end();
		});
	const started = performance.now();
	const answers = await Promise.all(posts.map(post));
	const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
	const statuses = {};
	for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
	agent.destroy();
	return {
		posts: posts.length,
		statuses,
		wallMs: Math.round(performance.now() - started),
		p50: Math.round(percentile(ms, 50)),
		p99: Math.round(percentile(ms, 99))
	};
}

/** Support rows, the counter and threshold events of proposals (PostgreSQL directly; PGlite through a child). */
export async function supportFacts(kind, env, ids) {
	const query = `select p.id, p.support_count as "counter",
		(select count(*)::int from proposal_support s where s.proposal_id = p.id) as "rows",
		(select count(*)::int from proposal_event e where e.proposal_id = p.id and e.kind = 'threshold-reached') as "thresholdEvents"
		from proposal p where p.id in (${ids.join(',')})`;
	let rows;
	if (kind === 'postgres') {
		const c = new pg.Client({ connectionString: env.DATABASE_URL });
		await c.connect();
		rows = (await c.query(query).finally(() => c.end())).rows;
	} else {
		const script = `import { PGlite } from '@electric-sql/pglite';
			const db = new PGlite(process.env.DATA_DIR);
			const { rows } = await db.query(process.argv[1]);
			await db.close();
			process.stdout.write(JSON.stringify(rows));`;
		const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, query], {
			cwd: root,
			env: { ...process.env, ...env }
		});
		rows = JSON.parse(out.toString());
	}
	return Object.fromEntries(rows.map((r) => [r.id, r]));
}

/** A burst of support posts with the CPU it cost the server (and its PostgreSQL backends). */
export async function burst(base, pathname, posts, meter) {
	const spent = await cpuMeter(meter);
	const r = await supportAtOnce(base, pathname, posts);
	return {
		...r,
		cpuMsPerPost: Number(((await spent()).total / posts.length).toFixed(2)),
		loadAverage: Number(loadavg()[0].toFixed(2))
	};
}
