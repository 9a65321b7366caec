import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inArray } from 'drizzle-orm';
import { afterAll, expect, onTestFinished, test } from 'vitest';
import { openDatabase } from '../../src/lib/server/kernel/database.ts';
import { user } from '../../src/lib/server/accounts/schema.ts';
import { freshPostgres, startInstance, type Instance } from '../e2e/instances.ts';

/**
 * kill -9 of the whole server while people sign up through it over HTTP, on each database: every
 * sign-up the server answered (its "check your email" page) is in the database when it starts
 * again, and it does start again on what the killed process left. (app/durability.test.ts kills
 * a process writing through the domain functions; this kills the server itself.)
 * `npm run bench:faults` sets FAULT_RUNS=3; the operations suite makes one run of each.
 */

const runs = Math.max(1, Number(process.env.FAULT_RUNS ?? 1));
const dir = mkdtempSync(path.join(tmpdir(), 'partnerskap-server-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const kinds = [
	{ name: 'pglite', database: async () => ({ url: '', drop: async () => {} }) },
	...(process.env.TEST_DATABASE_URL ? [{ name: 'postgres', database: () => freshPostgres('crash') }] : [])
];

/**
 * Signs people up through the instance, four at a time, until `enough` are answered, then kills
 * it with SIGKILL while the next ones are on their way. Returns the addresses it answered, and how
 * many were sent in all.
 */
async function signUpsUntilKilled(server: Instance, prefix: string, enough: number) {
	const answered: string[] = [];
	let sent = 0;
	let killed = false;
	const one = async (n: number) => {
		const email = `${prefix}-${n}@example.se`;
		const res = await fetch(`${server.url}/en/sign-up`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'text/html',
				origin: server.url,
				// Behind a proxy (TRUST_PROXY=1) each sign-up comes from a client of its own: the
				// allowance per address is not what this is about.
				'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`
			},
			body: new URLSearchParams({
				displayName: `Krasch ${n}`,
				email,
				password: 'ett långt lösenord för kraschtestet',
				lang: 'en'
			})
		});
		const page = await res.text();
		if (res.status === 200 && page.includes('Check your email')) answered.push(email);
		else throw new Error(`Sign-up ${n} answered ${res.status}`);
	};
	const worker = async () => {
		while (!killed) {
			const n = sent++;
			try {
				await one(n);
			} catch (e) {
				// After the kill, the requests on their way fail: not answered, so not counted.
				if (!killed) throw e;
			}
			if (answered.length >= enough && !killed) {
				killed = true;
				await server.stop('SIGKILL');
			}
		}
	};
	await Promise.all(Array.from({ length: 4 }, worker));
	return { answered, sent };
}

test.each(kinds)(
	`kill -9 of the server during sign-ups on $name loses no answered sign-up in ${runs} run${runs > 1 ? 's' : ''}, and the server starts again`,
	{ timeout: 300_000 },
	async (kind) => {
		const database = await kind.database();
		onTestFinished(() => database.drop());
		const { url } = database;
		const env = {
			DATABASE_URL: url,
			DATA_DIR: path.join(dir, `${kind.name}-db`),
			SEED_DEMO: 'false',
			TRUST_PROXY: '1'
		};
		const answered: string[] = [];
		for (let run = 1; run <= runs; run++) {
			// Each run starts on what the killed one before it left.
			const server = await startInstance(env);
			const found = await signUpsUntilKilled(
				server,
				`krasch-${kind.name}-${run}`,
				12 + Math.floor(Math.random() * 12)
			);
			answered.push(...found.answered);
			console.log(
				`server kill -9 on ${kind.name}, run ${run}: ${found.answered.length} sign-ups answered of ${found.sent} sent`
			);
		}
		const again = await startInstance(env);
		expect((await fetch(`${again.url}/en/sign-up`)).status).toBe(200);
		expect(await again.stop()).toBe(0);

		const h = url ? await openDatabase({ url }) : await openDatabase({ dataDir: env.DATA_DIR });
		try {
			const stored = await h.db.select({ email: user.email }).from(user).where(inArray(user.email, answered));
			const missing = answered.filter((e) => !stored.some((s) => s.email === e));
			console.log(`server kill -9 on ${kind.name}: ${answered.length} answered, ${missing.length} missing`);
			expect(missing).toEqual([]);
		} finally {
			await h.close();
		}
	}
);
