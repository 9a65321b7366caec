import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
	export interface ProvidedContext {
		baseUrl: string;
	}
}

let server: ChildProcess | undefined;
let dataDir: string | undefined;

/** Builds the app (unless E2E_SKIP_BUILD=1) and serves it on a new, empty PGlite database. */
export async function setup(project: TestProject) {
	const root = path.resolve(import.meta.dirname, '../..');
	if (process.env.E2E_SKIP_BUILD !== '1') {
		execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
	}
	dataDir = mkdtempSync(path.join(tmpdir(), 'partnerskap-e2e-'));
	const port = 3200 + Math.floor(Math.random() * 500);
	server = spawn(process.execPath, ['scripts/serve.js'], {
		cwd: root,
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			DATA_DIR: path.join(dataDir, 'db'),
			DATABASE_URL: process.env.E2E_DATABASE_URL ?? '',
			LOG_LEVEL: 'warn'
		},
		stdio: ['ignore', 'inherit', 'inherit']
	});
	const baseUrl = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 60_000;
	for (;;) {
		try {
			const res = await fetch(`${baseUrl}/healthz`);
			if (res.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error('The server did not become healthy within 60 s');
		if (server.exitCode !== null) throw new Error(`The server exited with ${server.exitCode}`);
		await new Promise((r) => setTimeout(r, 250));
	}
	project.provide('baseUrl', baseUrl);
}

export async function teardown() {
	if (server && server.exitCode === null) {
		const exited = new Promise((r) => server!.once('exit', r));
		server.kill('SIGTERM');
		await exited;
	}
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
