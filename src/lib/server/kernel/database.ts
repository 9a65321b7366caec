import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { config } from './config.ts';
import { logger } from './logger.ts';

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
		const pool = new pg.Pool({
			connectionString: options.url,
			max: config().databasePoolSize,
			keepAlive: true,
			// A database that is gone or stuck answers with an error in seconds, never a hang.
			connectionTimeoutMillis: config().databaseTimeouts.connectMs,
			statement_timeout: config().databaseTimeouts.statementMs,
			query_timeout: config().databaseTimeouts.statementMs + 1000
		});
		// An idle connection that the server or the network drops emits here; unhandled, it would
		// end the process. The pool replaces the connection on the next query.
		pool.on('error', (error) => logger.warn({ err: error }, 'A database connection was lost'));
		const db = drizzle(pool) as unknown as Database;
		try {
			// Instances that start together wait here while the first migrates and seeds. The lock
			// has a connection of its own, outside the pool.
			const lock = new pg.Client({
				connectionString: options.url,
				connectionTimeoutMillis: config().databaseTimeouts.connectMs
			});
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
			await pool.end();
			throw error;
		}
		return { db, kind: 'postgres', close: () => pool.end() };
	}

	const { PGlite } = await import('@electric-sql/pglite');
	const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
	const { drizzle } = await import('drizzle-orm/pglite');
	const { migrate } = await import('drizzle-orm/pglite/migrator');
	const release = options.dataDir ? lockFolder(options.dataDir) : () => {};
	try {
		const client = await PGlite.create({
			dataDir: options.dataDir,
			loadDataDir: options.from,
			extensions: { pg_trgm }
		});
		const db = drizzle(client);
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
			dump: () => client.dumpDataDir('none')
		};
	} catch (error) {
		release();
		throw error;
	}
}

/**
 * PGlite has no lock of its own: two processes on one folder can lose committed rows.
 * A lock file with our pid refuses a second opener while the first is alive.
 */
function lockFolder(dataDir: string): () => void {
	mkdirSync(dataDir, { recursive: true });
	const lock = path.join(path.dirname(path.resolve(dataDir)), `${path.basename(dataDir)}.lock`);
	if (existsSync(lock)) {
		const pid = Number(readFileSync(lock, 'utf8'));
		if (pid && pid !== process.pid && isAlive(pid)) {
			throw new Error(
				`The database folder ${dataDir} is in use by process ${pid}. Stop it first, or use DATABASE_URL.`
			);
		}
	}
	writeFileSync(lock, String(process.pid));
	return () => rmSync(lock, { force: true });
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

// Node's network errors, PostgreSQL's connection exceptions (class 08), shutdowns (57P01–57P03),
// a statement cancelled by its timeout (57014) and too many connections (53300).
const unavailableCodes =
	/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|EAI_AGAIN|08\w{3}|57P0[123]|57014|53300)$/;
const unavailableMessages =
	/timeout exceeded when trying to connect|timeout expired|Connection terminated|Query read timeout|connection timeout/i;

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
