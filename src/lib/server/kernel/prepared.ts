import { createHash } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import type { PoolClient } from 'pg';

// Statements kept prepared, on both databases: each is parsed once per connection (PGlite: once
// per process) instead of on every run, and after five runs PostgreSQL may keep its plan too
// (a generic plan, where it costs no more than planning for each run's values). Up to
// DATABASE_PREPARED_STATEMENTS of them (0: none); statements without parameters stay unnamed.
// A statement whose kept plan no longer fits (another instance migrated a column's type: "cached
// plan must not change result type") runs unnamed from then on; outside a transaction it is tried
// again at once, as it failed before it ran.

const statementName = (text: string) =>
	`s${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;
const noLongerFits = (error: unknown) => {
	const code = (error as { code?: string } | null)?.code;
	return code === '0A000' || code === '26000';
};

/** PostgreSQL: the search's six statements 3.9 → 1.6 ms of the database's CPU, the list's 0.7–1.0 → 0.4. */
export function keepPlans(client: PoolClient, most: number): void {
	if (!most) return;
	const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
	const names = new Map<string, string>();
	const unfit = new Set<string>();
	client.query = ((config: unknown, values?: unknown, callback?: unknown) => {
		const text = (config as { text?: unknown } | null)?.text;
		if (
			typeof text !== 'string' ||
			(config as { name?: string }).name ||
			!Array.isArray(values) ||
			!values.length ||
			callback ||
			unfit.has(text)
		)
			return query(config, values, callback);
		let name = names.get(text);
		if (!name) {
			if (names.size >= most) return query(config, values);
			names.set(text, (name = statementName(text)));
		}
		const outside = client.getTransactionStatus() === 'I';
		return query({ ...(config as object), name }, values).catch((error: unknown) => {
			if (!noLongerFits(error)) throw error;
			unfit.add(text);
			names.delete(text);
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

/**
 * PGlite: the same for the statements outside transactions (the reads), through its protocol API.
 * Its own `query` parses, describes and plans every statement anew on every run, in one thread.
 */
export async function keepPglitePlans(client: PGlite, most: number): Promise<void> {
	if (!most) return;
	const { protocol, parse } = await import('@electric-sql/pglite');
	const { serialize } = protocol;
	const query = client.query.bind(client);
	const kept = new Map<string, Kept>();
	const unfit = new Set<string>();
	const send = (message: Uint8Array) => client.execProtocolStream(message, { syncToFs: false });

	async function run(text: string, params: unknown[], options?: Parameters<PGlite['query']>[2]) {
		await client._checkReady();
		return client._runExclusiveTransaction(() =>
			client._runExclusiveQuery(async () => {
				const messages: Message[] = [];
				try {
					let statement = kept.get(text);
					if (!statement) {
						const name = statementName(text);
						await send(serialize.parse({ name, text, types: options?.paramTypes }));
						const described = (await send(serialize.describe({ type: 'S', name }))) as Message[];
						statement = {
							name,
							types: described.find((m) => m.name === 'parameterDescription')?.dataTypeIDs ?? [],
							described: described.filter((m) => m.name === 'rowDescription')
						};
						kept.set(text, statement);
					}
					const types = statement.types;
					const values = params.map((value, i) => {
						if (value === null || value === undefined) return null;
						const write = options?.serializers?.[types[i]!] ?? client.serializers[types[i]!];
						return write ? write(value) : String(value);
					});
					messages.push(...statement.described);
					messages.push(
						...((await send(serialize.bind({ statement: statement.name, values }))) as Message[])
					);
					messages.push(...((await send(serialize.execute({}))) as Message[]));
				} finally {
					messages.push(...((await send(serialize.sync())) as Message[]));
				}
				await client.syncToFs();
				return parse.parseResults(messages as never, client.parsers, options)[0]!;
			})
		);
	}

	client.query = (async (text: string, params?: unknown[], options?: Parameters<PGlite['query']>[2]) => {
		if (!params?.length || unfit.has(text) || options?.blob || (!kept.has(text) && kept.size >= most))
			return query(text, params, options);
		try {
			return await run(text, params, options);
		} catch (error) {
			if (!noLongerFits(error)) throw error;
			unfit.add(text);
			kept.delete(text);
			return query(text, params, options);
		}
	}) as PGlite['query'];
}
