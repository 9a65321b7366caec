import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../kernel/database.ts';

export interface TestDatabase {
	name: 'pglite' | 'postgres';
	/**
	 * A fresh, migrated database of its own with the reference data and the demo content: a copy
	 * of the one the global set-up prepared (test/global-setup.ts).
	 */
	open(): Promise<DatabaseHandle>;
}

let dump: Blob | undefined;

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export const testDatabases: TestDatabase[] = [
	{
		name: 'pglite',
		open: () => {
			dump ??= new Blob([readFileSync(inject('pgliteDump'))]);
			return openDatabase({ from: dump });
		}
	},
	...(process.env.TEST_DATABASE_URL
		? [{ name: 'postgres' as const, open: () => openFreshPostgres(process.env.TEST_DATABASE_URL!) }]
		: [])
];

/** A database of its own for each test file, dropped when the file is done. */
async function openFreshPostgres(adminUrl: string): Promise<DatabaseHandle> {
	const name = `test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
	const admin = new pg.Client({ connectionString: adminUrl });
	await admin.connect();
	await admin.query(`create database ${name} template ${inject('postgresTemplate')}`);
	await admin.end();
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	const handle = await openDatabase({ url: url.toString() });
	return {
		...handle,
		close: async () => {
			await handle.close();
			const drop = new pg.Client({ connectionString: adminUrl });
			await drop.connect();
			// The pool's clients may still be saying goodbye: a forced drop would cut one off
			// mid-close and surface as an unhandled error. Wait (briefly) until they are gone.
			for (let i = 0; i < 50; i++) {
				const { rows } = await drop.query(
					'select count(*)::int as n from pg_stat_activity where datname = $1',
					[name]
				);
				if (rows[0].n === 0) break;
				await new Promise((r) => setTimeout(r, 20));
			}
			await drop.query(`drop database if exists ${name} with (force)`);
			await drop.end();
		}
	};
}
