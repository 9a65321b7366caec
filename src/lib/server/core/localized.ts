import { customType } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import type { Database } from '../db/index.ts';

/** Text in several languages, keyed by locale ("sv", "en" …). Adding a language adds a key. */
export type LocalizedText = Partial<Record<string, string>>;

/** The text in the wanted language, else Swedish, else English, else whatever there is. */
export function pick(text: LocalizedText | null | undefined, locale: string): string {
	if (!text) return '';
	return text[locale] ?? text.sv ?? text.en ?? Object.values(text)[0] ?? '';
}

/** A Postgres tsvector column (Drizzle has no built-in type for it). */
export const tsvector = customType<{ data: string }>({
	dataType() {
		return 'tsvector';
	}
});

/** Runs raw SQL and returns its rows, the same on PGlite and node-postgres. */
export async function rows<T>(db: Database, query: SQL): Promise<T[]> {
	const result = (await db.execute(query)) as unknown as { rows: T[] };
	return result.rows;
}
