// npm run corpus -- --count 10000 [--partnerships 2000 --organizations 5000]: adds a synthetic
// corpus (articles in both languages; optionally partnerships and international organizations, so
// that organizations number about --organizations with the 311 reference ones) to the database
// named by DATABASE_URL, or PGlite under DATA_DIR. For benchmarks and tests at scale, never the demo.
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { openConfiguredDatabase } from '../src/lib/server/app/startup.ts';
import { saveArticles } from '../src/lib/server/content/import.ts';
import { syntheticArticles } from '../src/lib/server/content/corpus.ts';
import { addSyntheticRegistry } from '../src/lib/server/partnerships/corpus.ts';

const { values } = parseArgs({
	options: {
		count: { type: 'string', default: '10000' },
		partnerships: { type: 'string', default: '0' },
		organizations: { type: 'string', default: '0' }
	}
});
const count = Number(values.count);
const partnerships = Number(values.partnerships);
const organizations = Number(values.organizations);
if (!Number.isInteger(count) || count < 1 || count > 1_000_000) {
	console.error('--count must be a whole number from 1 to 1000000');
	process.exit(2);
}
const handle = await openConfiguredDatabase({ demo: true });
const started = Date.now();
let batch = [];
let done = 0;
for (const article of syntheticArticles(count)) {
	batch.push(article);
	if (batch.length === 500) {
		await saveArticles(handle.db, batch);
		done += batch.length;
		batch = [];
		process.stdout.write(`\r${done} / ${count}`);
	}
}
if (batch.length) await saveArticles(handle.db, batch);
if (partnerships > 0) {
	// The 311 municipalities and regions and the demo's organizations are there already.
	const { rows } = /** @type {{ rows: { n: number }[] }} */ (
		await handle.db.execute(sql`select count(*)::int as n from organization`)
	);
	const existing = rows[0]?.n ?? 0;
	await addSyntheticRegistry(handle.db, {
		partnerships,
		organizations: Math.max(1, organizations - existing)
	});
	console.log(`\n${partnerships} partnerships, ${organizations} organizations`);
}
// Fresh statistics and visibility map, as autovacuum would give a live database in time.
await handle.db.execute(sql`vacuum analyze`);
await handle.close();
console.log(`\r${count} articles in ${((Date.now() - started) / 1000).toFixed(1)} s (${handle.kind})`);
