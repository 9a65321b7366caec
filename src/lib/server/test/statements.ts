import type { Database } from '../kernel/database.ts';

/**
 * The statements a piece of work sends to the database, by listening on Drizzle's query logger:
 * the tests that fix how many queries a page or a read costs (no N+1) count them with this.
 */
export async function statements<T>(
	db: Database,
	work: () => Promise<T>
): Promise<{ result: T; seen: string[] }> {
	const session = (db as unknown as { session: { logger: { logQuery(q: string, p: unknown[]): void } } })
		.session;
	const before = session.logger;
	const seen: string[] = [];
	session.logger = { logQuery: (query) => void seen.push(query) };
	try {
		return { result: await work(), seen };
	} finally {
		session.logger = before;
	}
}
