import { integer, jsonb, pgTable, smallint, text, index } from 'drizzle-orm/pg-core';
import type { LocalizedText } from '../kernel/localized.ts';
import { foldedColumn, wordsColumn, wordsIndex } from '../kernel/fold.ts';

/** What the site's search looks in: a goal's names, a target's code, title and text, in both languages. */
const goalTexts = [`"short_name"->>'sv'`, `"short_name"->>'en'`, `"title"->>'sv'`, `"title"->>'en'`];
const targetTexts = [`"code"`, `"title"->>'sv'`, `"title"->>'en'`, `"text"->>'sv'`, `"text"->>'en'`];

/** The 17 Global Goals with their official colours. */
export const sdgGoal = pgTable('sdg_goal', {
	number: smallint('number').primaryKey(),
	colour: text('colour').notNull(),
	/** Short name ("Ingen fattigdom"). */
	shortName: jsonb('short_name').$type<LocalizedText>().notNull(),
	/** Full goal text ("End poverty in all its forms everywhere"). */
	title: jsonb('title').$type<LocalizedText>().notNull(),
	/** The words of its names in both languages without accents, for the site's search (17 rows: no index). */
	words: wordsColumn(...goalTexts)
});

/** A target ("delmål") such as 16.7, belonging to one goal. */
export const sdgTarget = pgTable(
	'sdg_target',
	{
		code: text('code').primaryKey(),
		goal: smallint('goal')
			.notNull()
			.references(() => sdgGoal.number),
		/** Order within the goal: numeric targets first (16.1 … 16.10), then lettered (16.a, 16.b). */
		position: integer('position').notNull(),
		text: jsonb('text').$type<LocalizedText>().notNull(),
		/** A short title ("Inkluderande beslutsfattande"): the platform's own wording (data/sdg/SOURCE.md). */
		title: jsonb('title').$type<LocalizedText>().notNull().default({}),
		/** The words of its code, title and text in both languages without accents, for the site's search. */
		words: wordsColumn(...targetTexts),
		/** The short titles alone, for near matches (typos): the texts are long to compare. */
		foldedTitle: text('folded_title')
			.notNull()
			.generatedAlwaysAs(foldedColumn(`"title"->>'sv'`, `"title"->>'en'`))
	},
	(t) => [index('sdg_target_goal_idx').on(t.goal, t.position), wordsIndex('sdg_target_words_idx', t.words)]
);

/** The four democratic principles (fixed keys) and the topics editors add, rename and merge. */
export const theme = pgTable('theme', {
	key: text('key').primaryKey(),
	/** "principle" (fixed) or "topic" (editable). */
	kind: text('kind').$type<'principle' | 'topic'>().notNull(),
	name: jsonb('name').$type<LocalizedText>().notNull(),
	description: jsonb('description').$type<LocalizedText>().notNull().default({}),
	position: integer('position').notNull().default(0)
});
