// Run by outbox-crash.test.ts in a process of its own: a mail worker to be killed with SIGKILL.
// Once its modules are loaded it reads one line from stdin (so the test can start it ahead of its
// turn): `<postgres://… | data folder> <run | drain> <messages> [PGlite dump to start a new folder
// from]`. It opens that database, enqueues `messages` test messages (keys `crash:<n>`: enqueued
// before, they are kept as they are), prints "ready", then sends the outbox's due mail over
// SMTP_URL (from its environment): with `run` until it is killed, with `drain` until nothing is
// due, when it closes the database and exits.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { openDatabase } from './database.ts';
import { deliverDue, enqueueMail } from './outbox.ts';

const [line] = (await once(process.stdin, 'data')) as [Buffer];
const [target, mode, count, dump] = line.toString().trim().split(' ') as [string, string, string, string?];
const handle = target.startsWith('postgres')
	? await openDatabase({ url: target })
	: await openDatabase({ dataDir: target, from: dump ? new Blob([readFileSync(dump)]) : undefined });
await handle.db.transaction(async (tx) => {
	for (let i = 0; i < Number(count); i++) {
		await enqueueMail(tx, {
			key: `crash:${i}`,
			to: `deltagare-${i}@example.se`,
			subject: `Ny kommentar ${i}`,
			text: 'Ett förslag du följer har fått en ny kommentar.'
		});
	}
});
process.stdout.write('ready\n');

for (;;) {
	const report = await deliverDue(handle.db, { batch: 50 });
	if (report.sent + report.retried + report.failed > 0) continue;
	if (mode === 'drain') break;
	await new Promise((r) => setTimeout(r, 20));
}
await handle.close();
process.exit(0);
