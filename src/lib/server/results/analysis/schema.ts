import {
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	serial,
	smallint,
	text,
	timestamp,
	unique
} from 'drizzle-orm/pg-core';
import type { LocalizedText } from '../../kernel/localized.ts';
import { theme } from '../../taxonomy/schema.ts';
import { user } from '../../accounts/schema.ts';
import { annualReport } from '../reports/schema.ts';
import type { AnalysisSnapshot } from './snapshot.ts';

// The programme's yearly analysis: the quotes staff choose from the approved reports' texts, and
// each published version frozen as the page showed it, so a cited version never changes.

/**
 * A principle text of a report chosen for the year's analysis. The report and principle are
 * referenced apart (not the report_principle row): saving a reopened report rewrites its rows,
 * and the choice should outlive that. Only approved reports' texts are shown.
 */
export const analysisQuote = pgTable(
	'analysis_quote',
	{
		year: smallint('year').notNull(),
		reportId: integer('report_id')
			.notNull()
			.references(() => annualReport.id, { onDelete: 'cascade' }),
		principle: text('principle')
			.notNull()
			.references(() => theme.key),
		/** The chosen part per language; a language without one quotes the whole text. */
		excerpt: jsonb('excerpt').$type<LocalizedText>().notNull().default({}),
		position: smallint('position').notNull().default(0),
		chosenBy: text('chosen_by').references(() => user.id, { onDelete: 'set null' }),
		chosenAt: timestamp('chosen_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.year, t.reportId, t.principle] }),
		index('analysis_quote_report_idx').on(t.reportId),
		index('analysis_quote_chosen_by_idx').on(t.chosenBy),
		index('analysis_quote_principle_idx').on(t.principle)
	]
);

/** A published version of a year's analysis: everything the page shows, as it was. */
export const analysisVersion = pgTable(
	'analysis_version',
	{
		id: serial('id').primaryKey(),
		year: smallint('year').notNull(),
		version: smallint('version').notNull(),
		publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
		publishedBy: text('published_by').references(() => user.id, { onDelete: 'set null' }),
		snapshot: jsonb('snapshot').$type<AnalysisSnapshot>().notNull()
	},
	(t) => [
		unique('analysis_version_year_version').on(t.year, t.version),
		index('analysis_version_published_by_idx').on(t.publishedBy)
	]
);
