import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../kernel/database.ts';
import { testDatabases } from '../test/databases.ts';
import { rowsOf } from '../test/rows.ts';

describe.each(testDatabases)('the schema of every module, on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(() => h?.close());

	// Pages filter by foreign keys ("the articles of this partnership", "the pages that use this
	// file"), and deleting a row makes the database find its references (cascade, set null, or the
	// check that there are none): without an index each is a read of the whole table.
	it('has an index led by the columns of every foreign key', async () => {
		const rows = await rowsOf<{ reference: string }>(
			h.db,
			sql`
			select c.conrelid::regclass::text || ' (' || (
				select string_agg(a.attname, ', ' order by a.attnum)
				from pg_attribute a
				where a.attrelid = c.conrelid and a.attnum = any (c.conkey)
			) || ')' as reference
			from pg_constraint c
			where c.contype = 'f'
				and c.connamespace = 'public'::regnamespace
				and not exists (
					select 1 from pg_index i
					where i.indrelid = c.conrelid
						and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
						and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey
				)
			order by 1`
		);
		expect(rows.map((r) => r.reference)).toEqual([]);
		const all = await rowsOf<{ n: number }>(
			h.db,
			sql`select count(*)::int as n from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace`
		);
		expect(all[0]!.n).toBeGreaterThan(50);
	});
});
