import type { PGlite } from '@electric-sql/pglite';
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

/**
 * PGlite: the same for the statements run outside a transaction (the reads above all), through its
 * protocol API. Its own `query` parses, describes and plans every statement anew on every run, in
 * the one thread that also makes the pages.
 */
export async function keepPglitePlans(client: PGlite, most: number): Promise<void> {
	if (!most) return;
	const { protocol, parse } = await import('@electric-sql/pglite');
	const { serialize } = protocol;
	const query = client.query.bind(client);
	const kept = new KeptStatements<Kept>(most);
	const send = (message: Uint8Array) => client.execProtocolStream(message, { syncToFs: false });

	async function run(text: string, params: unknown[], options?: Parameters<PGlite['query']>[2]) {
		await client._checkReady();
		return client._runExclusiveTransaction(() =>
			client._runExclusiveQuery(async () => {
				let bound: Uint8Array;
				let described: Message[];
				try {
					let statement = kept.take(text);
					if (!statement) {
						const name = kept.name();
						await send(serialize.parse({ name, text, types: options?.paramTypes }));
						const description = (await send(serialize.describe({ type: 'S', name }))) as Message[];
						statement = {
							name,
							types: description.find((m) => m.name === 'parameterDescription')?.dataTypeIDs ?? [],
							described: description.filter((m) => m.name === 'rowDescription')
						};
						const closed = kept.add(text, statement);
						if (closed) await send(serialize.close({ type: 'S', name: closed.name }));
					}
					const types = statement.types;
					const values = params.map((value, i) => {
						if (value === null || value === undefined) return null;
						const write = options?.serializers?.[types[i]!] ?? client.serializers[types[i]!];
						return write ? write(value) : String(value);
					});
					bound = serialize.bind({ statement: statement.name, values });
					described = statement.described;
				} catch (error) {
					await send(serialize.sync());
					throw error;
				}
				// Bind, execute and sync in one exchange, not three: each call into PostgreSQL's loop
				// costs on its own (a site search's six statements on PGlite, median of eight runs of
				// 200: 4.62 → 4.27 ms), and after an error PostgreSQL itself skips to the sync.
				const messages = [
					...described,
					...((await send(Buffer.concat([bound, serialize.execute({}), serialize.sync()]))) as Message[])
				];
				await client.syncToFs();
				const parsers = options?.parsers;
				if (!parsers) return parse.parseResults(messages as never, client.parsers, options)[0]!;
				return parse.parseResults(messages as never, withParsers(client, parsers) as typeof client.parsers, {
					...options,
					parsers: undefined
				})[0]!;
			})
		);
	}

	client.query = (async (text: string, params?: unknown[], options?: Parameters<PGlite['query']>[2]) => {
		if (!params || !worthKeeping(text, params) || !kept.fits(text) || options?.blob)
			return query(text, params, options);
		try {
			return await run(text, params, options);
		} catch (error) {
			if (!noLongerFits(error)) throw error;
			kept.unfit(text);
			return query(text, params, options);
		}
	}) as PGlite['query'];
}
