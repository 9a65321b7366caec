import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, inject, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../kernel/database.ts';
import { startCountingMailServer, type CountingMailServer } from '../test/counting-mail-server.ts';
import {
	dialogueComment,
	dialogueSpace,
	proposal,
	proposalEvent,
	proposalSupport
} from '../dialogue/schema.ts';
import { countMail, madeNotifications, owedNotifications } from './dialogue-durability-mail.ts';

// Kill -9 of a server process supporting and commenting (dialogue-durability-child.ts, through the
// participants' own write paths) while its notifier and mail worker run: after a restart every
// acknowledged support and comment is there, each proposal's counters equal the rows they count
// (the counter changes in the row's transaction, so a kill cannot leave one without the other),
// every notification the committed replies and history call for exists once, and every one of
// their mails arrives at the SMTP server; a mail arrives twice only under the same Message-ID.

const dir = mkdtempSync(path.join(tmpdir(), 'dialogue-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The settings both server processes run with: links and Message-IDs name this host. */
const origin = 'https://dialog.example.se';

/** What the writer acknowledged before it was killed. */
interface Acknowledged {
	supports: { proposalId: number; userId: string; reached: boolean }[];
	comments: { id: number; proposalId: number; notify: string[] }[];
}

/**
 * A server process (dialogue-durability-child.ts) sending mail to `smtp`, started before its
 * database is ready so that loading its modules overlaps the set-up; `start` hands it its work.
 */
function aServer(smtp: CountingMailServer) {
	const child = spawn(
		process.execPath,
		[new URL('./dialogue-durability-child.ts', import.meta.url).pathname],
		{
			stdio: ['pipe', 'pipe', 'pipe'],
			env: {
				...process.env,
				SMTP_URL: `${smtp.url}?pool=true`,
				ORIGIN: origin,
				BETTER_AUTH_SECRET: 'a-test-secret-of-at-least-thirty-two-characters'
			}
		}
	);
	let out = '';
	let err = '';
	child.stdin.on('error', () => {});
	child.stderr.on('data', (c: Buffer) => (err += c.toString()));
	child.stdout.on('data', (c: Buffer) => (out += c.toString()));
	const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
		child.once('exit', (code, signal) => r({ code, signal }))
	);
	// Everything it wrote before it died is read, and it is reaped (a PGlite folder's lock is free).
	const gone = Promise.all([new Promise((r) => child.stdout.once('close', r)), ended]);
	return {
		child,
		ended,
		gone,
		out: () => out,
		err: () => err,
		start: (args: (string | undefined)[]) => child.stdin.write(`${args.filter(Boolean).join(' ')}\n`),
		kill: async () => {
			child.kill('SIGKILL');
			await gone;
		}
	};
}

/**
 * Lets the server load until it has acknowledged `wanted` lines (a support or a comment each),
 * then kills it with SIGKILL just after the mail server has accepted a message (0 to 3 ms after
 * the next arrival), so that the kill often falls between a message's acceptance and the commit
 * that marks it sent. Returns what it acknowledged.
 */
async function loadUntilKilled(
	server: ReturnType<typeof aServer>,
	smtp: CountingMailServer,
	wanted: number
): Promise<Acknowledged> {
	const lines = () => server.out().split('\n').length - 1;
	try {
		await new Promise<void>((resolve, reject) => {
			const look = () => lines() >= wanted && (server.child.stdout.off('data', look), resolve());
			server.child.stdout.on('data', look);
			void server.ended.then(({ code, signal }) =>
				reject(new Error(`The server ended (${signal ?? code}) before ${wanted} writes:\n${server.err()}`))
			);
		});
		await smtp.until(smtp.received.length + 1, 2_000).catch(() => {});
		await new Promise((r) => setTimeout(r, Math.random() * 3));
	} finally {
		await server.kill();
	}
	const acknowledged: Acknowledged = { supports: [], comments: [] };
	for (const line of server.out().split('\n').filter(Boolean)) {
		const [kind, a, b, c] = line.split(' ');
		if (kind === 's') acknowledged.supports.push({ proposalId: Number(a), userId: b!, reached: c === 't' });
		else
			acknowledged.comments.push({
				id: Number(a),
				proposalId: Number(b),
				notify: c === '-' ? [] : c!.split(',')
			});
	}
	return acknowledged;
}

type Kind = {
	name: 'pglite' | 'postgres';
	/** Where the database is (a PostgreSQL address or a PGlite folder), and how to open it here. */
	start(): Promise<{ args: string[]; open(): Promise<DatabaseHandle>; done(): Promise<void> }>;
};
const kinds: Kind[] = [
	...(process.env.TEST_DATABASE_URL
		? [
				{
					name: 'postgres' as const,
					start: async () => {
						// A database of its own, copied from the prepared one (migrated, with the demo).
						const admin = process.env.TEST_DATABASE_URL!;
						const name = `dialogue_durability_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
						const run = async (text: string) => {
							const c = new pg.Client({ connectionString: admin });
							await c.connect();
							await c.query(text).finally(() => c.end());
						};
						await run(`create database ${name} template ${inject('postgresTemplate')}`);
						const url = new URL(admin);
						url.pathname = `/${name}`;
						return {
							args: [url.toString()],
							open: () => openDatabase({ url: url.toString() }),
							done: () => run(`drop database if exists ${name} with (force)`)
						};
					}
				}
			]
		: []),
	{
		name: 'pglite',
		// A new folder from the prepared dump; reopened by the restarted server, then by this process.
		start: async () => {
			const folder = path.join(dir, 'killed');
			return {
				args: [folder],
				open: () => openDatabase({ dataDir: folder }),
				done: async () => {}
			};
		}
	}
];

// The kinds run at the same time: each mostly waits on its server.
it.concurrent.for(kinds)(
	'kill -9 during a support and comment load with its mail on $name: every acknowledged input is there, every notification once, every mail arrives',
	// About 10 s on a quiet machine; the limit leaves room for a busy one.
	{ timeout: 90_000 },
	async (kind, { expect }) => {
		const smtp = await startCountingMailServer();
		const first = aServer(smtp);
		// The restarted server, loading meanwhile; it opens the database once the first is dead.
		const restarted = aServer(smtp);
		const { args, open, done } = await kind.start();
		try {
			const prefix = `kill-9-dialogue-${kind.name}`;
			// 60 to 160 acknowledged writes, at random, so that the kill lands anywhere: during the
			// mails of the proposals' thresholds (reached around the 45th to 50th) or the replies'.
			const wanted = 60 + Math.floor(Math.random() * 100);
			first.start([args[0], prefix, 'load', kind.name === 'pglite' ? inject('pgliteDump') : undefined]);
			const began = Date.now();
			const acknowledged = await loadUntilKilled(first, smtp, wanted);
			const killedAt = Date.now();
			expect(acknowledged.supports.length + acknowledged.comments.length).toBeGreaterThanOrEqual(wanted);
			const atKill = smtp.received.length;

			// The restart: a new process tells and sends what is owed, then the database is read here.
			restarted.start([args[0], prefix, 'drain']);
			const end = await restarted.ended;
			const drained = Date.now();
			expect(end, restarted.err()).toEqual({ code: 0, signal: null });
			const handle = await open();
			try {
				const db = handle.db;
				const [space] = await db
					.select({ id: dialogueSpace.id })
					.from(dialogueSpace)
					.where(eq(dialogueSpace.slug, prefix));
				expect(space).toBeDefined();
				const ids = await db
					.select({ id: proposal.id })
					.from(proposal)
					.where(eq(proposal.spaceId, space!.id));
				const proposalIds = ids.map((p) => p.id);

				// Every acknowledged support is there; the one being written at the kill may be too.
				const supports = await db
					.select({ proposalId: proposalSupport.proposalId, userId: proposalSupport.userId })
					.from(proposalSupport)
					.where(inArray(proposalSupport.proposalId, proposalIds));
				const supported = new Set(supports.map((s) => `${s.proposalId} ${s.userId}`));
				expect(acknowledged.supports.filter((s) => !supported.has(`${s.proposalId} ${s.userId}`))).toEqual(
					[]
				);
				expect(supports.length - acknowledged.supports.length).toBeGreaterThanOrEqual(0);
				expect(supports.length - acknowledged.supports.length).toBeLessThanOrEqual(1);

				// Every acknowledged comment, with its text; at most the one being written besides.
				const comments = await db
					.select({
						id: dialogueComment.id,
						body: dialogueComment.body,
						proposalId: dialogueComment.proposalId
					})
					.from(dialogueComment)
					.where(eq(dialogueComment.spaceId, space!.id));
				const found = new Set(comments.map((c) => c.id));
				expect(acknowledged.comments.filter((c) => !found.has(c.id))).toEqual([]);
				expect(comments.length - acknowledged.comments.length).toBeLessThanOrEqual(1);
				expect(comments.every((c) => c.body.startsWith('Bekräftad kommentar'))).toBe(true);

				// The counters a page shows equal the rows they count, for every proposal.
				const counters = await db
					.select({ id: proposal.id, supports: proposal.supportCount, comments: proposal.commentCount })
					.from(proposal)
					.where(eq(proposal.spaceId, space!.id))
					.orderBy(proposal.id);
				const rowsOf = (rows: { proposalId: number | null }[]) => (id: number) =>
					rows.filter((r) => r.proposalId === id).length;
				expect(counters).toEqual(
					counters.map((c) => ({
						id: c.id,
						supports: rowsOf(supports)(c.id),
						comments: rowsOf(comments)(c.id)
					}))
				);

				// Every notification the committed replies and history call for, once each, and no other.
				const owed = await owedNotifications(db, space!.id);
				const made = await madeNotifications(db, space!.id);
				const lines = (rows: { userId: string; key: string }[]) =>
					rows.map((r) => `${r.userId} ${r.key}`).sort();
				expect(lines(made)).toEqual(lines(owed));
				// The write path's word on whom an acknowledged reply owes is among them.
				const owedSet = new Set(lines(owed));
				const promised = acknowledged.comments.flatMap((c) => c.notify.map((u) => `${u} reply:${c.id}`));
				expect(promised.filter((p) => !owedSet.has(p))).toEqual([]);
				// Every threshold an acknowledged support reached was told.
				const reached = await db
					.select({ proposalId: proposalEvent.proposalId })
					.from(proposalEvent)
					.where(
						and(inArray(proposalEvent.proposalId, proposalIds), eq(proposalEvent.kind, 'threshold-reached'))
					);
				const told = new Set(reached.map((r) => r.proposalId));
				// Each proposal's threshold falls within the run (around the 45th to 50th write).
				expect(told.size).toBe(proposalIds.length);
				expect(acknowledged.supports.filter((s) => s.reached && !told.has(s.proposalId))).toEqual([]);
				// Every participant chose single mails: each notification was mailed on its own.
				expect(made.filter((n) => !n.mailed)).toEqual([]);
				expect(promised.length).toBeGreaterThan(0);

				// Every mail arrived; a repeat only under the same Message-ID, the same mail again.
				const mail = await countMail(db, smtp, made, origin);
				console.log(
					`kill -9 on ${kind.name}: acknowledged ${acknowledged.supports.length} supports and ` +
						`${acknowledged.comments.length} comments, 0 missing; ${made.length} notifications ` +
						`(${owed.filter((o) => o.key.startsWith('reply:')).length} replies, ` +
						`${reached.length} thresholds told), ${mail.rows} mails: ${atKill} received before the ` +
						`kill, ${mail.received} in all, ${mail.missing} missing, ${mail.repeats} received twice` +
						(mail.repeats ? ` (${mail.repeatedIds.join(', ')}: accepted, killed before its commit)` : '') +
						`; set-up and load ${killedAt - began} ms, restart and drain ${drained - killedAt} ms`
				);
				expect(mail).toMatchObject({
					rows: made.length,
					withoutRow: 0,
					unsent: 0,
					missing: 0,
					received: made.length + mail.repeats,
					unlikeRepeats: 0,
					twoIds: 0,
					strays: 0,
					misaddressed: 0
				});
				// One message is in flight in a process at a time: the kill can catch one at most.
				expect(mail.repeats).toBeLessThanOrEqual(1);
			} finally {
				await handle.close();
			}
		} finally {
			await Promise.all([first.kill(), restarted.kill()]);
			await smtp.close();
			await done();
		}
	}
);
