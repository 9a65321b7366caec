import { format, locales, messages, type Locale } from '#lib/i18n/index.ts';
import { pick } from '../../kernel/localized.ts';
import { answerStates, proposalEventKinds, proposalStatuses, stances } from '#lib/dialogue-values.ts';
import { publicProposalStatuses } from '../spaces/input.ts';
import type { SpaceRef } from './queries.ts';
import { describedAs, type Table, type TableName } from './tables.ts';
import { commentStates, pages } from './views.ts';

/**
 * The README.md of a space's data.zip: in Swedish, then in English (every language of the
 * platform, Swedish first), what the files are, their format, what they leave out, and every
 * column of every file with the values it takes.
 */

/** The values a column takes, as `code` (name) where the code has a name on the pages. */
function valuesOf(locale: Locale, table: TableName, column: string): string | null {
	const m = messages(locale).dialogue;
	const named = <T extends string>(codes: readonly T[], names?: Record<T, string>) =>
		codes.map((c) => (names ? `\`${c}\` (${names[c]})` : `\`${c}\``)).join(', ');
	const key = `${table}.${column}`;
	switch (key) {
		case 'proposals.status':
			return named(publicProposalStatuses, m.proposalStatuses);
		case 'proposals.answer_state':
		case 'answers.state':
		case 'history.answer_state':
			return named(answerStates, m.answerStates);
		case 'comments.stance':
			return named(stances, m.stances);
		case 'comments.state':
			return named(commentStates);
		case 'history.kind':
			return named(proposalEventKinds, m.proposals.events);
		case 'history.hidden_by':
			return named(['flags', 'moderator'] as const);
		case 'history.from_status':
			return named(
				proposalStatuses.filter((s) => ['screening', 'collecting', 'to-answer'].includes(s)),
				m.proposalStatuses
			);
		default:
			return null;
	}
}

/** Text safe in a Markdown table cell: one line, pipes escaped. */
const cell = (text: string) => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');

function describe(locale: Locale, table: Table<unknown>, column: string): string {
	const m = messages(locale);
	const descriptions = m.dialogue.opendata.columns[table.name] as Record<string, string>;
	const stem = describedAs(column);
	const language = column === stem ? '' : m.language[column.slice(stem.length + 1) as Locale];
	const text = format(descriptions[stem] ?? '', { former: m.dialogue.formerParticipant, language });
	const values = valuesOf(locale, table.name, column);
	return values ? `${text} ${format(m.dialogue.opendata.readme.values, { values })}` : text;
}

/** One language's part of the README. */
function part(
	locale: Locale,
	origin: string,
	space: SpaceRef,
	tables: Table<unknown>[],
	madeAt: Date
): string {
	const m = messages(locale);
	const t = m.dialogue.opendata.readme;
	const title = pick(space.title, locale);
	const lines = [
		`# ${format(t.title, { space: title })}`,
		'',
		format(t.intro, {
			space: title,
			time: madeAt.toISOString(),
			url: pages(origin, locale).space(space.slug)
		}),
		'',
		`## ${t.filesTitle}`,
		'',
		...tables.map((table) => `- \`${table.name}.csv\`: ${t.files[table.name]}`),
		'',
		`## ${t.formatTitle}`,
		'',
		t.format,
		'',
		`## ${t.privacyTitle}`,
		'',
		format(t.privacy, { former: m.dialogue.formerParticipant })
	];
	for (const table of tables) {
		lines.push(
			'',
			`## ${table.name}.csv`,
			'',
			`| ${t.columnHeading} | ${t.descriptionHeading} |`,
			'| --- | --- |'
		);
		for (const column of table.header) {
			lines.push(`| \`${column}\` | ${cell(describe(locale, table, column))} |`);
		}
	}
	return lines.join('\n');
}

/** The README in every language, Swedish first, parts divided by a rule. */
export function readme(origin: string, space: SpaceRef, tables: Table<unknown>[], madeAt: Date): string {
	return locales.map((l) => part(l, origin, space, tables, madeAt)).join('\n\n---\n\n') + '\n';
}

/** Whether every column of a table has a description in every language (for the tests). */
export function undescribedColumns(table: Table<unknown>): string[] {
	return locales.flatMap((l) => {
		const descriptions = messages(l).dialogue.opendata.columns[table.name] as Record<string, string>;
		return table.header.filter((c) => !descriptions[describedAs(c)]).map((c) => `${l}:${c}`);
	});
}
