import type { Database } from '../kernel/database.ts';

/** The demo partnerships' frameworks (data/demo/results.json): only where a partnership has none. */
export async function addDemoResults(_db: Database): Promise<void> {}
