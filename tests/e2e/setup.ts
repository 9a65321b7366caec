import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { SMTPServer } from 'smtp-server';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { people, preparedPeople, type PreparedPerson } from './people.ts';
import { prepareSession, type PreparedSession } from './sessions.ts';
import { freePort } from './instances.ts';
import { twilioAuthToken } from './gateways.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		baseUrl: string;
		/** Where the test SMTP server drops what the app sends (one .eml file a message). */
		mailDir: string;
		/** A signed-in session for each person whose journey is not about signing in. */
		sessions: Record<PreparedPerson, PreparedSession>;
	}
}

let server: ChildProcess | undefined;
let dataDir: string | undefined;
let smtp: SMTPServer | undefined;
let lockDir: string | undefined;

/** Builds the app (unless E2E_SKIP_BUILD=1) and serves it on a new, empty PGlite database. */
/**
 * Two runs in one checkout would build into the same folder under each other's server: the second
 * waits for the first (a lock folder naming its process; a dead owner's lock is taken over).
 */
async function waitForOtherRuns(root: string) {
	const lock = path.join(root, '.svelte-kit', 'e2e-run.lock');
	mkdirSync(path.dirname(lock), { recursive: true });
	for (;;) {
		try {
			mkdirSync(lock);
			writeFileSync(path.join(lock, 'pid'), String(process.pid));
			lockDir = lock;
			return;
		} catch {
			let owner = 0;
			try {
				owner = Number(readFileSync(path.join(lock, 'pid'), 'utf8'));
			} catch {
				/* being written or removed */
			}
			let alive = owner > 0;
			try {
				if (alive) process.kill(owner, 0);
			} catch {
				alive = false;
			}
			const abandoned =
				owner === 0 &&
				Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 10_000;
			if ((!alive && owner > 0) || abandoned) rmSync(lock, { recursive: true, force: true });
			else await new Promise((r) => setTimeout(r, 1000));
		}
	}
}

export async function setup(project: TestProject) {
	const root = path.resolve(import.meta.dirname, '../..');
	await waitForOtherRuns(root);
	if (process.env.E2E_SKIP_BUILD !== '1') {
		execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
	}
	dataDir = mkdtempSync(path.join(tmpdir(), 'partnerskap-e2e-'));
	// The OS picks the port: a fixed or random range can hit a service the machine runs (MariaDB on 3306).
	const port = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	const env = {
		...process.env,
		DATA_DIR: path.join(dataDir, 'db'),
		DATABASE_URL: process.env.E2E_DATABASE_URL ?? ''
	};
	// Everyone with one run of `npm run admin:create -- --from <file>`, as an operator adding
	// the programme's staff would (each run opens the database: one run, not twenty).
	const list = path.join(dataDir, 'people.json');
	writeFileSync(
		list,
		JSON.stringify(
			Object.entries(people).map(([name, p]) => ({
				email: p.email,
				// The key, unless the person has a display name of their own.
				name: 'name' in p ? p.name : name,
				role: p.role,
				password: p.password,
				organizations: 'organization' in p ? [p.organization] : []
			}))
		)
	);
	execFileSync(process.execPath, ['scripts/admin-create.js', '--from', list], {
		cwd: root,
		env,
		stdio: 'ignore'
	});

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
			SMS_TWILIO_AUTH_TOKEN: twilioAuthToken,
			LOG_LEVEL: 'warn'
		},
		stdio: ['ignore', 'inherit', 'inherit']
	});
	// A first start migrates, loads the reference data and the demo: on a busy two-core machine
	// that has taken over a minute once, so allow two.
	const deadline = Date.now() + 120_000;
	for (;;) {
		try {
			const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(5000) });
			if (res.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error('The server did not become healthy within 120 s');
		if (server.exitCode !== null) throw new Error(`The server exited with ${server.exitCode}`);
		await new Promise((r) => setTimeout(r, 250));
	}
	// Signed in once here, so that journeys start where their work is (a few at a time: each
	// sign-in hashes a password).
	const sessions = {} as Record<PreparedPerson, PreparedSession>;
	for (let i = 0; i < preparedPeople.length; i += 4) {
		await Promise.all(
			preparedPeople.slice(i, i + 4).map(async (who) => {
				sessions[who] = await prepareSession(baseUrl, people[who]);
			})
		);
	}
	project.provide('baseUrl', baseUrl);
	project.provide('mailDir', mailDir);
	project.provide('sessions', sessions);
}

export async function teardown() {
	if (server && server.exitCode === null) {
		const exited = new Promise((r) => server!.once('exit', r));
		server.kill('SIGTERM');
		await exited;
	}
	await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
	if (lockDir) rmSync(lockDir, { recursive: true, force: true });
}
