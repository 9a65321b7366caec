import { sql, type SQL } from 'drizzle-orm';
import { describe, expect, it, test } from 'vitest';
import { databaseUnavailable, openDatabase, type Database } from './database.ts';
import { ValidationError } from './errors.ts';
import { rowsOf } from '../test/rows.ts';
import { testDatabases } from '../test/databases.ts';
import { keepPglitePlans } from './prepared.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('telling an unavailable database from a fault', () => {
	it('takes a lost, refused, silent or shutting-down database as unavailable (503), also when wrapped', () => {
		for (const e of [
			withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
			withCode('terminating connection due to administrator command', '57P01'),
			withCode('the database system is starting up', '57P03'),
			withCode('canceling statement due to statement timeout', '57014'),
			withCode('connection failure', '08006'),
			new Error('timeout exceeded when trying to connect'),
			new Error('Connection terminated unexpectedly'),
			new Error('Failed query: select 1', { cause: withCode('read ECONNRESET', 'ECONNRESET') })
		]) {
			expect(databaseUnavailable(e), e.message).toBe(true);
		}
	});

	it('leaves faults in the request or the code as they are (400s and 500s)', () => {
		for (const e of [
			new Error('Cannot read properties of undefined'),
			withCode('duplicate key value violates unique constraint', '23505'),
			withCode('syntax error at or near "selec"', '42601'),
			new ValidationError([{ field: 'page', code: 'invalidPage' }]),
			'a string'
		]) {
			expect(databaseUnavailable(e)).toBe(false);
		}
	});
});

const answer = async (db: Database, query: SQL) => (await rowsOf<{ y: number }>(db, query))[0]!.y;

describe.runIf(process.env.TEST_DATABASE_URL)(
	'how many statements a PostgreSQL connection keeps prepared',
	() => {
		const settings = ['DATABASE_POOL_SIZE', 'DATABASE_PREPARED_STATEMENTS'] as const;
		async function opened(most: string) {
			const before = settings.map((k) => process.env[k]);
			Object.assign(process.env, { DATABASE_POOL_SIZE: '1', DATABASE_PREPARED_STATEMENTS: most });
			try {
				return await openDatabase({ url: process.env.TEST_DATABASE_URL });
			} finally {
				settings.forEach((k, i) =>
					before[i] === undefined ? delete process.env[k] : (process.env[k] = before[i])
				);
			}
		}
		const kept = async (db: Database) =>
			(await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from pg_prepared_statements`))[0]!.n;
		const third = (db: Database, x: number) => answer(db, sql`select ${x}::int * 3 as y`);

		test('each connection keeps up to the setting, closing the least recently run first; every statement answers alike', async () => {
			const handle = await opened('2');
			try {
				const { db } = handle;
				for (let round = 0; round < 3; round++) {
					expect(await answer(db, sql`select ${2}::int + 1 as y`)).toBe(3);
					expect(await answer(db, sql`select ${2}::int + 2 as y`)).toBe(4);
					expect(await answer(db, sql`select ${2}::int + 1 as y`)).toBe(3);
					expect(await third(db, 7)).toBe(21);
				}
				const statements = await rowsOf<{ statement: string }>(
					db,
					sql`select statement from pg_prepared_statements order by statement`
				);
				expect(statements.map((s) => s.statement)).toEqual([
					'select $1::int * 3 as y',
					'select $1::int + 1 as y'
				]);
			} finally {
				await handle.close();
			}
		});

		test('statements asked at once outside a transaction (pipelined) each get their own answer; an error reaches only its caller', async () => {
			const handle = await opened('10');
			try {
				const asked = await Promise.allSettled([
					answer(handle.db, sql`select ${1}::int + 1 as y`),
					answer(handle.db, sql`select ${1}::int / 0 as y`),
					answer(handle.db, sql`select ${5}::int * 3 as y`),
					answer(handle.db, sql`select no_such_function(${1}) as y`),
					answer(handle.db, sql`select ${40}::int + 2 as y`)
				]);
				const said = asked.map((a) =>
					a.status === 'fulfilled' ? a.value : String((a.reason as { cause?: Error }).cause?.message)
				);
				expect(said).toEqual([2, 'division by zero', 15, expect.stringMatching(/does not exist/), 42]);
				// And the connections go on answering after the errors.
				expect(await third(handle.db, 4)).toBe(12);
			} finally {
				await handle.close();
			}
		});

		test('with the setting at 0 nothing is prepared (a pooler in transaction mode)', async () => {
			const handle = await opened('0');
			try {
				expect(await third(handle.db, 5)).toBe(15);
				expect(await third(handle.db, 6)).toBe(18);
				expect(await kept(handle.db)).toBe(0);
			} finally {
				await handle.close();
			}
		});
	}
);

describe.each(testDatabases)('statements kept prepared on $name', (database) => {
	test('a statement with parameters is prepared once and answers alike each time', async () => {
		const { db, close } = await database.open();
		try {
			for (const x of [2, 3, 4]) expect(await answer(db, sql`select ${x}::int * 5 as y`)).toBe(x * 5);
			const kept = await rowsOf<{ statement: string }>(db, sql`select statement from pg_prepared_statements`);
			expect(kept.map((k) => k.statement)).toContain('select $1::int * 5 as y');
		} finally {
			await close();
		}
	});

	test('a kept statement whose result changed type (a migration by another instance) answers at once, and again after', async () => {
		const { db, close } = await database.open();
		const table = sql.identifier(`kept_${process.pid}`);
		try {
			await db.execute(sql`create table ${table} (a int)`);
			await db.execute(sql`insert into ${table} values (1)`);
			const read = () => rowsOf(db, sql`select a from ${table} where ${1}::int > 0`);
			expect(await read()).toEqual([{ a: 1 }]);
			await db.execute(sql`alter table ${table} alter column a type text`);
			expect(await read()).toEqual([{ a: '1' }]);
			expect(await read()).toEqual([{ a: '1' }]);
		} finally {
			await db.execute(sql`drop table if exists ${table}`);
			await close();
		}
	});
});

test('PGlite keeps up to the setting too, closing the least recently run first; every statement answers alike', async () => {
	const { PGlite } = await import('@electric-sql/pglite');
	const client = await PGlite.create();
	try {
		await keepPglitePlans(client, 2);
		const answer = async (text: string) => (await client.query<{ y: number }>(text, [2])).rows[0]!.y;
		for (let round = 0; round < 3; round++) {
			expect(await answer('select $1::int + 1 as y')).toBe(3);
			expect(await answer('select $1::int + 2 as y')).toBe(4);
			expect(await answer('select $1::int + 1 as y')).toBe(3);
			expect(await answer('select $1::int * 3 as y')).toBe(6);
		}
		const { rows } = await client.query<{ statement: string }>(
			'select statement from pg_prepared_statements order by statement'
		);
		expect(rows.map((r) => r.statement)).toEqual(['select $1::int * 3 as y', 'select $1::int + 1 as y']);
		// A statement that fails as it runs, as its values are bound, or as it is parsed leaves the
		// database answering the next one.
		await expect(client.query('select $1::int / 0 as y', [1])).rejects.toThrow(/division by zero/);
		expect(await answer('select $1::int + 1 as y')).toBe(3);
		await expect(client.query('select $1::int + 1 as y', ['two'])).rejects.toThrow(/invalid input syntax/);
		expect(await answer('select $1::int + 1 as y')).toBe(3);
		await expect(client.query('select no_such_function($1) as y', [1])).rejects.toThrow(/does not exist/);
		expect(await answer('select $1::int * 3 as y')).toBe(6);
	} finally {
		await client.close();
	}
});

test('PGlite runs statements asked together in one exchange, each on its own: a failing one leaves the others answered and committed', async () => {
	const { PGlite } = await import('@electric-sql/pglite');
	const client = await PGlite.create();
	try {
		// Fewer kept than the statements here: one closed to make room may be among them.
		const together = await keepPglitePlans(client, 3);
		await client.exec('create table note (id int primary key, body text not null)');
		const outcomes = await together([
			{ text: 'insert into note (id, body) values ($1, $2)', params: [1, 'kept'] },
			{ text: 'select $1::int / 0 as y', params: [1] },
			{ text: 'insert into note (id, body) values ($1, $2)', params: [1, 'the same id'] },
			{ text: 'select $1::int + 1 as y', params: ['two'] },
			{ text: 'select no_such_function($1) as y', params: [1] },
			{ text: 'select count(*)::int as n from note where id > $1', params: [0] },
			// Without parameters: not kept, run as PGlite's own.
			{ text: 'select 7 as y' },
			{ text: 'select $1::int * 3 as y', params: [2] }
		]);
		const said = outcomes.map((o) =>
			'error' in o ? (o.error as Error).message : JSON.stringify(o.result.rows)
		);
		expect(said).toEqual([
			'[]',
			'division by zero',
			expect.stringMatching(/duplicate key value/),
			expect.stringMatching(/invalid input syntax/),
			expect.stringMatching(/does not exist/),
			'[{"n":1}]',
			'[{"y":7}]',
			'[{"y":6}]'
		]);
		expect((await client.query('select body from note')).rows).toEqual([{ body: 'kept' }]);
		expect(outcomes[0]).toMatchObject({ result: { affectedRows: 1 } });
	} finally {
		await client.close();
	}
});
