import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../kernel/database.ts';
import { prepareDatabase } from '../app/startup.ts';

export interface TestDatabase {
	name: 'pglite' | 'postgres';
	/** A fresh, migrated database with the reference data and the demo content. */
	open(): Promise<DatabaseHandle>;
}

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export const testDatabases: TestDatabase[] = [
	{ name: 'pglite', open: () => seeded(openDatabase({})) },
	...(process.env.TEST_DATABASE_URL
		? [{ name: 'postgres' as const, open: () => seeded(openFreshPostgres(process.env.TEST_DATABASE_URL!)) }]
		: [])
];

async function seeded(opening: Promise<DatabaseHandle>): Promise<DatabaseHandle> {
	const handle = await opening;
	await prepareDatabase(handle.db, { demo: true });
	return handle;
}

/** A database of its own for each test file, dropped when the file is done. */
async function openFreshPostgres(adminUrl: string): Promise<DatabaseHandle> {
	const name = `test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
	const admin = new pg.Client({ connectionString: adminUrl });
	await admin.connect();
	await admin.query(`create database ${name}`);
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
