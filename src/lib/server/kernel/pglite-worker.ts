// The PGlite database in a thread of its own, started by pglite-thread.ts: its statements run on
// one core while the pages are made on another. Node runs this file as it is (its types are
// stripped), not from the app's bundle. Each message is answered once, by its id.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Results, type Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { keepPglitePlans } from './prepared.ts';
import type { ThreadRequest, ThreadStart } from './pglite-thread.ts';

const start = workerData as ThreadStart;
const port = parentPort!;

const client = await PGlite.create({
	dataDir: start.dataDir,
	loadDataDir: start.from ? new Blob([start.from]) : undefined,
	extensions: { pg_trgm }
});
const together = await keepPglitePlans(client, start.preparedStatements);

/** Open transactions by id: PGlite's own, held open until the app's work in it ends. */
const open = new Map<number, { tx: Transaction; end: (commit: boolean) => void; done: Promise<void> }>();
let made = 0;

/** A transaction of PGlite's (which makes every statement outside it wait), open until `end`. */
function begin(): Promise<number> {
	const id = ++made;
	return new Promise((started, failed) => {
		const done = client.transaction(async (tx) => {
			const commit = await new Promise<boolean>((end) => {
				open.set(id, { tx, end, done });
				started(id);
			});
			if (!commit) await tx.rollback();
		});
		done.catch(failed).finally(() => open.delete(id));
	});
}

const kept = new Map<string, Record<number, (value: string) => string>>();
/** The same object for the same types, so that prepared.ts merges it with PGlite's parsers once. */
function asText(types: number[]) {
	const key = types.join();
	let parsers = kept.get(key);
	if (!parsers)
		kept.set(key, (parsers = Object.fromEntries(types.map((type) => [type, (value: string) => value]))));
	return parsers;
}

type Query = Extract<ThreadRequest, { op: 'query' }>;
// Values of these types stay as PostgreSQL wrote them: the caller's parsers read them.
const options = (r: Query) => ({ rowMode: r.rowMode, parsers: asText(r.asText) });
const answered = (result: Results<unknown>) => ({
	rows: result.rows,
	fields: result.fields,
	affectedRows: result.affectedRows
});

/**
 * What waits its turn, in the order it came: statements outside a transaction, and what starts,
 * dumps or closes the database. Statements that arrive together (pages made at once) go to
 * PostgreSQL in one exchange (prepared.ts), which costs the thread less than one exchange each.
 * A transaction's own statements and its end do not wait here: what waits may be waiting for them.
 */
const waiting: ThreadRequest[] = [];
let running = false;
async function runWaiting() {
	while (waiting.length) {
		if (waiting[0]!.op !== 'query') {
			const r = waiting.shift()!;
			await answer(r).then(
				(result) => reply(r, result),
				(error) => fail(r, error)
			);
			continue;
		}
		const others = waiting.findIndex((r) => r.op !== 'query');
		const asked = waiting.splice(0, Math.min(others === -1 ? waiting.length : others, 32)) as Query[];
		try {
			const outcomes = await together(
				asked.map((r) => ({ text: r.text, params: r.params, options: options(r) }))
			);
			outcomes.forEach((outcome, i) =>
				'error' in outcome ? fail(asked[i]!, outcome.error) : reply(asked[i]!, answered(outcome.result))
			);
		} catch (error) {
			for (const r of asked) fail(r, error);
		}
	}
	running = false;
}

async function answer(r: ThreadRequest): Promise<unknown> {
	switch (r.op) {
		case 'query': {
			const on = open.get(r.tx!)?.tx;
			if (!on) throw new Error('The transaction has ended');
			return answered(await on.query(r.text, r.params, options(r)));
		}
		case 'begin':
			return begin();
		case 'end': {
			const held = open.get(r.tx);
			if (!held) throw new Error('The transaction has ended');
			held.end(r.commit);
			await held.done;
			return null;
		}
		case 'dump':
			return (await client.dumpDataDir('none')).arrayBuffer();
		case 'close':
			await client.close();
			return null;
	}
}

/** What the app's error handling reads (code, constraint, detail …); not the query's options. */
function describe(error: unknown): Record<string, unknown> {
	const e = error instanceof Error ? error : new Error(String(error));
	const fields: Record<string, unknown> = { name: e.name, message: e.message };
	for (const [key, value] of Object.entries(e))
		if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
	return fields;
}

const reply = (r: ThreadRequest, result: unknown) =>
	port.postMessage({ id: r.id, result }, result instanceof ArrayBuffer ? [result] : undefined);
const fail = (r: ThreadRequest, error: unknown) => port.postMessage({ id: r.id, error: describe(error) });

port.on('message', (r: ThreadRequest) => {
	if (!(r.op === 'end' || (r.op === 'query' && r.tx))) {
		waiting.push(r);
		// After the messages that came with this one, so that they run together.
		if (!running) setImmediate(runWaiting);
		running = true;
		return;
	}
	answer(r).then(
		(result) => reply(r, result),
		(error) => fail(r, error)
	);
});
port.postMessage({ ready: true });
