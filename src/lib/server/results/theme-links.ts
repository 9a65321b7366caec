import { eq } from 'drizzle-orm';
import type { Transaction } from '../kernel/database.ts';
import type { ThemeMerge } from '../kernel/module.ts';
import { result } from './schema.ts';

/** A topic merged into another: the results that served `from` serve `into`. */
export async function moveThemeLinks(tx: Transaction, from: string, into: string): Promise<ThemeMerge> {
	const moved = await tx
		.update(result)
		.set({ principle: into })
		.where(eq(result.principle, from))
		.returning({ id: result.id });
	return { count: moved.length, before: moved.map((r) => ({ resultId: r.id, principle: from })) };
}
