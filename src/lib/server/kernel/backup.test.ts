import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inject } from 'vitest';
import { backup, BackupRefused, restore } from './backup.ts';
import { openDatabase, type Database } from './database.ts';

type Query = (text: string) => Promise<Record<string, unknown>[]>;

/**
 * What an operator would call "the same content": every table's row count and a hash of its rows
 * in primary-key order, and where every sequence stands (a restore that reset them would make the
 * next insert collide).
 */
async function content(query: Query): Promise<Record<string, string>> {
	const tables = await query(
		`select c.oid::regclass::text as ident from pg_class c join pg_namespace n on n.oid = c.relnamespace
		 where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema')
		   and n.nspname not like 'pg\\_%' order by 1`
	);
	const out: Record<string, string> = {};
	for (const { ident } of tables as { ident: string }[]) {
		const keys = await query(
			`select a.attname as name from pg_index i
			 join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
			 where i.indrelid = '${ident}'::regclass and i.indisprimary
			 order by array_position(i.indkey::int2[], a.attnum)`
		);
		const order = keys.length ? keys.map((k) => `t."${k.name as string}"`).join(', ') : 't::text';
		const [row] = await query(
			`select count(*)::int as n, coalesce(md5(string_agg(t::text, E'\\n' order by ${order})), '') as hash
			 from ${ident} t`
		);
		out[ident] = `${row!.n} ${row!.hash}`;
	}
	for (const s of await query(
		'select schemaname, sequencename, last_value from pg_sequences order by 1, 2'
	)) {
		out[`sequence ${s.schemaname as string}.${s.sequencename as string}`] = String(s.last_value);
	}
	return out;
}

const onDrizzle =
	(db: Database): Query =>
	async (text) =>
		((await db.execute(sql.raw(text))) as unknown as { rows: Record<string, unknown>[] }).rows;

/** The demo is really there: not an empty database that trivially equals another. */
function expectDemo(c: Record<string, string>) {
	const rows = (table: string) => Number(c[table]?.split(' ')[0]);
	expect(Object.keys(c).length).toBeGreaterThan(20);
	expect(rows('article')).toBeGreaterThan(5);
	expect(rows('partnership')).toBeGreaterThan(0);
	expect(rows('drizzle.__drizzle_migrations')).toBeGreaterThan(0);
}

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../../..');
/** The command an operator types, as a real child process: its exit code and what it printed. */
async function script(name: string, args: string[], env: Record<string, string>) {
	try {
		const { stdout, stderr } = await run(process.execPath, [`scripts/${name}`, ...args], {
			cwd: root,
			env: { ...process.env, LOG_LEVEL: 'silent', ...env }
		});
		return { code: 0, output: stdout + stderr };
	} catch (error) {
		const e = error as { code: number; stdout: string; stderr: string };
		return { code: e.code, output: e.stdout + e.stderr };
	}
}

let dir: string;
beforeAll(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'partnerskap-backup-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('backup and restore of a PGlite folder', () => {
	test(
		'a restore into a new folder holds the same content; a non-empty folder and a running server are refused',
		{ timeout: 120_000 },
		async () => {
			const source = path.join(dir, 'lite-source');
			const dump = new Blob([readFileSync(inject('pgliteDump'))]);
			const original = await openDatabase({ dataDir: source, from: dump });
			let before: Record<string, string>;
			try {
				before = await content(onDrizzle(original.db));
				// Another process (a server) has the folder open: copying its files now could copy a
				// torn state, so the backup is refused and writes nothing.
				const busy = path.join(dir, 'in-use.tar.gz');
				const refused = await script('db-backup.js', [busy], { DATA_DIR: source, DATABASE_URL: '' });
				expect(refused.code).toBe(3);
				expect(refused.output).toContain(`in use by process ${process.pid}`);
				expect(refused.output).toContain('copied safely only while no server has it open');
				expect(existsSync(busy)).toBe(false);
			} finally {
				await original.close();
			}
			expectDemo(before);

			const file = path.join(dir, 'lite.tar.gz');
			expect((await backup({ dataDir: source }, file)).kind).toBe('pglite');
			const target = path.join(dir, 'lite-restored');
			expect(await restore({ dataDir: target }, file)).toBe('pglite');
			const restored = await openDatabase({ dataDir: target });
			try {
				expect(await content(onDrizzle(restored.db))).toEqual(before);
			} finally {
				await restored.close();
			}

			// Restoring over a database would destroy it: refused, and the folder is left as it was.
			const entries = readdirSync(target).sort();
			const again = await script('db-restore.js', [file], { DATA_DIR: target, DATABASE_URL: '' });
			expect(again.code).toBe(3);
			expect(again.output).toContain(`The folder ${target} (DATA_DIR) is not empty`);
			expect(readdirSync(target).sort()).toEqual(entries);
		}
	);

	test('a backup that names an existing file, or a folder with no database, is refused with exit code 3', async () => {
		const empty = path.join(dir, 'nothing-here');
		const none = await script('db-backup.js', [path.join(dir, 'x.tar.gz')], {
			DATA_DIR: empty,
			DATABASE_URL: ''
		});
		expect(none.code).toBe(3);
		expect(none.output).toContain(`There is no PGlite database in ${empty} (DATA_DIR).`);
		await expect(backup({ dataDir: empty }, path.join(root, 'package.json'))).rejects.toBeInstanceOf(
			BackupRefused
		);
		const usage = await script('db-restore.js', [], { DATA_DIR: empty });
		expect(usage.code).toBe(2);
		expect(usage.output).toContain('Usage: npm run db:restore -- <file> [--clean]');
	});
});

const adminUrl = process.env.TEST_DATABASE_URL;

describe.runIf(adminUrl)('backup and restore of PostgreSQL', () => {
	const names: string[] = [];
	const urlOf = (name: string) => {
		const u = new URL(adminUrl!);
		u.pathname = `/${name}`;
		return u.toString();
	};
	const admin = async (text: string) => {
		const client = new pg.Client({ connectionString: adminUrl });
		await client.connect();
		try {
			return (await client.query(text)).rows;
		} finally {
			await client.end();
		}
	};
	const contentOf = async (url: string) => {
		const client = new pg.Client({ connectionString: url });
		await client.connect();
		try {
			return await content(async (text) => (await client.query(text)).rows);
		} finally {
			await client.end();
		}
	};
	afterAll(async () => {
		for (const name of names) await admin(`drop database if exists ${name} with (force)`);
	});

	test(
		'pg_dump and pg_restore into a new database give the same content; a non-empty one is refused without --clean',
		{ timeout: 120_000 },
		async () => {
			const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
			const source = `backup_src_${suffix}`;
			const target = `backup_dst_${suffix}`;
			names.push(source, target);
			await admin(`create database ${source} template ${inject('postgresTemplate')}`);
			const before = await contentOf(urlOf(source));
			expectDemo(before);

			const file = path.join(dir, 'pg.pgdump');
			const made = await script('db-backup.js', [file], { DATABASE_URL: urlOf(source) });
			expect(made.code).toBe(0);
			expect(made.output).toContain(`to ${file} (`);
			expect(made.output).toContain('Media files are not in the database');

			// The target does not exist yet: the restore makes it.
			const restored = await script('db-restore.js', [file], { DATABASE_URL: urlOf(target) });
			expect(restored.output).toContain('Restored');
			expect(restored.code).toBe(0);
			expect(await contentOf(urlOf(target))).toEqual(before);

			const refused = await script('db-restore.js', [file], { DATABASE_URL: urlOf(target) });
			expect(refused.code).toBe(3);
			expect(refused.output).toContain(`The database ${target} is not empty`);

			// --clean replaces what the backup holds: a row deleted since is back.
			const client = new pg.Client({ connectionString: urlOf(target) });
			await client.connect();
			await client.query('delete from audit_log');
			await client.end();
			expect(await contentOf(urlOf(target))).not.toEqual(before);
			await restore({ url: urlOf(target), dataDir: dir }, file, { clean: true });
			expect(await contentOf(urlOf(target))).toEqual(before);

			// A PGlite target for a PostgreSQL backup is refused before anything is touched.
			await expect(restore({ dataDir: path.join(dir, 'wrong') }, file)).rejects.toThrow(
				/is a PostgreSQL backup: set DATABASE_URL/
			);
		}
	);
});
