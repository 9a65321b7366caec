import { readdir } from 'node:fs/promises';
import { appBridge, type AppStats } from '../kernel/bridge.ts';
import { config } from '../kernel/config.ts';
import { logger } from '../kernel/logger.ts';
import { outboxFigures } from '../kernel/outbox.ts';
import { renderCacheStats } from '../kernel/render-cache.ts';
import { appDatabase } from './database.ts';

/** The app's numbers for /metrics, read by scripts/serve.js through the bridge at each scrape. */
export async function appStats(): Promise<AppStats> {
	const handle = await appDatabase();
	return {
		pool: handle.poolStats?.(),
		renderCache: renderCacheStats(),
		outbox: await outboxSize(),
		// A database that does not answer leaves these out of the scrape, not the rest.
		mailQueue: await outboxFigures(handle.db).catch((error) => {
			logger.warn({ err: error }, 'Could not read the mail queue for /metrics');
			return undefined;
		})
	};
}

/** Messages waiting in the outbox folder; none when mail goes over SMTP (there is no outbox). */
async function outboxSize(): Promise<number> {
	const { smtpUrl, outboxDir } = config().mail;
	if (smtpUrl) return 0;
	const files = await readdir(outboxDir).catch(() => [] as string[]);
	return files.filter((f) => f.endsWith('.eml')).length;
}

export function registerStats(): void {
	appBridge().stats = appStats;
}
