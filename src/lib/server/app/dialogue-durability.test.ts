import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, inject, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../kernel/database.ts';
import { dialogueComment, dialogueSpace, proposal, proposalSupport } from '../dialogue/schema.ts';

// Kill -9 of a process supporting and commenting (dialogue-durability-child.ts, through the
// participants' own write paths): after a restart every acknowledged support and comment is there,
// and each proposal's counters equal the rows they count (the counter changes in the row's
// transaction, so a kill cannot leave one without the other).

const dir = mkdtempSync(path.join(tmpdir(), 'dialogue-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the writer acknowledged before it was killed. */
interface Acknowledged {
	supports: { proposalId: number; userId: string }[];
	comments: { id: number; proposalId: number; notify: string[] }[];
}

/**
 * Starts the writer on a database, lets it run until it has acknowledged `wanted` lines (a support
 * or a comment each), kills it with SIGKILL mid-write (it never pauses) and returns what it
 * acknowledged.
 */
async function writeUntilKilled(args: string[], wanted: number): Promise<Acknowledged> {
	const child = spawn(
		process.execPath,
		[new URL('./dialogue-durability-child.ts', import.meta.url).pathname],
		{ stdio: ['pipe', 'pipe', 'pipe'] }
	);
	let out = '';
	let err = '';
	child.stdin.on('error', () => {});
	child.stderr.on('data', (c: Buffer) => (err += c.toString()));
	child.stdout.on('data', (c: Buffer) => (out += c.toString()));
	const ended = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
	// Everything it wrote before it died is read, and it is reaped (a PGlite folder's lock is free).
	const gone = Promise.all([new Promise((r) => child.stdout.once('close', r)), ended]);
	const lines = () => out.split('\n').length - 1;
	child.stdin.write(`${args.join(' ')}\n`);
	try {
		await new Promise<void>((resolve, reject) => {
			const look = () => lines() >= wanted && (child.stdout.off('data', look), resolve());
			child.stdout.on('data', look);
			void ended.then((signal) =>
				reject(new Error(`The writer ended (${signal ?? 'exit'}) before ${wanted} writes:\n${err}`))
			);
		});
	} finally {
		child.kill('SIGKILL');
		await gone;
	}
	const acknowledged: Acknowledged = { supports: [], comments: [] };
	for (const line of out.split('\n').filter(Boolean)) {
		const [kind, a, b, c] = line.split(' ');
		if (kind === 's') acknowledged.supports.push({ proposalId: Number(a), userId: b! });
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
		// A new folder from the prepared dump; reopened by this process once the writer is dead.
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

// The kinds run at the same time: each mostly waits on its writer.
it.concurrent.for(kinds)(
	'kill -9 during a support and comment load on $name: every acknowledged support and comment is there, counters equal rows',
	{ timeout: 60_000 },
	async (kind, { expect }) => {
		const { args, open, done } = await kind.start();
		try {
			const prefix = `kill-9-dialogue-${kind.name}`;
			// At least 40 acknowledged writes, at random, so that the kill lands anywhere.
			const wanted = 40 + Math.floor(Math.random() * 40);
			const first = kind.name === 'pglite' ? [inject('pgliteDump')] : [];
			const acknowledged = await writeUntilKilled([args[0]!, prefix, ...first], wanted);
			expect(acknowledged.supports.length + acknowledged.comments.length).toBeGreaterThanOrEqual(wanted);

			// The restart: the database reopened after the kill (on PGlite, a lock naming a dead process).
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
					.select({ id: dialogueComment.id, body: dialogueComment.body })
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
				const supportRows = rowsOf(supports);
				const commentRows = rowsOf(
					await db
						.select({ proposalId: dialogueComment.proposalId })
						.from(dialogueComment)
						.where(eq(dialogueComment.spaceId, space!.id))
				);
				expect(counters).toEqual(
					counters.map((c) => ({ id: c.id, supports: supportRows(c.id), comments: commentRows(c.id) }))
				);

				// THE OUTBOX COUNT GOES HERE, once notifications of replies are written by the comment
				// command (comments/commands.ts `replyRecipients`, "THE OUTBOX JOINS HERE"): restart the
				// outbox worker on this database against test/mail-server.ts and expect each owed
				// notification below (one per acknowledged reply's recipient) delivered exactly once.
				const owed = acknowledged.comments.flatMap((c) => c.notify);
				// Every third comment is a reply to another participant: there are notifications to count.
				expect(owed.length).toBeGreaterThan(0);

				console.log(
					`kill -9 on ${kind.name}: acknowledged ${acknowledged.supports.length} supports and ${acknowledged.comments.length} comments (${owed.length} replies owing a notification), 0 missing`
				);
			} finally {
				await handle.close();
			}
		} finally {
			await done();
		}
	}
);
