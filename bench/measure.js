// What every bench script uses: the production build served from a copy, the server started as
// the browser tests start it (tests/e2e/instances.ts), and load with the CPU time it cost.
import { execFileSync } from 'node:child_process';
import {
	cpSync,
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	symlinkSync,
	writeFileSync
} from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort, freshPostgres, startInstance } from '../tests/e2e/instances.ts';

export { freePort };

export const root = path.resolve(import.meta.dirname, '..');

/** The admin URL of the PostgreSQL server the bench makes its databases on. */
export const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A new database on BENCH_DATABASE_URL's server: { url, drop() }. */
export const benchDatabase = (prefix) => freshPostgres(prefix, adminUrl);

/** What a browser sends. */
export const headers = { 'accept-encoding': 'gzip, deflate, br', accept: 'text/html' };

export const pad = (s, n) => String(s).padEnd(n);

/**
 * `node scripts/serve.js` from `cwd` (a copy of the build: see servedBuild) with LOG_LEVEL=warn,
 * its output shown here; resolves once /readyz answers (seconds on PGlite, longer on a loaded
 * machine). `stop()` ends it with SIGTERM and waits.
 */
export const startServer = (env, cwd) => startInstance(env, { cwd, echo: true, readyTimeoutMs: 180_000 });

/** A process and its descendants (cluster workers, their threads' children), from /proc (Linux). */
export function processTree(pid) {
	const pids = [pid];
	try {
		for (const task of readdirSync(`/proc/${pid}/task`)) {
			let children = '';
			try {
				children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
			} catch {
				// A thread that ended meanwhile (the thread pool's come and go) has no children.
			}
			for (const child of children ? children.split(/\s+/) : []) pids.push(...processTree(Number(child)));
		}
	} catch {
		// The process ended meanwhile.
	}
	return pids;
}

/** CPU time (ms) of a process and its descendants; 0 for any that ended. */
export const treeCpuMs = (pid) =>
	processTree(pid).reduce((ms, p) => {
		try {
			const text = readFileSync(`/proc/${p}/stat`, 'utf8');
			// utime and stime (fields 14 and 15), in clock ticks of 10 ms; the name may hold spaces.
			const stat = text.slice(text.lastIndexOf(')') + 2).split(' ');
			return ms + (Number(stat[11]) + Number(stat[12])) * 10;
		} catch {
			return ms;
		}
	}, 0);

/** The PostgreSQL backends of a database (on this machine), to count their CPU time too. */
async function backendPids(url) {
	if (!url) return [];
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		const { rows } = await client.query(
			'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()'
		);
		return rows.map((r) => r.pid).filter((pid) => existsSync(`/proc/${pid}`));
	} finally {
		await client.end();
	}
}

/**
 * CPU of the server ({ pid, databaseUrl }) and its backends from now on: call the result to read
 * the ms spent since ({ total, node }). Backends the pool opened meanwhile count whole; one opened
 * and closed within the run is missed.
 */
export async function cpuMeter(server) {
	const start = new Map((await backendPids(server.databaseUrl)).map((pid) => [pid, treeCpuMs(pid)]));
	const serverStart = treeCpuMs(server.pid);
	return async () => {
		const node = treeCpuMs(server.pid) - serverStart;
		let database = 0;
		// A backend gone meanwhile reads 0: its time until then is lost, not subtracted.
		for (const [pid, before] of start) database += Math.max(0, treeCpuMs(pid) - before);
		for (const pid of await backendPids(server.databaseUrl)) if (!start.has(pid)) database += treeCpuMs(pid);
		return { total: node + database, node };
	};
}

/**
 * One measured run of `seconds` at `connections`. `server` ({ pid, databaseUrl }) adds the CPU
 * time per answered request: the server's processes, and the PostgreSQL backends of its database
 * when that runs on this machine (load on the machine changes latency, hardly CPU).
 */
export async function load(url, { connections, seconds, server }) {
	const spent = server ? await cpuMeter(server) : undefined;
	const r = await new Promise((resolve, reject) =>
		autocannon({ url, connections, duration: seconds, headers }, (err, result) =>
			err ? reject(err) : resolve(result)
		)
	);
	const answered = Math.max(1, r.requests.total);
	const cpu = await spent?.();
	return {
		requestsPerSecond: Math.round(r.requests.average),
		answers: r.requests.total,
		p50: r.latency.p50,
		p99: r.latency.p99,
		errors: r.errors + r.non2xx,
		timeouts: r.timeouts,
		bytesPerRequest: Math.round(r.throughput.average / Math.max(1, r.requests.average)),
		...(cpu && {
			cpuMsPerRequest: Number((cpu.total / answered).toFixed(2)),
			serverCpuMsPerRequest: Number((cpu.node / answered).toFixed(2))
		}),
		// The 1-minute load average as the run ended (the machine's other work skews latency, not CPU).
		loadAverage: Number(loadavg()[0].toFixed(2))
	};
}

/**
 * Warm-up by answers, not by time: a new process's first answers (the filter index, the JIT) can
 * take seconds on a loaded machine, and a timed warm-up would leave them to the measured run (or
 * leave the measured run with nothing answered at all). autocannon waits for every answer here.
 */
export const warmUp = (url, connections, least = 50) =>
	new Promise((resolve, reject) =>
		autocannon(
			{ url, connections, amount: Math.max(least, connections * 3), timeout: 120, headers },
			(err) => (err ? reject(err) : resolve(null))
		)
	);

/** Whether any source the build of `app` is made of is newer than the build. */
function buildIsStale(app) {
	const built = path.join(app, 'build/handler.js');
	if (!existsSync(built)) return true;
	const at = statSync(built).mtimeMs;
	const newer = (dir) =>
		readdirSync(dir, { withFileTypes: true }).some((e) => {
			const p = path.join(dir, e.name);
			return e.isDirectory() ? newer(p) : statSync(p).mtimeMs > at;
		});
	return newer(path.join(app, 'src')) || newer(path.join(app, 'messages'));
}

/** Takes the lock the browser tests take (tests/e2e/setup.ts) on a checkout's build; returns its release. */
async function lockBuild(app) {
	const lock = path.join(app, '.svelte-kit', 'e2e-run.lock');
	mkdirSync(path.dirname(lock), { recursive: true });
	for (;;) {
		try {
			mkdirSync(lock);
			writeFileSync(path.join(lock, 'pid'), String(process.pid));
			return () => rmSync(lock, { recursive: true, force: true });
		} catch {
			// As tests/e2e/setup.ts: a dead owner's lock, or one left without an owner for 10 s, is taken over.
			let owner = 0;
			try {
				owner = Number(readFileSync(path.join(lock, 'pid'), 'utf8'));
				if (owner > 0) process.kill(owner, 0);
			} catch {
				if (owner > 0) rmSync(lock, { recursive: true, force: true });
			}
			const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
			if (owner === 0 && age > 10_000) rmSync(lock, { recursive: true, force: true });
			await new Promise((r) => setTimeout(r, 1000));
		}
	}
}

/**
 * A copy of a checkout's build under `tmp` to serve from, so that a browser test run rebuilding
 * build/ meanwhile cannot change the server under measurement: built (BENCH_BUILD=1 always,
 * BENCH_BUILD=0 never, by default when a source is newer than the build) and copied while holding
 * the browser tests' lock, the rest linked to the checkout. Returns the copy's folder.
 */
export async function servedBuild(tmp, app = root) {
	const unlock = await lockBuild(app);
	try {
		if (process.env.BENCH_BUILD === '1' || (process.env.BENCH_BUILD !== '0' && buildIsStale(app))) {
			execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: app, stdio: 'inherit' });
		}
		const served = path.join(tmp, 'app');
		mkdirSync(served);
		cpSync(path.join(app, 'build'), path.join(served, 'build'), { recursive: true });
		cpSync(path.join(app, 'scripts'), path.join(served, 'scripts'), { recursive: true });
		cpSync(path.join(app, 'package.json'), path.join(served, 'package.json'));
		for (const name of ['node_modules', 'src', 'drizzle', 'data', 'messages'])
			symlinkSync(path.join(app, name), path.join(served, name));
		return served;
	} finally {
		unlock();
	}
}
