import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../kernel/database.ts';
import { getArticle } from '../content/queries.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'pglite-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a committed write to the PGlite folder survives the process being killed with SIGKILL', async () => {
	const dataDir = path.join(dir, 'db');
	const child = spawn(
		process.execPath,
		[new URL('./durability-child.ts', import.meta.url).pathname, dataDir],
		{
			stdio: ['ignore', 'pipe', 'inherit']
		}
	);
	await new Promise<void>((resolve, reject) => {
		child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('committed') && resolve());
		child.once('exit', (code) => reject(new Error(`child exited with ${code} before committing`)));
	});
	const exited = new Promise((r) => child.once('exit', r));
	child.kill('SIGKILL');
	await exited;

	// The lock file of the killed process names a dead pid, so the folder opens again.
	const handle = await openDatabase({ dataDir });
	try {
		const article = await getArticle(handle.db, 'sv', 'overlever-kill-9');
		expect(article?.title).toBe('Sparad före kraschen');
	} finally {
		await handle.close();
	}
});

it('a second process cannot open a PGlite folder that is in use', async () => {
	const dataDir = path.join(dir, 'locked');
	const first = await openDatabase({ dataDir });
	try {
		// Same process: the lock names our own pid, so pretend to be another one.
		const { writeFileSync } = await import('node:fs');
		writeFileSync(`${dataDir}.lock`, String(process.ppid));
		await expect(openDatabase({ dataDir })).rejects.toThrow(/in use by process/);
	} finally {
		await first.close();
	}
});
