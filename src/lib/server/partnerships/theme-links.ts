import { sql } from 'drizzle-orm';
import type { Transaction } from '../kernel/database.ts';
import type { ThemeMerge } from '../kernel/module.ts';
import { partnershipTheme } from './schema.ts';

/**
 * A topic merged into another: partnerships tagged `from` are tagged `into` instead (once, where
 * they had both). Returns how many partnerships carried `from`.
 */
export async function moveThemeLinks(tx: Transaction, from: string, into: string): Promise<ThemeMerge> {
	const moved = await tx
		.delete(partnershipTheme)
		.where(sql`${partnershipTheme.themeKey} = ${from}`)
		.returning({ partnershipId: partnershipTheme.partnershipId });
	if (moved.length) {
		await tx
			.insert(partnershipTheme)
			.values(moved.map((m) => ({ partnershipId: m.partnershipId, themeKey: into })))
			.onConflictDoNothing();
	}
	return { count: moved.length, before: moved };
}
