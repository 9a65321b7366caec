import { strToU8, zipSync } from 'fflate';
import type { Locale } from '#lib/i18n/index.ts';
import type { Database } from '../../kernel/database.ts';
import { spaceData } from './space.ts';
import { answerTable, commentTable, historyTable, proposalTable } from './tables.ts';
import { tableBytes } from './csv.ts';
import { readme } from './readme.ts';

/**
 * A space's open data as one zip file: proposals.csv, comments.csv, answers.csv, history.csv
 * (each as the API writes CSV) and a README.md describing every column, in Swedish and English.
 * Made in memory: a space's public input is text, a few megabytes at the most, and compresses
 * well (decision 14).
 */
export async function spaceZip(
	db: Database,
	origin: string,
	locale: Locale,
	slug: string,
	madeAt = new Date()
): Promise<{ slug: string; bytes: Uint8Array<ArrayBuffer> }> {
	const data = await spaceData(db, slug);
	const tables = {
		proposals: proposalTable(origin, locale),
		comments: commentTable(origin, locale),
		answers: answerTable(origin, locale, data.space.slug),
		history: historyTable(data.space.slug)
	};
	const [proposals, comments, answers, history] = await Promise.all([
		tableBytes(tables.proposals, data.proposals),
		tableBytes(tables.comments, data.comments),
		tableBytes(tables.answers, data.answers),
		tableBytes(tables.history, data.history)
	]);
	const text = readme(origin, data.space, Object.values(tables), madeAt);
	const bytes = zipSync(
		{
			'README.md': strToU8(text),
			'proposals.csv': proposals,
			'comments.csv': comments,
			'answers.csv': answers,
			'history.csv': history
		},
		{ level: 6, mtime: madeAt }
	);
	return { slug: data.space.slug, bytes };
}
