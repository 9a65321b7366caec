import { config } from '../kernel/config.ts';
import { openDatabase, type Database, type DatabaseHandle } from '../kernel/database.ts';
import { logger } from '../kernel/logger.ts';
import type { Module } from '../kernel/module.ts';
import { seedTaxonomy } from '../taxonomy/seed.ts';
import { modules } from './modules.ts';
import { addDemoDocuments, addDemoIllustrations, addDemoReportSummary, linkDemoProposal } from './demo.ts';
import { mediaStore } from './media.ts';
import type { MediaStore } from '../media/store.ts';
import { visibleArticles } from '../content/facets.ts';
import { locales } from '#lib/i18n/locales.ts';

/**
 * Brings a migrated database up to date: the taxonomy and every module's reference data, then,
 * when `demo` is on, each module's demo (only what is missing), and the demo's documents into
 * the media store when one is given.
 */
export async function prepareDatabase(
	db: Database,
	options: { demo: boolean; store?: MediaStore; modules?: readonly Module[] }
): Promise<void> {
	const list = options.modules ?? modules;
	await seedTaxonomy(db);
	for (const m of list) await m.reference?.(db);
	if (!options.demo) return;
	for (const m of list) await m.demo?.(db);
	if (options.store) {
		await addDemoDocuments(db, options.store);
		await addDemoReportSummary(db, options.store);
		await addDemoIllustrations(db, options.store);
	}
	await linkDemoProposal(db);
}

/** The database the settings name (DATABASE_URL, else PGlite under DATA_DIR), migrated and prepared. */
export async function openConfiguredDatabase(options: { demo?: boolean } = {}): Promise<DatabaseHandle> {
	const settings = config();
	const prepare = (db: Database) =>
		prepareDatabase(db, { demo: options.demo ?? settings.seedDemo, store: mediaStore() });
	return openDatabase(
		settings.databaseUrl ? { url: settings.databaseUrl, prepare } : { dataDir: settings.dataDir, prepare }
	);
}

/** Each module's periodic work, one after another; a failure is logged and the rest still run. */
export async function runTicks(db: Database, list: readonly Module[] = modules): Promise<void> {
	for (const m of list) {
		if (!m.tick) continue;
		try {
			await m.tick(db);
		} catch (error) {
			logger.warn({ err: error, module: m.name }, 'Periodic work failed');
		}
	}
}

/**
 * Builds the in-memory filter index for every language before the server takes requests, so the
 * first visitor does not wait the second or two it takes over a large bank. A failure here is
 * only logged: the first request builds it instead.
 */
export async function warmUp(db: Database): Promise<void> {
	try {
		for (const locale of locales) await visibleArticles(db, locale);
	} catch (error) {
		logger.warn({ err: error }, 'Could not prepare the filter index at start');
	}
}
