import type { PGlite, Results } from '@electric-sql/pglite';
import type { PoolClient } from 'pg';

// Statements kept prepared, on both databases: each is parsed once per connection (PGlite: once
// per process) instead of on every run, and after five runs PostgreSQL may keep its plan too
// (a generic plan, where it costs no more than planning for each run's values). Up to
// DATABASE_PREPARED_STATEMENTS of them (0: none), the least recently run closed first; statements
// without parameters, and large ones (a bulk insert), stay unnamed.
// A statement whose kept plan no longer fits (another instance migrated a column's type: "cached
// plan must not change result type") runs unnamed from then on; outside a transaction it is tried
// again at once, as it failed before it ran.

const worthKeeping = (text: string, values: unknown[]) =>
	values.length > 0 && values.length <= 100 && text.length <= 10_000;
const noLongerFits = (error: unknown) => {
	const code = (error as { code?: string } | null)?.code;
	return code === '0A000' || code === '26000';
};

/** The statements kept on one connection by their text, the least recently run first. */
class KeptStatements<T extends { name: string }> {
	#kept = new Map<string, T>();
	#made = 0;
	#unfit = new Set<string>();
	#most: number;
	constructor(most: number) {
		this.#most = most;
	}
	/** The statement kept for this text, now the most recently run. */
	take(text: string): T | undefined {
		const kept = this.#kept.get(text);
		if (kept) {
			this.#kept.delete(text);
			this.#kept.set(text, kept);
		}
		return kept;
	}
	/** A new name, never used on this connection before (a closed one may not be closed yet). */
	name(): string {
		return `s${++this.#made}`;
	}
	/** Keeps one more; returns the one to close when that makes too many. */
	add(text: string, statement: T): T | undefined {
		this.#kept.set(text, statement);
		if (this.#kept.size <= this.#most) return undefined;
		const [oldest, closed] = this.#kept.entries().next().value!;
		this.#kept.delete(oldest);
		return closed;
	}
	/** No longer kept, and never again on this connection: its kept plan did not fit. */
	unfit(text: string): void {
		this.#kept.delete(text);
		this.#unfit.add(text);
	}
	fits(text: string): boolean {
		return !this.#unfit.has(text);
	}
}

/**
 * PostgreSQL: the site search's five statements besides the articles' match 3.9 → 1.6 ms of the
 * database's CPU, the inspiration list's one 0.7–1.0 → 0.4 ms.
 */
export function keepPlans(client: PoolClient, most: number): void {
	if (!most) return;
	const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
	// What pg itself remembers as parsed on this connection, by name.
	const parsed = (client as unknown as { connection?: { parsedStatements?: Record<string, string> } })
		.connection?.parsedStatements;
	const kept = new KeptStatements<{ name: string }>(most);
	client.query = ((config: unknown, values?: unknown, callback?: unknown) => {
		const text = (config as { text?: unknown } | null)?.text;
		if (
			typeof text !== 'string' ||
			(config as { name?: string }).name ||
			!Array.isArray(values) ||
			!worthKeeping(text, values) ||
			callback ||
			!kept.fits(text)
		)
			return query(config, values, callback);
		let statement = kept.take(text);
		if (!statement) {
			statement = { name: kept.name() };
			const closed = kept.add(text, statement);
			if (closed) {
				// Sent before the statement, on the same connection. Refused in a failed transaction:
				// the server then keeps it until the connection ends, under a name not used again.
				void query(`deallocate ${closed.name}`).catch(() => {});
				delete parsed?.[closed.name];
			}
		}
		const outside = client.getTransactionStatus() === 'I';
		return query({ ...(config as object), name: statement.name }, values).catch((error: unknown) => {
			if (!noLongerFits(error)) throw error;
			kept.unfit(text);
			if (!outside) throw error;
			return query(config, values);
		});
	}) as never;
}

type Message = { name: string; dataTypeIDs?: number[] };
interface Kept {
	name: string;
	/** The parameters' types, to write the values as PGlite's own query does. */
	types: number[];
	/** The statement's row description, given to the results' parser in place of a portal's. */
	described: Message[];
}

type Parsers = NonNullable<NonNullable<Parameters<PGlite['query']>[2]>['parsers']>;
const merged = new WeakMap<PGlite, WeakMap<Parsers, Parsers>>();

/**
 * The client's parsers with a caller's own over them, made once per caller's set: PGlite spreads
 * its 318 parsers into a new object for every statement given parsers of its own (Drizzle gives
 * them with every statement), 0.15 ms each, a tenth of the database thread's time in a search.
 * PGlite adds to its parsers only when it starts (array types), before any statement of ours.
 */
function withParsers(client: PGlite, parsers: Parsers): Parsers {
	let byCaller = merged.get(client);
	if (!byCaller) merged.set(client, (byCaller = new WeakMap()));
	let both = byCaller.get(parsers);
	if (!both) byCaller.set(parsers, (both = { ...client.parsers, ...parsers }));
	return both;
}

/** A statement asked of PGlite outside a transaction, as its `query` takes it. */
export interface Asked {
	text: string;
	params?: unknown[];
	options?: Parameters<PGlite['query']>[2];
}
/** Its answer, or why it failed. */
export type Outcome = { result: Results<unknown> } | { error: unknown };

/**
 * PGlite: the same for the statements run outside a transaction (the reads above all), through its
 * protocol API. Its own `query` parses, describes and plans every statement anew on every run, in
 * the one thread that also makes the pages. Returns `together`: statements asked at the same time
 * (by pages being made at once) run in one exchange, each with its own sync, so each is still a
 * transaction of its own and one's error does not touch the others.
 */
export async function keepPglitePlans(
	client: PGlite,
	most: number
): Promise<(asked: Asked[]) => Promise<Outcome[]>> {
	const query = client.query.bind(client);
	const one = (a: Asked): Promise<Outcome> =>
		query(a.text, a.params, a.options).then(
			(result) => ({ result }),
			(error: unknown) => ({ error })
		);
	if (!most) return (asked) => Promise.all(asked.map(one));
	const { protocol, parse } = await import('@electric-sql/pglite');
	const { serialize } = protocol;
	const kept = new KeptStatements<Kept>(most);
	const send = (message: Uint8Array) =>
		client.execProtocolStream(message, { syncToFs: false }) as Promise<Message[]>;
	const executeAndSync = Buffer.concat([serialize.execute({}), serialize.sync()]);
	const keeps = (a: Asked) =>
		a.params !== undefined && worthKeeping(a.text, a.params) && kept.fits(a.text) && !a.options?.blob;

	/**
	 * The statement kept for this text, parsed and described now if it is new; the one that makes
	 * too many goes on `closing`, closed once this exchange is done (it may be among its own).
	 */
	async function statementFor(text: string, options: Asked['options'], closing: string[]): Promise<Kept> {
		const statement = kept.take(text);
		if (statement) return statement;
		const name = kept.name();
		await send(serialize.parse({ name, text, types: options?.paramTypes }));
		const description = await send(serialize.describe({ type: 'S', name }));
		const made = {
			name,
			types: description.find((m) => m.name === 'parameterDescription')?.dataTypeIDs ?? [],
			described: description.filter((m) => m.name === 'rowDescription')
		};
		const closed = kept.add(text, made);
		if (closed) closing.push(closed.name);
		return made;
	}

	function bind(statement: Kept, { params = [], options }: Asked): Uint8Array {
		const types = statement.types;
		const values = params.map((value, i) => {
			if (value === null || value === undefined) return null;
			const write = options?.serializers?.[types[i]!] ?? client.serializers[types[i]!];
			return write ? write(value) : String(value);
		});
		return serialize.bind({ statement: statement.name, values });
	}

	function results(messages: Message[], { options }: Asked): Results<unknown> {
		const parsers = options?.parsers;
		if (!parsers) return parse.parseResults(messages as never, client.parsers, options)[0]!;
		return parse.parseResults(messages as never, withParsers(client, parsers) as typeof client.parsers, {
			...options,
			parsers: undefined
		})[0]!;
	}

	/** Kept statements, in one exchange. */
	async function run(asked: Asked[]): Promise<Outcome[]> {
		await client._checkReady();
		return client._runExclusiveTransaction(() =>
			client._runExclusiveQuery(async () => {
				const outcomes: Outcome[] = [];
				const bound: { at: number; described: Message[] }[] = [];
				const messages: Uint8Array[] = [];
				const closing: string[] = [];
				for (const [at, a] of asked.entries()) {
					try {
						const statement = await statementFor(a.text, a.options, closing);
						messages.push(bind(statement, a), executeAndSync);
						bound.push({ at, described: statement.described });
					} catch (error) {
						await send(serialize.sync());
						outcomes[at] = { error };
					}
				}
				// Bind, execute and sync of every statement in one exchange: each call into
				// PostgreSQL's loop costs on its own (one exchange per statement instead of three:
				// a site search's six, 4.62 → 4.27 ms; then every statement asked at once in one:
				// the search page under load, 6.26 → 5.45 ms of CPU a request), and after an error
				// PostgreSQL itself skips to that statement's sync.
				const answered = messages.length
					? ((await client.execProtocolStream(Buffer.concat(messages), {
							syncToFs: false,
							throwOnError: false
						})) as Message[])
					: [];
				for (const name of closing) await send(serialize.close({ type: 'S', name }));
				await client.syncToFs();
				let from = 0;
				let next = 0;
				for (const [i, message] of answered.entries()) {
					if (message.name !== 'readyForQuery') continue;
					const { at, described } = bound[next++]!;
					const own = answered.slice(from, i);
					from = i + 1;
					const error = own.find((m) => m.name === 'error');
					outcomes[at] = error ? { error } : { result: results([...described, ...own], asked[at]!) };
				}
				for (const { at } of bound.slice(next))
					outcomes[at] = { error: new Error('The database did not answer') };
				return outcomes;
			})
		);
	}

	/** A kept plan that no longer fits is not kept again; the statement runs as PGlite's own. */
	const refit = (a: Asked, outcome: Outcome): Outcome | Promise<Outcome> => {
		if (!('error' in outcome) || !noLongerFits(outcome.error)) return outcome;
		kept.unfit(a.text);
		return one(a);
	};

	async function together(asked: Asked[]): Promise<Outcome[]> {
		const keptAt = asked.flatMap((a, at) => (keeps(a) ? [at] : []));
		const ran = keptAt.length ? await run(keptAt.map((at) => asked[at]!)) : [];
		const outcomes: (Outcome | Promise<Outcome>)[] = [];
		keptAt.forEach((at, i) => (outcomes[at] = refit(asked[at]!, ran[i]!)));
		asked.forEach((a, at) => (outcomes[at] ??= one(a)));
		return Promise.all(outcomes);
	}

	client.query = (async (text: string, params?: unknown[], options?: Asked['options']) => {
		const [outcome] = await together([{ text, params, options }]);
		if ('error' in outcome!) throw outcome.error;
		return outcome!.result;
	}) as PGlite['query'];
	return together;
}
