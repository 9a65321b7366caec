import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { QueryOptions, Results } from '@electric-sql/pglite';
import { logger } from './logger.ts';

// PGlite runs PostgreSQL in the thread that calls it: on the server, the same thread that makes
// the pages, so the process used one core however many the machine had. Here it runs in a worker
// thread of its own (pglite-worker.ts), behind the part of PGlite's interface that Drizzle uses:
// `query` and `transaction`. The worker keeps PGlite's own rules: one transaction at a time, and
// a statement outside it waits until it has ended.

/** What the worker is started with. */
export interface ThreadStart {
	dataDir?: string;
	/** The files of another instance (`dumpDataDir`), to start from. */
	from?: ArrayBuffer;
	preparedStatements: number;
}

/** What the page thread asks of the database thread. */
type Ask =
	| {
			op: 'query';
			tx?: number;
			text: string;
			params?: unknown[];
			rowMode?: 'array' | 'object';
			/** Types the caller parses itself (Drizzle keeps dates as PostgreSQL wrote them). */
			asText: number[];
	  }
	| { op: 'begin' }
	| { op: 'end'; tx: number; commit: boolean }
	| { op: 'dump' }
	| { op: 'close' };

/** A request as it travels: answered once, by its id. */
export type ThreadRequest = Ask & { id: number };

/** A statement's answer as PGlite gives it. */
type Answer = Results<unknown>;

/**
 * Node runs the worker from the sources (as scripts/serve.js imports the settings), not from the
 * app's bundle: beside this file when it runs from the sources too, else from the app's folder
 * (where the migrations are read from).
 */
const workerFile = [
	path.join(path.dirname(fileURLToPath(import.meta.url)), 'pglite-worker.ts'),
	path.resolve('src/lib/server/kernel/pglite-worker.ts')
].find((file) => existsSync(file));

export class PgliteThread {
	#worker: Worker;
	#waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
	#made = 0;
	#stopped: Error | undefined;

	private constructor(worker: Worker) {
		this.#worker = worker;
		worker.on('message', (m: { id: number; result?: unknown; error?: Record<string, unknown> }) => {
			const waiting = this.#waiting.get(m.id);
			if (!waiting) return;
			this.#waiting.delete(m.id);
			if (!this.#waiting.size) worker.unref();
			if (m.error) waiting.reject(asError(m.error));
			else waiting.resolve(m.result);
		});
		worker.on('error', (error) => this.#stop(gone(`The database thread failed: ${error.message}`)));
		worker.on('exit', (code) => this.#stop(gone(`The database thread stopped (exit code ${code})`)));
		// Only a statement on its way keeps the process alive, as with PGlite in this thread.
		worker.unref();
	}

	/** Starts the thread and opens the database in it (`file`: another worker, for tests). */
	static open(start: ThreadStart, file = workerFile): Promise<PgliteThread> {
		if (!file) return Promise.reject(new Error('pglite-worker.ts is missing: run the app from its folder'));
		return new Promise((resolve, reject) => {
			const worker = new Worker(file, {
				workerData: start,
				transferList: start.from ? [start.from] : [],
				name: 'database'
			});
			const failed = (error: Error) => reject(error);
			const exited = (code: number) => reject(gone(`The database thread stopped (exit code ${code})`));
			worker.once('error', failed);
			worker.once('exit', exited);
			worker.once('message', () => {
				worker.off('error', failed);
				worker.off('exit', exited);
				resolve(new PgliteThread(worker));
			});
		});
	}

	#stop(error: Error) {
		if (this.#stopped) return;
		this.#stopped = error;
		logger.error({ err: error }, 'The database thread stopped');
		for (const { reject } of this.#waiting.values()) reject(error);
		this.#waiting.clear();
		this.#lost?.(error);
	}

	#lost: ((error: Error) => void) | undefined;
	/** Called once if the thread stops other than by `close`: the database will not come back. */
	whenLost(callback: (error: Error) => void): void {
		this.#lost = callback;
	}

	#ask<T>(request: Ask): Promise<T> {
		if (this.#stopped) return Promise.reject(this.#stopped);
		const id = ++this.#made;
		return new Promise<T>((resolve, reject) => {
			if (!this.#waiting.size) this.#worker.ref();
			this.#waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
			this.#worker.postMessage({ ...request, id });
		});
	}

	async #query<T>(
		text: string,
		params: unknown[] | undefined,
		options: QueryOptions | undefined,
		tx?: number
	) {
		const parsers = options?.parsers ?? {};
		const answer = await this.#ask<Answer>({
			op: 'query',
			tx,
			text,
			params,
			rowMode: options?.rowMode,
			asText: Object.keys(parsers).map(Number)
		});
		parseAsAsked(answer, parsers, options?.rowMode);
		return answer as Results<T>;
	}

	query<T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
		return this.#query<T>(text, params, options);
	}

	/** As PGlite's: `run` gets the transaction; it commits when `run` returns, rolls back when it throws. */
	async transaction<T>(run: (tx: { query: PgliteThread['query'] }) => Promise<T>): Promise<T> {
		const tx = await this.#ask<number>({ op: 'begin' });
		let result: T;
		try {
			result = await run({ query: (text, params, options) => this.#query(text, params, options, tx) });
		} catch (error) {
			await this.#ask({ op: 'end', tx, commit: false }).catch(() => {});
			throw error;
		}
		await this.#ask({ op: 'end', tx, commit: true });
		return result;
	}

	async dumpDataDir(): Promise<Blob> {
		return new Blob([await this.#ask<ArrayBuffer>({ op: 'dump' })]);
	}

	async close(): Promise<void> {
		if (this.#stopped) return;
		await this.#ask({ op: 'close' });
		this.#stopped = gone('The database is closed');
		await this.#worker.terminate();
	}
}

/**
 * The database cannot answer any more: PostgreSQL's "connection failure" (08006), which the app
 * answers with 503 (databaseUnavailable), as it does when PostgreSQL's connection is lost.
 */
function gone(message: string): Error {
	return Object.assign(new Error(message), { code: '08006' });
}

/** The worker's error as the app expects it: the message, PostgreSQL's code, constraint and detail. */
function asError(fields: Record<string, unknown>): Error {
	const error = new Error(String(fields.message));
	Object.assign(error, fields);
	return error;
}

/** The caller's parsers on the values the worker left as text. */
function parseAsAsked(answer: Answer, parsers: NonNullable<QueryOptions['parsers']>, rowMode?: string) {
	answer.fields.forEach((field, i) => {
		const parse = parsers[field.dataTypeID];
		if (!parse) return;
		const key = rowMode === 'array' ? i : field.name;
		for (const row of answer.rows as Record<string | number, unknown>[])
			if (row[key] !== null) row[key] = parse(row[key] as string);
	});
}
