// Run by dialogue-durability.test.ts in a process of its own: a server's dialogue work, to be
// killed with SIGKILL. Once its modules are loaded it reads one line from stdin (so the test can
// start it ahead of its turn), `<postgres://… | data folder> <prefix> <load | drain> [PGlite dump
// to start a new folder from]`, and sends mail over SMTP_URL (from its environment).
//
// load: sets up an open space `<prefix>` with three proposals and 60 participants who chose single
// mails, each following two of the proposals (directly: the writes under test are the input),
// then, as a server does, runs the module's tick (the notifier among it) and the mail outbox's
// worker while it supports and comments through the participants' write paths one after the
// other, until the test kills it. After each commit has returned it prints one line:
//   s <proposal id> <user id> <t | ->        a support that went in (t: it reached the threshold)
//   c <comment id> <proposal id> <notified user ids, comma-separated or ->   a comment or a reply
// (the notified are whom the write path says the reply's notification is owed to).
//
// drain: the restart. Runs the tick and sends due mail until the notifier has read every comment
// and history row and nothing is waiting in the outbox, prints "drained", closes and exits.
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { eq, max } from 'drizzle-orm';
import { openDatabase, type Database } from '../kernel/database.ts';
import { deliverDue } from '../kernel/outbox.ts';
import { startMailWorker } from '../kernel/outbox-worker.ts';
import { startListener } from '../kernel/listener.ts';
import { mailOutbox } from '../kernel/schema.ts';
import { user } from '../accounts/schema.ts';
import { organization } from '../organizations/schema.ts';
import {
	dialogueComment,
	dialogueFollow,
	dialogueNotificationCursor,
	dialoguePhase,
	dialogueSpace,
	proposal,
	proposalEvent
} from '../dialogue/schema.ts';
import { dialogueModule } from '../dialogue/module.ts';
import { supportProposal } from '../dialogue/proposals/commands.ts';
import { writeComment, writeReply } from '../dialogue/comments/commands.ts';

const [line] = (await once(process.stdin, 'data')) as [Buffer];
const [target, prefix, mode, dump] = line.toString().trim().split(' ') as [
	string,
	string,
	'load' | 'drain',
	string | undefined
];
const postgres = target.startsWith('postgres');
const handle = postgres
	? await openDatabase({ url: target })
	: await openDatabase({ dataDir: target, from: dump ? new Blob([readFileSync(dump)]) : undefined });
const db = handle.db;
const tick = dialogueModule.tick!;

if (mode === 'drain') {
	await drain(db);
	process.stdout.write('drained\n');
	await handle.close();
	process.exit(0);
}

/** Whether the notifier has read both streams to their end and no mail waits. */
async function done(db: Database): Promise<boolean> {
	const cursors = new Map(
		(await db.select().from(dialogueNotificationCursor)).map((c) => [c.stream, c.lastId])
	);
	const [comments] = await db.select({ last: max(dialogueComment.id) }).from(dialogueComment);
	const [events] = await db.select({ last: max(proposalEvent.id) }).from(proposalEvent);
	const pending = await db
		.select({ id: mailOutbox.id })
		.from(mailOutbox)
		.where(eq(mailOutbox.status, 'pending'))
		.limit(1);
	return (
		(cursors.get('comments') ?? -1) >= (comments?.last ?? 0) &&
		(cursors.get('proposal-events') ?? -1) >= (events?.last ?? 0) &&
		pending.length === 0
	);
}

/**
 * After the restart: the tick and the worker's rounds until everything is told and sent. On
 * PostgreSQL the killed process's transaction (a cursor it held) ends once the server notices the
 * dead connection: until then the tick finds the cursor taken and leaves it, so this waits.
 */
async function drain(db: Database): Promise<void> {
	const until = Date.now() + 30_000;
	while (Date.now() < until) {
		await tick(db);
		const sent = await deliverDue(db, { batch: 50 });
		if (sent.retried || sent.failed) throw new Error(`A mail was not accepted: ${JSON.stringify(sent)}`);
		if (sent.sent === 0 && (await done(db))) return;
		if (sent.sent === 0) await new Promise((r) => setTimeout(r, 25));
	}
	throw new Error('The notifier and the outbox did not finish within 30 s');
}

// Limits allow 20 comments per participant in ten minutes and 100 supports an hour: 60
// participants, each supporting each proposal once, stay well inside them for a run of hundreds.
const day = 86_400_000;
const [owner] = await db.select({ id: organization.id }).from(organization).limit(1);
const [space] = await db
	.insert(dialogueSpace)
	.values({
		slug: prefix,
		organizationId: owner!.id,
		title: { sv: 'Ett samtal som dödas', en: 'A dialogue that is killed' },
		participationLevel: 'consultation',
		status: 'open',
		// Reached early in a run: each proposal's threshold tells its followers while the load goes on.
		supportThreshold: 8
	})
	.returning({ id: dialogueSpace.id, slug: dialogueSpace.slug });
await db.insert(dialoguePhase).values({
	spaceId: space!.id,
	position: 0,
	kind: 'input',
	startsOn: new Date(Date.now() - 30 * day).toISOString().slice(0, 10),
	endsOn: new Date(Date.now() + 30 * day).toISOString().slice(0, 10),
	opens: ['proposals', 'supports', 'comments']
});
const proposals = (
	await db
		.insert(proposal)
		.values(
			[0, 1, 2].map((i) => ({
				spaceId: space!.id,
				title: `Förslag ${prefix} ${i}`,
				body: 'Ett förslag att stödja och kommentera.',
				language: 'sv',
				status: 'collecting' as const,
				collectUntil: new Date(Date.now() + 90 * day)
			}))
		)
		.returning({ id: proposal.id })
).map((p) => p.id);
const participants = Array.from({ length: 60 }, () => ({ id: randomUUID(), role: 'reader' as const }));
await db.insert(user).values(
	participants.map((p, i) => ({
		...p,
		name: `Deltagare ${i}`,
		email: `deltagare-${p.id}@example.se`,
		emailVerified: true,
		locale: i % 4 === 0 ? 'en' : 'sv',
		notificationMail: 'single' as const
	}))
);
// Participant k follows every proposal but the one numbered k mod 3: 40 followers each.
await db
	.insert(dialogueFollow)
	.values(
		participants.flatMap((p, k) =>
			proposals.filter((_, j) => j !== k % 3).map((proposalId) => ({ userId: p.id, proposalId }))
		)
	);

// The notifier's first round places its cursors at what is there; everything from here is told.
await tick(db);
// As app/database.ts does: the outbox's worker (woken by NOTIFY on PostgreSQL, by the enqueue on
// PGlite) and the periodic work, here every 50 ms instead of every few seconds.
const worker = startMailWorker(db, { listener: postgres ? startListener(target) : undefined });
void (async () => {
	for (;;) {
		await new Promise((r) => setTimeout(r, 50));
		worker.wake();
		await tick(db).catch((error) => process.stderr.write(`tick: ${String(error)}\n`));
	}
})();

/** Each write from an address of its own (the per-address allowances are not under test). */
const address = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
/** The latest comment on each proposal: every third comment answers it. */
const latest = new Map<number, number>();

// 180 rounds at most: past them a participant would support a proposal a second time.
for (let i = 0; i < 180; i++) {
	// Each round as a request of its own: PGlite answers within the same turn of the event loop,
	// and a loop that never yields would starve the timers of the tick and the worker.
	await new Promise((r) => setImmediate(r));
	// The proposals in turn; each participant supports each proposal once for the first 180 rounds.
	const who = participants[Math.floor(i / proposals.length) % participants.length]!;
	const proposalId = proposals[i % proposals.length]!;
	const support = await supportProposal(db, who, space!.slug, proposalId, { ip: address(2 * i) });
	// A pipe's write is synchronous on Linux: once this returns, the test can read the line.
	process.stdout.write(`s ${proposalId} ${who.id} ${support.thresholdReached ? 't' : '-'}\n`);

	// Every third round answers the latest comment on the same proposal (another participant's):
	// a reply owes its parent's author a notification.
	const form = new FormData();
	form.append('comment', `Bekräftad kommentar ${i} innan processen dödades.`);
	form.append('stance', ['for', 'against', 'neutral'][i % 3]!);
	const place = { space: space!.slug, proposalId };
	const parent = latest.get(proposalId);
	let comment: { id: number; notify: string[] };
	if (Math.floor(i / proposals.length) % 3 === 2 && parent !== undefined) {
		form.append('parent', String(parent));
		comment = await writeReply(db, who, place, form, { ip: address(2 * i + 1) });
	} else {
		comment = await writeComment(db, who, place, form, { ip: address(2 * i + 1) });
	}
	latest.set(proposalId, comment.id);
	process.stdout.write(`c ${comment.id} ${proposalId} ${comment.notify.join(',') || '-'}\n`);
}
// Then only the tick and the worker run, until the kill.
