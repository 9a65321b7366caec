import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { config } from './config.ts';
import { logger } from './logger.ts';
import { keepPlans } from './prepared.ts';
import { PgliteThread } from './pglite-thread.ts';

/**
 * The one database type every module uses, whichever driver is behind it. Reads are written with
 * the query builder over each module's tables (no relational `db.query`), so it needs no schema.
 */
export type Database = PgDatabase<PgQueryResultHKT>;

/** The handle inside `db.transaction(tx => …)`: writes that must go together take this. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

export interface DatabaseHandle {
	db: Database;
	kind: 'pglite' | 'postgres';
	close(): Promise<void>;
	/** PGlite only: its files, to start another instance from (tests prepare one and copy it). */
	dump?(): Promise<Blob>;
	/** PostgreSQL only: the pool's connections, for /metrics. */
	poolStats?(): { total: number; idle: number; waiting: number };
}

export interface OpenOptions {
	/** postgres://… uses PostgreSQL; otherwise PGlite. */
	url?: string;
	/** PGlite data folder; omitted means in memory (tests). */
	dataDir?: string;
	/** Where the committed migrations are. */
	migrationsFolder?: string;
	/** PGlite in memory, started from a copy of another instance's files (`dump()`): no initdb. */
	from?: Blob;
	/**
	 * Runs after the migrations, still under the start-up lock: reference and demo data are
	 * written by exactly one of several instances starting together.
	 */
	prepare?: (db: Database) => Promise<void>;
}

// Any fixed number, the same in every instance: pg_advisory_lock's key for "migrating".
const startUpLock = 7_340_201;

/** Opens PostgreSQL or PGlite and brings the schema up to date. */
export async function openDatabase(options: OpenOptions = {}): Promise<DatabaseHandle> {
	const migrationsFolder = options.migrationsFolder ?? config().migrationsDir;
	if (options.url) {
		const { default: pg } = await import('pg');
		const { drizzle } = await import('drizzle-orm/node-postgres');
		const { migrate } = await import('drizzle-orm/node-postgres/migrator');
		const prepared = config().databasePreparedStatements;
		const pool = new pg.Pool({
			// Just-in-time compilation costs 17–32 ms on the dashboard's large statements and never pays off for short web queries.
			options: '-c jit=off',
			connectionString: options.url,
			max: config().databasePoolSize,
			// A new connection's first text search loads the language's dictionary and fills the
			// session's caches: 50 ms instead of 4. The pool hands out the connection freed last, so
			// with pg's 10 s default the ones below it closed and came back cold in every burst of
			// parallel reads (the site search asks five at once): the slow tail of its requests.
			idleTimeoutMillis: 5 * 60_000,
			keepAlive: true,
			// A database that is gone or stuck answers with an error in seconds, never a hang.
			connectionTimeoutMillis: config().databaseTimeouts.connectMs,
			statement_timeout: config().databaseTimeouts.statementMs,
			query_timeout: config().databaseTimeouts.statementMs + 1000
		});
		// An idle connection that the server or the network drops emits here; unhandled, it would
		// end the process. The pool replaces the connection on the next query.
		pool.on('error', (error) => logger.warn({ err: error }, 'A database connection was lost'));
		// The pool listens only while a connection is idle. One in use whose socket then breaks (the
		// server ended the session during a statement, and the reset follows) emits on the
		// connection itself, after its statement has failed: unheard, that too would end the process
		// (seen with the site search's parallel reads). The failed statement carries the error.
		pool.on('connect', (client) => {
			client.on('error', (error) => logger.debug({ err: error }, 'A database connection in use broke'));
			keepPlans(client, prepared);
		});
		const lanes = pipelines(pg, options.url, prepared);
		const watch = watchForSilence(pg, pool, options.url, lanes);
		retryWhereSafe(pool, watch, lanes);
		const db = drizzle(pool) as unknown as Database;
		try {
			// Instances that start together wait here while the first migrates and seeds. The lock
			// has a connection of its own, outside the pool.
			const lock = new pg.Client({
				connectionString: options.url,
				connectionTimeoutMillis: config().databaseTimeouts.connectMs
			});
			lock.on('error', (error) => logger.warn({ err: error }, 'The start-up connection was lost'));
			await lock.connect();
			try {
				await lock.query('select pg_advisory_lock($1)', [startUpLock]);
				// Migrations and seeding run on the lock's connection, without the pool's statement
				// timeout: building an index on a large table may take longer than a request may.
				const once = drizzle(lock) as unknown as Database;
				await migrate(once as never, { migrationsFolder });
				await options.prepare?.(once);
			} finally {
				// Ending the session also releases its lock.
				await lock.end().catch(() => {});
			}
		} catch (error) {
			watch.stop();
			await lanes.close();
			await pool.end();
			throw error;
		}
		return {
			db,
			kind: 'postgres',
			close: async () => {
				watch.stop();
				await lanes.close();
				return pool.end();
			},
			// The pipelined connections count with the pool's: open ones, idle when nothing waits on them.
			poolStats: () => {
				const { open, idle } = lanes.count();
				return { total: pool.totalCount + open, idle: pool.idleCount + idle, waiting: pool.waitingCount };
			}
		};
	}

	const { drizzle } = await import('drizzle-orm/pglite');
	const { migrate } = await import('drizzle-orm/pglite/migrator');
	const release = options.dataDir ? lockFolder(options.dataDir) : () => {};
	try {
		// In a thread of its own: the statements run beside the pages (pglite-thread.ts).
		const client = await PgliteThread.open({
			dataDir: options.dataDir,
			from: await options.from?.arrayBuffer(),
			preparedStatements: config().databasePreparedStatements
		});
		// Unlike a lost PostgreSQL connection, a stopped thread does not come back: the process ends
		// (code 1), and its supervisor starts it again.
		client.whenLost(() => {
			logger.fatal('The database thread stopped: the process ends so that it can be started again');
			process.exit(1);
		});
		const db = drizzle({ client: client as never });
		try {
			await migrate(db, { migrationsFolder });
			await options.prepare?.(db as unknown as Database);
		} catch (error) {
			await client.close();
			throw error;
		}
		return {
			db: db as unknown as Database,
			kind: 'pglite',
			close: async () => {
				await client.close();
				release();
			},
			dump: () => client.dumpDataDir()
		};
	} catch (error) {
		release();
		throw error;
	}
}

/**
 * PGlite has no lock of its own: two processes on one folder can lose committed rows.
 * A lock file names our pid and when the process started: a second opener is refused while that
 * process is alive. A pid alive but started at another time is another program that was given
 * the number after ours ended (a reboot, a container restart), so its lock is stale.
 */
function lockFolder(dataDir: string): () => void {
	mkdirSync(dataDir, { recursive: true });
	const lock = path.join(path.dirname(path.resolve(dataDir)), `${path.basename(dataDir)}.lock`);
	if (existsSync(lock)) {
		const holder = readLock(readFileSync(lock, 'utf8'));
		if (holder && holder.pid !== process.pid && isAlive(holder.pid)) {
			const started = startTime(holder.pid);
			// Without a recorded or readable start time (no /proc, an older lock), the pid decides.
			if (holder.start === undefined || started === undefined || started === holder.start) {
				throw new Error(
					`The database folder ${dataDir} is in use by process ${holder.pid}. Stop it first, or use DATABASE_URL.`
				);
			}
			logger.warn(
				{ pid: holder.pid },
				'A stale database lock names a process id now used by another program'
			);
		}
	}
	writeFileSync(lock, JSON.stringify({ pid: process.pid, start: startTime(process.pid) }));
	return () => rmSync(lock, { force: true });
}

/** The lock's holder: `{"pid":…,"start":"…"}`, or a bare pid as earlier versions wrote it. */
function readLock(text: string): { pid: number; start?: string } | undefined {
	try {
		const parsed = JSON.parse(text) as unknown;
		if (typeof parsed === 'number') return parsed > 0 ? { pid: parsed } : undefined;
		const { pid, start } = parsed as { pid?: unknown; start?: unknown };
		if (typeof pid !== 'number' || pid <= 0) return undefined;
		return { pid, start: typeof start === 'string' ? start : undefined };
	} catch {
		return undefined;
	}
}

/**
 * When a process started, in clock ticks since boot (field 22 of /proc/<pid>/stat, Linux);
 * undefined where there is no /proc. The name in field 2 may hold spaces and parentheses, so the
 * fields are counted from its closing parenthesis.
 */
export function startTime(pid: number): string | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
	} catch {
		return undefined;
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: alive, but another user's.
		return (error as { code?: string }).code === 'EPERM';
	}
}

/**
 * Tries a statement again once where that cannot do harm: any statement whose connection could
 * not be had (nothing was sent), and a read outside a transaction whose connection dropped (a
 * restart, failover or administrator ended it). Writes that may have reached the server are not
 * repeated. A timeout is not tried again: the wait would double.
 */
function retryWhereSafe(pool: import('pg').Pool, watch: SilenceWatch, lanes: Lanes): void {
	const connect = pool.connect.bind(pool);
	const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
	const connectOnce = async () => {
		watch.check();
		try {
			return await connect();
		} catch (error) {
			if (!worthRetrying(error)) throw error;
			logger.debug({ err: error }, 'No database connection; trying once more');
			return connect();
		}
	};
	// Transactions (drizzle's `db.transaction`) take their connection here.
	pool.connect = ((callback?: unknown) => {
		if (typeof callback !== 'function') return connectOnce();
		watch.check();
		return connect(callback as never);
	}) as typeof pool.connect;
	// Statements outside a transaction come here, and go on the pipelined connections.
	pool.query = (async (config: string | { text: string }, values?: unknown, callback?: unknown) => {
		if (typeof values === 'function' || typeof callback === 'function')
			return query(config, values, callback);
		const read = isRead(typeof config === 'string' ? config : config.text);
		for (let attempt = 1; ; attempt++) {
			watch.check();
			try {
				return await lanes.query(config, values);
			} catch (error) {
				const unsent = (error as { unsent?: boolean }).unsent;
				if (attempt > 1 || !(read || unsent) || !worthRetrying(error)) throw error;
				logger.debug({ err: error }, 'A statement lost its database connection; trying once more');
			}
		}
	}) as never;
}

/** The connections that pipeline: statements outside a transaction. */
interface Lanes {
	query(config: unknown, values: unknown): Promise<unknown>;
	/** When each statement still waiting for its answer was sent (ms since the epoch). */
	sent(): number[];
	/** Connections open, and those of them with no statement waiting. */
	count(): { open: number; idle: number };
	/** Closes the sockets at once: their statements fail (the database is silent). */
	drop(): void;
	close(): Promise<void>;
}

/**
 * Statements outside a transaction (the reads above all) go to PostgreSQL on two connections of
 * their own that pipeline (pg's `pipeline: true`): the statements a page asks at once are written
 * together and answered in order, instead of each taking a pooled connection and a round trip of
 * its own. Each still has its own sync: its own transaction and its own error. The one with fewer
 * statements waiting is chosen, so one slow statement holds up less of the rest (but a lane runs
 * its statements one after another: a slow one delays those queued behind it). Transactions keep
 * the pool. The site search on PostgreSQL (two workers, 10 connections, alternating A/B, 6 rounds
 * of 5 s): 305 → 360 requests/s, p99 83.5 → 71 ms, CPU 6.09 → 5.10 ms a request.
 */
function pipelines(pg: typeof import('pg').default, url: string, prepared: number, count = 2): Lanes {
	type Lane = {
		client?: import('pg').Client;
		ready?: Promise<import('pg').Client>;
		waiting: Map<number, number>;
	};
	const lanes: Lane[] = Array.from({ length: count }, () => ({ waiting: new Map() }));
	let made = 0;
	const open = (lane: Lane) => {
		const client = new pg.Client({
			connectionString: url,
			options: '-c jit=off',
			keepAlive: true,
			pipeline: true,
			connectionTimeoutMillis: config().databaseTimeouts.connectMs,
			statement_timeout: config().databaseTimeouts.statementMs,
			query_timeout: config().databaseTimeouts.statementMs + 1000
		} as ConstructorParameters<typeof pg.Client>[0]);
		const gone = (error?: Error) => {
			if (lane.client !== client) return;
			lane.client = undefined;
			lane.ready = undefined;
			if (error) logger.warn({ err: error }, 'A database connection was lost');
		};
		client.on('error', gone);
		client.on('end', () => gone());
		lane.client = client;
		lane.ready = client.connect().then(
			() => {
				keepPlans(client as unknown as import('pg').PoolClient, prepared);
				return client;
			},
			(error: unknown) => {
				gone();
				throw error;
			}
		);
		return lane.ready;
	};
	const socket = (client: import('pg').Client) =>
		(client as unknown as { connection: { stream: import('node:net').Socket } }).connection.stream;
	return {
		async query(config, values) {
			const lane = lanes.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
			const id = ++made;
			lane.waiting.set(id, Date.now());
			try {
				let client: import('pg').Client;
				try {
					client = await (lane.ready ?? open(lane));
				} catch (error) {
					// Nothing was sent: any statement may be tried again.
					throw Object.assign(error as Error, { unsent: true });
				}
				return await client.query(config as never, values as never).catch((error: unknown) => {
					// A connection that failed as a connection (the server ended it, the network
					// reset it) is not used again, as the pool discards one: the next statement, or
					// this one tried again, opens a new one.
					const broken = !(client as unknown as { _queryable?: boolean })._queryable || worthRetrying(error);
					if (broken && lane.client === client) {
						lane.client = undefined;
						lane.ready = undefined;
						socket(client).destroy();
					}
					throw error;
				});
			} finally {
				lane.waiting.delete(id);
			}
		},
		sent: () => lanes.flatMap((lane) => [...lane.waiting.values()]),
		count() {
			const open = lanes.filter((lane) => lane.client);
			return { open: open.length, idle: open.filter((lane) => !lane.waiting.size).length };
		},
		drop() {
			for (const lane of lanes) if (lane.client) socket(lane.client).destroy();
		},
		async close() {
			await Promise.all(lanes.map((lane) => lane.client?.end().catch(() => {})));
		}
	};
}

interface SilenceWatch {
	/** Throws at once while the database is known not to answer. */
	check(): void;
	stop(): void;
}

const silent = 'The database is not answering';

/**
 * A database that stops answering without closing its connections (a frozen host, a network that
 * drops packets) would hold every request that has a connection until the statement timeout, and
 * make every other wait for one. When a connection has been in use for `silenceMs`, the watch asks
 * the database `select 1` on a connection of its own; no answer within `silenceMs`, and it drops
 * every pooled connection (their statements fail: the requests answer 503) and refuses new ones
 * at once (503 without waiting) until the question, asked again every half `silenceMs`, is
 * answered. A slow statement on a database that answers costs one short question as often.
 */
function watchForSilence(
	pg: typeof import('pg').default,
	pool: import('pg').Pool,
	url: string,
	lanes: Lanes
): SilenceWatch {
	const ms = config().databaseTimeouts.silenceMs;
	const clients = new Set<import('pg').PoolClient>();
	const inUseSince = new Map<import('pg').PoolClient, number>();
	pool.on('connect', (c) => clients.add(c));
	pool.on('remove', (c) => {
		clients.delete(c);
		inUseSince.delete(c);
	});
	pool.on('acquire', (c) => inUseSince.set(c, Date.now()));
	pool.on('release', (_e, c) => inUseSince.delete(c));
	let down = false;
	let asking = false;

	const answers = async () => {
		const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: ms, query_timeout: ms });
		probe.on('error', () => {});
		try {
			await probe.connect();
			await probe.query('select 1');
			return true;
		} catch (error) {
			// Only no answer in time is silence: a refusal ("too many connections", a password) is
			// an answer, and dropping every connection for it would make an outage of a busy hour.
			return !timedOut(error);
		} finally {
			// A silent server would never confirm the goodbye: the socket is closed, not ended.
			(probe as unknown as { connection: { stream: import('node:net').Socket } }).connection.stream.destroy();
		}
	};

	const tick = async () => {
		if (asking) return;
		const stuck = [...inUseSince.values(), ...lanes.sent()].some((since) => Date.now() - since >= ms);
		if (!down && !stuck) return;
		asking = true;
		try {
			const ok = await answers();
			if (ok && down) logger.warn('The database answers again');
			if (!ok && !down) {
				logger.warn({ connections: clients.size }, `${silent}: dropping its connections`);
				for (const c of clients)
					(c as unknown as { connection: { stream: import('node:net').Socket } }).connection.stream.destroy();
				lanes.drop();
			}
			down = !ok;
		} finally {
			asking = false;
		}
	};
	const timer = setInterval(() => void tick(), Math.max(100, Math.floor(ms / 2)));
	timer.unref();
	return {
		check() {
			if (down) throw new Error(silent);
		},
		stop: () => clearInterval(timer)
	};
}

const isRead = (text: string) => /^\s*(select|show)\b/i.test(text);
const timedOut = (error: unknown) =>
	error instanceof Error &&
	((error as { code?: unknown }).code === '57014' || /timeout/i.test(error.message));
const worthRetrying = (error: unknown) => databaseUnavailable(error) && !timedOut(error);

// Node's network errors, PostgreSQL's connection exceptions (class 08), shutdowns (57P01–57P03),
// a statement cancelled by its timeout (57014) and too many connections (53300).
const unavailableCodes =
	/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|EAI_AGAIN|08\w{3}|57P0[123]|57014|53300)$/;
const unavailableMessages =
	/The database is not answering|timeout exceeded when trying to connect|timeout expired|Connection terminated|Query read timeout|connection timeout/i;

/**
 * Whether an error means the database is gone or not answering in time (the request may be tried
 * again later: 503), rather than a fault in the request or the code. Drizzle wraps the driver's
 * error, so the causes are followed.
 */
export function databaseUnavailable(error: unknown): boolean {
	for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string' && unavailableCodes.test(code)) return true;
		if (unavailableMessages.test(e.message)) return true;
	}
	return false;
}
