import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import { ValidationError } from '../../kernel/errors.ts';
import type { Actor } from '../../kernel/policy.ts';
import { runCommand } from '../../kernel/write.ts';
import { analysisPolicy } from './policy.ts';
import { analysisQuote, analysisVersion } from './schema.ts';
import { analysisYear, quoteKey, readQuoteForm } from './input.ts';
import { analysisSnapshot, candidates } from './queries.ts';

// The editors' changes to a year's analysis: the quotes chosen (the draft), and publishing, which
// freezes what the page shows as the year's next version. Each one command, audited.

type Raw = FormData | Record<string, unknown>;

/** Replaces the year's chosen quotes with those ticked in the form, in the form's order. */
export async function saveQuotes(db: Database, actor: Actor, year: number, form: Raw): Promise<number> {
	analysisYear(year);
	// The form offers the approved texts; it is read against them.
	const offered = await candidates(db, year);
	return runCommand(db, actor, {
		rule: analysisPolicy.editAnalysis,
		parse: () => readQuoteForm(form, offered),
		check: async (tx, chosen) => {
			// A report reopened since the form was shown is no longer approved: its text is not quoted.
			const still = new Set((await candidates(tx, year)).map((c) => quoteKey(c.reportId, c.principle)));
			if (chosen.some((c) => !still.has(quoteKey(c.reportId, c.principle))))
				throw new ValidationError<'results'>([{ field: 'chosen', code: 'unknownQuote' }], 'results');
		},
		work: async (tx, chosen, who) => {
			await tx.delete(analysisQuote).where(eq(analysisQuote.year, year));
			if (chosen.length)
				await tx
					.insert(analysisQuote)
					.values(chosen.map((c, position) => ({ year, ...c, position, chosenBy: who.id })));
			return {
				result: chosen.length,
				audit: {
					action: 'results.analysis-quotes-saved',
					subject: `analysis:${year}`,
					after: { quotes: chosen.map((c) => quoteKey(c.reportId, c.principle)) }
				},
				// Only the draft changes; the public sees a version once it is published.
				public: false
			};
		}
	});
}

/** Publishes the year's analysis as it now stands: a new version, numbered from 1. Returns its number. */
export async function publishAnalysis(db: Database, actor: Actor, year: number, today = new Date()) {
	analysisYear(year);
	return runCommand(db, actor, {
		rule: analysisPolicy.editAnalysis,
		parse: () => year,
		work: async (tx, y, who) => {
			const snapshot = await analysisSnapshot(tx, y, today);
			if (snapshot.partnerships.approvedReports === 0)
				throw new ValidationError<'results'>([{ field: 'form', code: 'nothingToPublish' }], 'results');
			const version = await nextVersion(tx, y);
			await tx.insert(analysisVersion).values({ year: y, version, publishedBy: who.id, snapshot });
			return {
				result: version,
				audit: { action: 'results.analysis-published', subject: `analysis:${y}`, after: { version } },
				public: true
			};
		}
	});
}

/** The year's next version number (two publishing at once: the unique (year, version) refuses one). */
export async function nextVersion(tx: Parameters<typeof analysisSnapshot>[0], year: number): Promise<number> {
	const [row] = await tx
		.select({ last: sql<number | null>`max(${analysisVersion.version})` })
		.from(analysisVersion)
		.where(eq(analysisVersion.year, year));
	return Number(row?.last ?? 0) + 1;
}
