import type { Database } from '../../kernel/database.ts';
import { pick } from '../../kernel/localized.ts';
import { countedAnswers, shownTexts, type SurveyRow } from './queries.ts';
import type { SurveyQuestion } from './schema.ts';

// A survey's results as the page draws them: for each question its bars (a chart and a table of
// the same figures), counted in the database. Shares are of those who answered the question.

export interface ResultBar {
	label: string;
	/** How many chose it, or gave this point, or ranked it first. */
	count: number;
	/** 0–1: the bar's length. */
	share: number;
	/** The figure shown beside the bar: a per cent, or an average. */
	figure: string;
}

export interface QuestionResult {
	key: string;
	kind: SurveyQuestion['kind'];
	text: string;
	answered: number;
	bars: ResultBar[];
	/** Scale: the average point; matrix and ranking: each bar's figure is its average. */
	average: string | null;
	texts: { text: string; language: string }[];
}

const percent = (n: number, of: number, locale: string) =>
	of ? new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(n / of) : '–';
const decimal = (n: number, locale: string) =>
	new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(n);

/** Every question's figures, in the survey's order. */
export async function surveyResults(db: Database, row: SurveyRow, locale: string) {
	const [{ cells, answered, responses }, texts] = await Promise.all([
		countedAnswers(db, row.id),
		shownTexts(db, row.id)
	]);
	const counted = (question: string) => cells.filter((c) => c.question === question);
	const questions: QuestionResult[] = row.questions.map((q) => {
		const n = answered.get(q.key) ?? 0;
		const mine = counted(q.key);
		const base = {
			key: q.key,
			kind: q.kind,
			text: pick(q.text, locale),
			answered: n,
			average: null,
			texts: []
		};
		switch (q.kind) {
			case 'single':
			case 'multiple':
				return {
					...base,
					bars: q.options.map((o) => {
						const c = mine.filter((m) => m.item === o.key).reduce((s, m) => s + m.n, 0);
						return {
							label: pick(o.text, locale),
							count: c,
							share: n ? c / n : 0,
							figure: percent(c, n, locale)
						};
					})
				};
			case 'scale': {
				const { min, max } = q.scale!;
				const points = Array.from({ length: max - min + 1 }, (_, i) => min + i);
				const sum = mine.reduce((s, m) => s + (m.value ?? 0) * m.n, 0);
				return {
					...base,
					average: n ? decimal(sum / n, locale) : null,
					bars: points.map((p) => {
						const c = mine.find((m) => m.value === p)?.n ?? 0;
						const end = p === min ? pick(q.scale!.low, locale) : p === max ? pick(q.scale!.high, locale) : '';
						return {
							label: end ? `${p} (${end})` : String(p),
							count: c,
							share: n ? c / n : 0,
							figure: percent(c, n, locale)
						};
					})
				};
			}
			case 'ranking': {
				// Bars by average place, best first: the length is how near the top it came on average.
				const places = q.options.length;
				const bars = q.options.map((o) => {
					const of = mine.filter((m) => m.item === o.key);
					const total = of.reduce((s, m) => s + m.n, 0);
					const average = total ? of.reduce((s, m) => s + (m.value ?? 0) * m.n, 0) / total : places;
					return {
						label: pick(o.text, locale),
						count: of.find((m) => m.value === 1)?.n ?? 0,
						share: places > 1 ? (places - average) / (places - 1) : 1,
						figure: decimal(average, locale),
						average
					};
				});
				bars.sort((a, b) => a.average - b.average);
				return { ...base, bars: bars.map(({ average: _, ...b }) => b) };
			}
			case 'matrix': {
				const { min, max } = q.scale!;
				return {
					...base,
					bars: q.options.map((o) => {
						const of = mine.filter((m) => m.item === o.key);
						const total = of.reduce((s, m) => s + m.n, 0);
						const average = total ? of.reduce((s, m) => s + (m.value ?? 0) * m.n, 0) / total : min;
						return {
							label: pick(o.text, locale),
							count: total,
							share: max > min ? (average - min) / (max - min) : 0,
							figure: total ? decimal(average, locale) : '–'
						};
					})
				};
			}
			case 'text':
				return {
					...base,
					bars: [],
					texts: texts
						.filter((t) => t.question === q.key)
						.map((t) => ({ text: t.text ?? '', language: t.language }))
				};
		}
	});
	return { responses, questions };
}
