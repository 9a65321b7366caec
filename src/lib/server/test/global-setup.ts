import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../kernel/database.ts';
import { prepareDatabase } from '../app/startup.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		/** A prepared PGlite's files (migrated, reference data, demo): each test file starts from a copy. */
		pgliteDump: string;
		/** A prepared PostgreSQL database each test file copies (CREATE DATABASE … TEMPLATE). */
		postgresTemplate: string | null;
	}
}

let dir: string | undefined;
let template: { admin: string; name: string } | undefined;

/**
 * Prepares one database of each kind before the tests: migrating and loading the demo in every
 * test file cost seconds each (PGlite's initdb above all); copying a prepared one is quicker.
 */
export async function setup(project: TestProject) {
	dir = mkdtempSync(path.join(tmpdir(), 'partnerskap-unit-'));
	const lite = await openDatabase({});
	await prepareDatabase(lite.db, { demo: true });
	const dumpFile = path.join(dir, 'pglite.tar');
	writeFileSync(dumpFile, new Uint8Array(await (await lite.dump!()).arrayBuffer()));
	await lite.close();
	project.provide('pgliteDump', dumpFile);

	const admin = process.env.TEST_DATABASE_URL;
	if (!admin) {
		project.provide('postgresTemplate', null);
		return;
	}
	const name = `test_template_${process.pid}`;
	const client = new pg.Client({ connectionString: admin });
	await client.connect();
	await client.query(`drop database if exists ${name}`);
	await client.query(`create database ${name}`);
	await client.end();
	const url = new URL(admin);
	url.pathname = `/${name}`;
	const handle = await openDatabase({ url: url.toString() });
	await prepareDatabase(handle.db, { demo: true });
	await handle.close();
	template = { admin, name };
	project.provide('postgresTemplate', name);
}

export async function teardown() {
	if (dir) rmSync(dir, { recursive: true, force: true });
	if (template) {
		const client = new pg.Client({ connectionString: template.admin });
		await client.connect();
		// The copies the test workers kept (test/databases.ts), then the template.
		const { rows } = await client.query<{ datname: string }>(
			'select datname from pg_database where starts_with(datname, $1)',
			[`${template.name}_`]
		);
		for (const { datname } of rows) await client.query(`drop database if exists ${datname} with (force)`);
		await client.query(`drop database if exists ${template.name} with (force)`);
		await client.end();
	}
}
