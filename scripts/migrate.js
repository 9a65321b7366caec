// npm run db:migrate: brings the database (DATABASE_URL, or PGlite under DATA_DIR) up to date,
// loads the reference data and, into an empty database, the demo content. The app does the
// same on start; this is for deploy pipelines that migrate before starting new instances.
import path from 'node:path';
import { openDatabase } from '../src/lib/server/db/index.ts';
import { seedDemoContent, seedReferenceData } from '../src/lib/server/db/seed.ts';

const url = process.env.DATABASE_URL || undefined;
const handle = await openDatabase(
	url ? { url } : { dataDir: path.resolve(process.env.DATA_DIR ?? 'data/db') }
);
await seedReferenceData(handle.db);
const demo = process.env.SEED_DEMO !== 'false' && (await seedDemoContent(handle.db));
await handle.close();
console.log(`Migrated ${handle.kind}${demo ? ' and loaded the demo content' : ''}.`);
