// npm run db:migrate: brings the database (DATABASE_URL, or PGlite under DATA_DIR) up to date,
// loads the reference data and, unless SEED_DEMO=false, what is missing of the demo. The app does
// the same on start; this is for deploy pipelines that migrate before starting new instances.
import { openConfiguredDatabase } from '../src/lib/server/app/startup.ts';

const handle = await openConfiguredDatabase();
await handle.close();
console.log(`Migrated ${handle.kind}.`);
