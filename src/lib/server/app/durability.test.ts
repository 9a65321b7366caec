import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDatabase, startTime } from '../kernel/database.ts';
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
		writeFileSync(`${dataDir}.lock`, String(process.ppid));
		await expect(openDatabase({ dataDir })).rejects.toThrow(/in use by process/);
	} finally {
		await first.close();
	}
});

it('a lock naming a live process that started at another time (its pid reused) is stale: the folder opens', async () => {
	const dataDir = path.join(dir, 'reused');
	// Any unrelated live program: its pid is alive, but it is not the process that took the lock.
	const other = spawn('sleep', ['30'], { stdio: 'ignore' });
	try {
		await new Promise((r) => other.once('spawn', r));
		const started = startTime(other.pid!);
		expect(started).toMatch(/^\d+$/);
		writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid: other.pid, start: String(Number(started) + 1) }));
		const handle = await openDatabase({ dataDir });
		await handle.close();
		// The same pid with its true start time is the holder: refused.
		writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid: other.pid, start: started }));
		await expect(openDatabase({ dataDir })).rejects.toThrow(`in use by process ${other.pid}`);
	} finally {
		other.kill('SIGKILL');
	}
});
