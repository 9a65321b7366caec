import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * Real server processes for the tests that are about processes: several instances on one
 * database, restarts, signals, faults. Each runs the production build through scripts/serve.js,
 * as an operator would (build first: tests/e2e/setup.ts does). bench/ starts its servers here too
 * (so nothing here may import vitest).
 */

export const root = path.resolve(import.meta.dirname, '../..');

/** One secret for every instance this test file starts: a session made on one is valid on all. */
export const instanceSecret = randomBytes(32).toString('hex');

/** A port nobody listens on just now (the OS picks it). */
export async function freePort(): Promise<number> {
	const s = net.createServer();
	await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
	const { port } = s.address() as net.AddressInfo;
	await new Promise((r) => s.close(r));
	return port;
}

export interface Instance {
	port: number;
	/** http://127.0.0.1:<port> (the instance itself, whatever ORIGIN says). */
	url: string;
	child: ChildProcess;
	pid: number;
	/** Sends the signal and waits for the exit: the exit code, or null when a signal ended it. */
	stop(signal?: NodeJS.Signals): Promise<number | null>;
	/** Everything the process wrote to stdout and stderr so far. */
	log(): string;
}

export interface InstanceOptions {
	/** How long to wait for /readyz to answer 200 (a first start migrates and seeds). */
	readyTimeoutMs?: number;
	/** Return once the process is started, without waiting for /readyz. */
	waitReady?: boolean;
	/** A port of your own (default: a free one). */
	port?: number;
	/** The checkout to run scripts/serve.js from (default: this one; the bench serves a copy). */
	cwd?: string;
	/** Also write the process's output to this one's (the bench shows the server's warnings). */
	echo?: boolean;
}

/**
 * Starts `node scripts/serve.js` with LOG_LEVEL=warn, HOST=127.0.0.1, a free PORT, ORIGIN set to
 * its own address and, unless `env` names them, its own temporary data, media and outbox folders,
 * no SMTP, WEB_CONCURRENCY=1, PGlite (DATABASE_URL empty) and a secret shared by all instances of
 * this test file. Resolves when /readyz answers
 * 200; rejects with the process's output when it exits or the time runs out.
 */
export async function startInstance(
	env: Record<string, string> = {},
	options: InstanceOptions = {}
): Promise<Instance> {
	// A free port is free when asked, not always when the instance binds it: another test file's
	// process may take it between the two. Then a new port, a few times.
	const chosen = options.port !== undefined || env.PORT !== undefined;
	for (let attempt = 1; ; attempt++) {
		try {
			return await startOnce(env, options);
		} catch (e) {
			if (chosen || attempt >= 3 || !(e instanceof PortTaken)) throw e;
		}
	}
}

/** The instance could not listen: its port was taken meanwhile. */
class PortTaken extends Error {}

async function startOnce(env: Record<string, string>, options: InstanceOptions): Promise<Instance> {
	const port = options.port ?? (env.PORT ? Number(env.PORT) : await freePort());
	const url = `http://127.0.0.1:${port}`;
	const dir = mkdtempSync(path.join(tmpdir(), 'partnerskap-instance-'));
	const output: Buffer[] = [];
	const child = spawn(process.execPath, ['scripts/serve.js'], {
		cwd: options.cwd ?? root,
		env: {
			...process.env,
			DATABASE_URL: '',
			DATA_DIR: path.join(dir, 'db'),
			MEDIA_DIR: path.join(dir, 'media'),
			OUTBOX_DIR: path.join(dir, 'outbox'),
			AUTH_SECRET_FILE: path.join(dir, 'auth-secret'),
			BETTER_AUTH_SECRET: instanceSecret,
			SMTP_URL: '',
			// One process per instance unless a test is about WEB_CONCURRENCY: two cores here.
			WEB_CONCURRENCY: '1',
			LOG_LEVEL: 'warn',
			HOST: '127.0.0.1',
			ORIGIN: url,
			...env,
			PORT: String(port)
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout!.on('data', (c: Buffer) => {
		output.push(c);
		if (options.echo) process.stdout.write(c);
	});
	child.stderr!.on('data', (c: Buffer) => {
		output.push(c);
		if (options.echo) process.stderr.write(c);
	});
	const log = () => Buffer.concat(output).toString('utf8');
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	let cleaned = false;
	const cleanUp = () => {
		if (cleaned) return;
		cleaned = true;
		rmSync(dir, { recursive: true, force: true });
	};
	void exited.then(cleanUp);

	const instance: Instance = {
		port,
		url,
		child,
		pid: child.pid!,
		log,
		async stop(signal: NodeJS.Signals = 'SIGTERM') {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal);
			const code = await exited;
			cleanUp();
			return code;
		}
	};
	if (options.waitReady === false) return instance;

	const timeout = options.readyTimeoutMs ?? 120_000;
	const deadline = Date.now() + timeout;
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null) {
			const message = `The instance on port ${port} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${log()}`;
			throw log().includes('EADDRINUSE') ? new PortTaken(message) : new Error(message);
		}
		const status = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) }).then(
			(r) => r.status,
			() => 0
		);
		if (status === 200) return instance;
		if (Date.now() > deadline) {
			await instance.stop('SIGKILL');
			throw new Error(`The instance on port ${port} was not ready within ${timeout} ms:\n${log()}`);
		}
		await new Promise((r) => setTimeout(r, 200));
	}
}

/** Starts n instances at once (all started together, as a deployment would); resolves when all are ready. */
export async function startInstances(
	n: number,
	env: Record<string, string> = {},
	options: InstanceOptions = {}
): Promise<Instance[]> {
	const settled = await Promise.allSettled(Array.from({ length: n }, () => startInstance(env, options)));
	const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
	const failed = settled.find((s) => s.status === 'rejected');
	if (failed) {
		await Promise.all(started.map((i) => i.stop('SIGKILL')));
		throw (failed as PromiseRejectedResult).reason;
	}
	return started;
}

export interface FreshPostgres {
	/** postgres://… of the new, empty database. */
	url: string;
	name: string;
	/** Drops it (ends any session still on it). */
	drop(): Promise<void>;
}

/** A new, empty, uniquely named database on the server of `admin` (default: TEST_DATABASE_URL). */
export async function freshPostgres(
	prefix = 'e2e',
	admin = process.env.TEST_DATABASE_URL
): Promise<FreshPostgres> {
	if (!admin) throw new Error('freshPostgres needs TEST_DATABASE_URL');
	const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
	const run = async (sql: string) => {
		const client = new pg.Client({ connectionString: admin });
		await client.connect();
		try {
			await client.query(sql);
		} finally {
			await client.end();
		}
	};
	await run(`create database ${name}`);
	const url = new URL(admin);
	url.pathname = `/${name}`;
	return { url: url.toString(), name, drop: () => run(`drop database if exists ${name} with (force)`) };
}
