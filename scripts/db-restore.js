// npm run db:restore -- <file> [--clean]
// Restores a backup made by db:backup. A PostgreSQL backup goes into the database DATABASE_URL
// names (made if it does not exist); a database that already holds tables is refused unless
// --clean is given (what the backup holds is then dropped and made again; stop the app first).
// A PGlite backup becomes the folder DATA_DIR, which must be missing or empty. The app migrates
// the restored database on its next start. Media files are not in the database.
// Exit codes: 0 done, 1 failed, 2 wrong usage, 3 refused (nothing was changed).
import { parseArgs } from 'node:util';
import { exitOnProblem, mediaReminder, redacted, restore } from '../src/lib/server/kernel/backup.ts';
import { config } from '../src/lib/server/kernel/config.ts';

/** @type {{ positionals: string[], values: { clean?: boolean } }} */
let args;
try {
	args = parseArgs({ allowPositionals: true, options: { clean: { type: 'boolean' } } });
} catch (error) {
	console.error(`${/** @type {Error} */ (error).message}\nUsage: npm run db:restore -- <file> [--clean]`);
	process.exit(2);
}
if (args.positionals.length !== 1) {
	console.error('Usage: npm run db:restore -- <file> [--clean]');
	process.exit(2);
}
const settings = config();
const target = { url: settings.databaseUrl, dataDir: settings.dataDir };
const file = /** @type {string} */ (args.positionals[0]);
const started = Date.now();
await exitOnProblem(async () => {
	const kind = await restore(target, file, { clean: args.values.clean });
	console.log(
		`Restored ${file} into ${kind === 'postgres' ? redacted(target.url ?? '') : `PGlite in ${target.dataDir}`} (${Date.now() - started} ms).`
	);
	console.log(mediaReminder(settings.media));
});
