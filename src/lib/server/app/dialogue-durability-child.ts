// Run by dialogue-durability.test.ts in a process of its own. Once its modules are loaded it reads
// one line from stdin, `<postgres://… | data folder> <prefix> [PGlite dump to start a new folder
// from]`, sets up an open space `<prefix>` with three proposals and 60 participants (directly: the
// writes under test are the input), then supports and comments through the participants' write
// paths one after the other until the test kills it with SIGKILL. After each commit has returned
// it prints one line:
//   s <proposal id> <user id>              a support that went in
//   c <comment id> <proposal id> <notified user ids, comma-separated or ->   a comment or a reply
// (the notified are who the reply's notification is owed to: the outbox count checks them).
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { openDatabase } from '../kernel/database.ts';
import { user } from '../accounts/schema.ts';
import { organization } from '../organizations/schema.ts';
import { dialoguePhase, dialogueSpace, proposal } from '../dialogue/schema.ts';
import { supportProposal } from '../dialogue/proposals/commands.ts';
import { writeComment, writeReply } from '../dialogue/comments/commands.ts';

const [line] = (await once(process.stdin, 'data')) as [Buffer];
const [target, prefix, dump] = line.toString().trim().split(' ') as [string, string, string | undefined];
const handle = target.startsWith('postgres')
	? await openDatabase({ url: target })
	: await openDatabase({ dataDir: target, from: dump ? new Blob([readFileSync(dump)]) : undefined });
const db = handle.db;

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
		supportThreshold: 40
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
		emailVerified: true
	}))
);

/** Each write from an address of its own (the per-address allowances are not under test). */
const address = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const written: { id: number; proposalId: number }[] = [];

for (let i = 0; ; i++) {
	const who = participants[i % participants.length]!;
	const proposalId = proposals[Math.floor(i / participants.length) % proposals.length]!;
	await supportProposal(db, who, space!.slug, proposalId, { ip: address(2 * i) });
	// A pipe's write is synchronous on Linux: once this returns, the test can read the line.
	process.stdout.write(`s ${proposalId} ${who.id}\n`);

	// Every third comment answers the one before it on the same proposal (another participant's,
	// top-level): a reply owes its parent's author a notification.
	const form = new FormData();
	form.append('comment', `Bekräftad kommentar ${i} innan processen dödades.`);
	form.append('stance', ['for', 'against', 'neutral'][i % 3]!);
	const place = { space: space!.slug, proposalId };
	const parent = written.at(-1);
	let comment: { id: number; notify: string[] };
	if (i % 3 === 2 && parent?.proposalId === proposalId) {
		form.append('parent', String(parent.id));
		comment = await writeReply(db, who, place, form, { ip: address(2 * i + 1) });
	} else {
		comment = await writeComment(db, who, place, form, { ip: address(2 * i + 1) });
	}
	written.push({ id: comment.id, proposalId });
	process.stdout.write(`c ${comment.id} ${proposalId} ${comment.notify.join(',') || '-'}\n`);
}
