import { spawn } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { openDatabase } from './database.ts';

/**
 * Backups of the whole database, as files an operator keeps: PostgreSQL through pg_dump's custom
 * format (restored by pg_restore, any later PostgreSQL too), PGlite through a gzipped tar of its
 * data folder. Media files live outside the database and are not in either.
 */

/** Why a backup or restore was not done: the operator must change something (exit code 3). */
export class BackupRefused extends Error {
	readonly exitCode = 3;
}

/** A tool or the database failed on the way (exit code 1). */
export class BackupFailed extends Error {
	readonly exitCode = 1;
}

export type BackupKind = 'postgres' | 'pglite';

export interface Target {
	/** DATABASE_URL: PostgreSQL; otherwise the PGlite folder. */
	url?: string;
	dataDir: string;
}

/** ./backups/partnerskap-<kind>-2026-10-04T09-30-00Z.<ext>: sorts by time, no colons. */
export function defaultBackupFile(kind: BackupKind, now = new Date(), folder = 'backups'): string {
	const stamp = now
		.toISOString()
		.replace(/\.\d+Z$/, 'Z')
		.replaceAll(':', '-');
	return path.resolve(folder, `partnerskap-${kind}-${stamp}.${kind === 'postgres' ? 'pgdump' : 'tar.gz'}`);
}

/** Which kind of backup a file holds, by its first bytes. */
export function backupKindOf(file: string): BackupKind | undefined {
	const head = readFileSync(file).subarray(0, 5);
	if (head.toString('latin1') === 'PGDMP') return 'postgres';
	if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite';
	return undefined;
}

/** Writes a backup of the target to `file` (written aside and renamed: no half file under its name). */
export async function backup(
	target: Target,
	file: string
): Promise<{ kind: BackupKind; file: string; bytes: number }> {
	if (existsSync(file))
		throw new BackupRefused(`${file} exists already: name another file, or move it away.`);
	mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
	const partial = `${file}.partial`;
	try {
		let kind: BackupKind;
		if (target.url) {
			kind = 'postgres';
			await run('pg_dump', ['--format=custom', `--file=${partial}`], target.url);
		} else {
			kind = 'pglite';
			if (!existsSync(path.join(target.dataDir, 'PG_VERSION'))) {
				throw new BackupRefused(`There is no PGlite database in ${target.dataDir} (DATA_DIR).`);
			}
			const handle = await openFolder(target.dataDir);
			try {
				const tar = new Uint8Array(await (await handle.dump!()).arrayBuffer());
				// The fastest level: the server is stopped meanwhile, and level 6 made the file only an eighth smaller.
				writeFileSync(partial, gzipSync(tar, { level: 1 }));
			} finally {
				await handle.close();
			}
		}
		renameSync(partial, file);
		return { kind, file, bytes: statSync(file).size };
	} finally {
		rmSync(partial, { force: true });
	}
}

/**
 * Restores a backup into the target. PostgreSQL: into the database DATABASE_URL names (made if
 * missing), refused when it holds tables unless `clean` (then what the backup holds is dropped and
 * made again). PGlite: into DATA_DIR, refused unless the folder is missing or empty.
 */
export async function restore(
	target: Target,
	file: string,
	options: { clean?: boolean } = {}
): Promise<BackupKind> {
	if (!existsSync(file)) throw new BackupRefused(`There is no file ${file}.`);
	const kind = backupKindOf(file);
	if (!kind)
		throw new BackupRefused(
			`${file} is not a backup made by db:backup (neither pg_dump's custom format nor a PGlite dump).`
		);
	if (kind === 'pglite' && target.url) {
		throw new BackupRefused(
			`${file} is a PGlite backup, but DATABASE_URL is set: unset it to restore into DATA_DIR (${target.dataDir}).`
		);
	}
	if (kind === 'postgres' && !target.url) {
		throw new BackupRefused(
			`${file} is a PostgreSQL backup: set DATABASE_URL to the database to restore it into.`
		);
	}

	if (kind === 'postgres') {
		const tables = await userRelations(target.url!);
		if (tables > 0 && !options.clean) {
			throw new BackupRefused(
				`The database ${databaseName(target.url!)} is not empty (${tables} tables and other objects). Restore into a new database, or add --clean to replace what the backup holds.`
			);
		}
		// Owners and grants of the source may not exist here: everything belongs to DATABASE_URL's user.
		const args = ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction'];
		if (options.clean) args.push('--clean', '--if-exists');
		await run('pg_restore', [...args, file], target.url!);
		return kind;
	}

	const dir = target.dataDir;
	if (existsSync(dir) && readdirSync(dir).length > 0) {
		throw new BackupRefused(
			`The folder ${dir} (DATA_DIR) is not empty: restore into a new folder, or move it away first.`
		);
	}
	const created = !existsSync(dir);
	try {
		const tar = gunzipSync(readFileSync(file));
		const handle = await openFolder(dir, new Blob([new Uint8Array(tar)]));
		await handle.close();
	} catch (error) {
		// Nothing half-restored is left to be mistaken for a database.
		if (created) rmSync(dir, { recursive: true, force: true });
		else
			for (const entry of readdirSync(dir)) rmSync(path.join(dir, entry), { recursive: true, force: true });
		throw error instanceof BackupRefused ? error : new BackupFailed(`The restore failed: ${message(error)}`);
	}
	return kind;
}

/** Opens the PGlite folder as the app does, so a running server's lock refuses us. */
async function openFolder(dataDir: string, from?: Blob) {
	try {
		return await openDatabase({ dataDir, from });
	} catch (error) {
		if (/in use by process/.test(message(error))) {
			throw new BackupRefused(
				`${message(error)} A PGlite folder can be copied safely only while no server has it open.`
			);
		}
		throw new BackupFailed(`The database in ${dataDir} could not be opened: ${message(error)}`);
	}
}

/** Relations outside PostgreSQL's own schemas: tables, views, sequences. */
async function userRelations(url: string): Promise<number> {
	const { default: pg } = await import('pg');
	const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
	try {
		await client.connect();
	} catch (error) {
		if ((error as { code?: string }).code !== '3D000') {
			throw new BackupFailed(`Cannot connect to ${redacted(url)}: ${message(error)}`);
		}
		// The database does not exist yet: make it, as the operator would with createdb.
		await createDatabase(url);
		return 0;
	}
	try {
		const { rows } = await client.query<{ n: number }>(
			`select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
			 where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
			   and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')`
		);
		return rows[0]!.n;
	} finally {
		await client.end();
	}
}

async function createDatabase(url: string) {
	const { default: pg } = await import('pg');
	const maintenance = new URL(url);
	maintenance.pathname = '/postgres';
	const client = new pg.Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 10_000 });
	try {
		await client.connect();
		await client.query(`create database ${client.escapeIdentifier(databaseName(url))}`);
	} catch (error) {
		throw new BackupFailed(
			`The database ${databaseName(url)} does not exist and could not be made: ${message(error)}`
		);
	} finally {
		await client.end().catch(() => {});
	}
}

/**
 * Runs pg_dump or pg_restore against the database. The password goes in PGPASSWORD, not in the
 * arguments, where any user of the machine could read it in the process list.
 */
function run(tool: 'pg_dump' | 'pg_restore', args: string[], url: string): Promise<void> {
	const address = new URL(url);
	const password = decodeURIComponent(address.password);
	address.password = '';
	return new Promise((resolve, reject) => {
		const child = spawn(tool, [...args, `--dbname=${address.toString()}`], {
			env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
			stdio: ['ignore', 'inherit', 'pipe']
		});
		const errors: Buffer[] = [];
		child.stderr.on('data', (c: Buffer) => errors.push(c));
		child.once('error', (error: NodeJS.ErrnoException) =>
			reject(
				error.code === 'ENOENT'
					? new BackupFailed(
							`${tool} was not found. Install the PostgreSQL client programs (on Debian and Ubuntu: postgresql-client) of the server's major version or newer.`
						)
					: error
			)
		);
		child.once('close', (code) => {
			if (code === 0) resolve();
			else
				reject(
					new BackupFailed(
						`${tool} failed (exit code ${code}):\n${Buffer.concat(errors).toString('utf8').trim()}`
					)
				);
		});
	});
}

function databaseName(url: string): string {
	return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** The address without its password, for messages. */
export function redacted(url: string): string {
	const u = new URL(url);
	if (u.password) u.password = '***';
	return u.toString();
}

function message(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** Where the media are, which neither kind of backup holds. */
export function mediaReminder(media: { dir: string; s3?: { bucket: string; prefix?: string } }): string {
	const where = media.s3
		? `the bucket ${media.s3.bucket}${media.s3.prefix ? ` (prefix ${media.s3.prefix})` : ''}`
		: `the folder ${media.dir}`;
	return `Media files are not in the database: back up ${where} separately.`;
}

/** For the command-line scripts: a refusal or failure becomes one message and its exit code. */
export async function exitOnProblem(work: () => Promise<void>): Promise<void> {
	try {
		await work();
	} catch (error) {
		if (error instanceof BackupRefused || error instanceof BackupFailed) {
			console.error(error.message);
			process.exit(error.exitCode);
		}
		throw error;
	}
}
