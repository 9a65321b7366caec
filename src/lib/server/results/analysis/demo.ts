import { desc, eq } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import type { LocalizedText } from '../../kernel/localized.ts';
import { runSystemChange } from '../../kernel/write.ts';
import { annualReport } from '../reports/schema.ts';
import { analysisQuote, analysisVersion } from './schema.ts';
import { analysisSnapshot, candidates } from './queries.ts';
import { nextVersion } from './commands.ts';

// The demo's yearly analysis: for the latest year with approved demo reports, one quote per
// principle (the first sentence of the first partnership's text) and a published version 1.
// Only when that year has no version yet, so a restart changes nothing.

/** A text's first sentence per language (an excerpt, as staff would choose one). */
function firstSentence(text: LocalizedText): LocalizedText {
	return Object.fromEntries(
		Object.entries(text).map(([l, t]) => [l, (t ?? '').match(/^.*?[.!?](?=\s|$)/s)?.[0] ?? t ?? ''])
	);
}

/** Publishes the demo analysis; returns its year, or null when there was nothing to do. */
export async function addDemoAnalysis(db: Database, today = new Date()): Promise<number | null> {
	return runSystemChange(db, async (tx) => {
		const [latest] = await tx
			.select({ year: annualReport.year })
			.from(annualReport)
			.where(eq(annualReport.status, 'approved'))
			.orderBy(desc(annualReport.year))
			.limit(1);
		const year = latest?.year;
		const none = { result: null, audit: [], public: false };
		if (year === undefined) return none;
		const [published] = await tx
			.select({ id: analysisVersion.id })
			.from(analysisVersion)
			.where(eq(analysisVersion.year, year))
			.limit(1);
		if (published) return none;

		const texts = await candidates(tx, year);
		const firstPerPrinciple = texts.filter(
			(c, i) => texts.findIndex((d) => d.principle === c.principle) === i
		);
		await tx.delete(analysisQuote).where(eq(analysisQuote.year, year));
		if (firstPerPrinciple.length)
			await tx.insert(analysisQuote).values(
				firstPerPrinciple.map((c, position) => ({
					year,
					reportId: c.reportId,
					principle: c.principle,
					excerpt: firstSentence(c.text),
					position
				}))
			);
		const snapshot = await analysisSnapshot(tx, year, today);
		await tx.insert(analysisVersion).values({ year, version: await nextVersion(tx, year), snapshot });
		return {
			result: year,
			audit: { action: 'results.demo-analysis', subject: `analysis:${year}` },
			public: true
		};
	});
}
