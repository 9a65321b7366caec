import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { SMTPServer } from 'smtp-server';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { people } from './people.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		baseUrl: string;
		/** Where the test SMTP server drops what the app sends (one .eml file a message). */
		mailDir: string;
	}
}

let server: ChildProcess | undefined;
let dataDir: string | undefined;
let smtp: SMTPServer | undefined;

/** Builds the app (unless E2E_SKIP_BUILD=1) and serves it on a new, empty PGlite database. */
export async function setup(project: TestProject) {
	const root = path.resolve(import.meta.dirname, '../..');
	if (process.env.E2E_SKIP_BUILD !== '1') {
		execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
	}
	dataDir = mkdtempSync(path.join(tmpdir(), 'partnerskap-e2e-'));
	const port = 3200 + Math.floor(Math.random() * 500);
	const baseUrl = `http://127.0.0.1:${port}`;
	const env = {
		...process.env,
		DATA_DIR: path.join(dataDir, 'db'),
		DATABASE_URL: process.env.E2E_DATABASE_URL ?? ''
	};
	for (const [name, person] of Object.entries(people)) {
		execFileSync(
			process.execPath,
			[
				'scripts/admin-create.js',
				'--email',
				person.email,
				'--password',
				person.password,
				'--role',
				person.role,
				'--name',
				name,
				...('organization' in person ? ['--organization', person.organization] : [])
			],
			{ cwd: root, env, stdio: 'ignore' }
		);
	}

	// A real SMTP server; each message lands in mailDir for the journeys to read and follow.
	const mailDir = path.join(dataDir, 'mail');
	mkdirSync(mailDir);
	let count = 0;
	smtp = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		onData(stream, _session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('end', () => {
				writeFileSync(path.join(mailDir, `${String(++count).padStart(4, '0')}.eml`), Buffer.concat(chunks));
				callback();
			});
		}
	});
	await new Promise<void>((resolve) => smtp!.listen(0, '127.0.0.1', resolve));
	const smtpPort = (smtp.server.address() as { port: number }).port;
	server = spawn(process.execPath, ['scripts/serve.js'], {
		cwd: root,
		env: {
			...env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: baseUrl,
			SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
			AUTH_SECRET_FILE: path.join(dataDir, 'auth-secret'),
			LOG_LEVEL: 'warn'
		},
		stdio: ['ignore', 'inherit', 'inherit']
	});
	// A first start migrates, loads the reference data and the demo: on a busy two-core machine
	// that has taken over a minute once, so allow two.
	const deadline = Date.now() + 120_000;
	for (;;) {
		try {
			const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5000) });
			if (res.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error('The server did not become healthy within 120 s');
		if (server.exitCode !== null) throw new Error(`The server exited with ${server.exitCode}`);
		await new Promise((r) => setTimeout(r, 250));
	}
	project.provide('baseUrl', baseUrl);
	project.provide('mailDir', mailDir);
}

export async function teardown() {
	if (server && server.exitCode === null) {
		const exited = new Promise((r) => server!.once('exit', r));
		server.kill('SIGTERM');
		await exited;
	}
	await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
