// Run by durability.test.ts in a process of its own. Once its modules are loaded it reads one line
// from stdin, `<postgres://… | data folder> <slug prefix> [PGlite dump to start a new folder from]`
// (so the test can start it ahead of its turn), then creates articles one after the other through
// the editor's write path, printing each one's id once its commit has returned, until the test
// kills it with SIGKILL.
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { openDatabase } from '../kernel/database.ts';
import { user } from '../accounts/schema.ts';
import { createArticle } from '../content/workspace/commands.ts';

const [line] = (await once(process.stdin, 'data')) as [Buffer];
const [target, prefix, dump] = line.toString().trim().split(' ') as [string, string, string | undefined];
const handle = target.startsWith('postgres')
	? await openDatabase({ url: target })
	: await openDatabase({ dataDir: target, from: dump ? new Blob([readFileSync(dump)]) : undefined });
// The author is set up directly; the writes under test are the articles.
const author = { id: randomUUID(), role: 'author' as const };
await handle.db
	.insert(user)
	.values({ ...author, name: 'Durability', email: `writer-${author.id}@example.se`, emailVerified: true });

for (let i = 0; ; i++) {
	// The editor's form as the browser posts it.
	const form = new FormData();
	for (const [name, value] of Object.entries({
		slug: `${prefix}-${i}`,
		kind: 'news',
		themes: 'participation',
		goals: '16',
		targets: '16.7',
		countries: 'SE',
		title_sv: `Sparad före kraschen ${i}`,
		teaser_sv: 'Bekräftad innan processen dödades.',
		body_sv: '<p>Skriven genom redaktörens skrivväg.</p>'
	}))
		form.append(name, value);
	const id = await createArticle(handle.db, author, form);
	// A pipe's write is synchronous on Linux: once this returns, the test can read the id.
	process.stdout.write(`${id}\n`);
}
