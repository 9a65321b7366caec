// npm run db:backup [-- <file>]
// Writes a backup of the database: PostgreSQL (DATABASE_URL) with pg_dump's custom format, or the
// PGlite folder (DATA_DIR) as a gzipped dump of its files. Without a file name it goes to
// ./backups/partnerskap-<kind>-<UTC time>.<pgdump|tar.gz>. A PGlite folder is backed up only while
// no server has it open (stop the server first). Media files are not in the database.
// Exit codes: 0 done, 1 failed, 2 wrong usage, 3 refused (nothing was changed).
import { parseArgs } from 'node:util';
import {
	backup,
	defaultBackupFile,
	exitOnProblem,
	mediaReminder,
	redacted
} from '../src/lib/server/kernel/backup.ts';
import { config } from '../src/lib/server/kernel/config.ts';

/** @type {{ positionals: string[] }} */
let args;
try {
	args = parseArgs({ allowPositionals: true, options: {} });
} catch (error) {
	console.error(`${/** @type {Error} */ (error).message}\nUsage: npm run db:backup [-- <file>]`);
	process.exit(2);
}
if (args.positionals.length > 1) {
	console.error('Usage: npm run db:backup [-- <file>]');
	process.exit(2);
}
const settings = config();
const target = { url: settings.databaseUrl, dataDir: settings.dataDir };
const kind = target.url ? 'postgres' : 'pglite';
const file = args.positionals[0] ?? defaultBackupFile(kind);
const started = Date.now();
await exitOnProblem(async () => {
	const done = await backup(target, file);
	console.log(
		`Backed up ${kind === 'postgres' ? redacted(target.url ?? '') : `PGlite in ${target.dataDir}`} to ${done.file} (${done.bytes} bytes, ${Date.now() - started} ms).`
	);
	console.log(mediaReminder(settings.media));
});
