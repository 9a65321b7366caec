// Run by durability.test.ts in its own process: writes one article, says so, then waits to be killed.
import { openDatabase } from '../kernel/database.ts';
import { seedTaxonomy } from '../taxonomy/seed.ts';
import { saveArticle } from '../content/import.ts';

const handle = await openDatabase({ dataDir: process.argv[2]! });
await seedTaxonomy(handle.db);
await saveArticle(handle.db, {
	slug: 'overlever-kill-9',
	kind: 'news',
	status: 'published',
	publishedAt: new Date(),
	themes: ['participation'],
	goals: [],
	targets: ['16.7'],
	countries: ['SE'],
	organizationIds: [],
	partnershipId: null,
	translations: { sv: { title: 'Sparad före kraschen', teaser: 'Committed.', body: '<p>x</p>' } }
});
process.stdout.write('committed\n');
setInterval(() => {}, 1000);
