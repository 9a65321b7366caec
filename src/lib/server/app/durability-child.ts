// Run by durability.test.ts in a process of its own. Once its modules are loaded it reads one line
// from stdin, `<postgres://… | data folder> <slug prefix> <articles | reports> [PGlite dump to start
// a new folder from]` (so the test can start it ahead of its turn), then creates articles through
// the editor's write path, or residents' reports on a map through theirs (in a space of its own,
// `<slug prefix>`), one after the other, printing each one's id once its commit has returned,
// until the test kills it with SIGKILL.
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { openDatabase } from '../kernel/database.ts';
import { user } from '../accounts/schema.ts';
import { createArticle } from '../content/workspace/commands.ts';
import { submitReport } from '../dialogue/map-reports/commands.ts';
import { anActor } from '../test/actors.ts';
import { aReportSpace } from '../test/factories/dialogue.ts';

const [line] = (await once(process.stdin, 'data')) as [Buffer];
const [target, prefix, writes, dump] = line.toString().trim().split(' ') as [
	string,
	string,
	'articles' | 'reports',
	string | undefined
];
const handle = target.startsWith('postgres')
	? await openDatabase({ url: target })
	: await openDatabase({ dataDir: target, from: dump ? new Blob([readFileSync(dump)]) : undefined });
if (writes === 'reports') {
	// The space and the residents are set up directly; the writes under test are the reports.
	const space = await aReportSpace(handle.db, { slug: prefix, review: false });
	let resident = await anActor(handle.db, 'reader');
	for (let i = 0; ; i++) {
		// A resident's daily allowance is 30 reports: a new one every 20.
		if (i > 0 && i % 20 === 0) resident = await anActor(handle.db, 'reader');
		const { id } = await submitReport(
			handle.db,
			resident,
			space.slug,
			{
				reportCategory: 'standing-water',
				reportDescription: `Sparad före kraschen ${i}: vatten står kvar i diket.`,
				reportPrecision: 'exact',
				reportLat: (-7.8 + i / 10_000).toFixed(4),
				reportLon: '110.37',
				clientId: randomUUID()
			},
			{ locale: 'sv' }
		);
		process.stdout.write(`${id}\n`);
	}
}

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
