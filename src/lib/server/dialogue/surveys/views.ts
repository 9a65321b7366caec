import { pick } from '../../kernel/localized.ts';
import { messages, type Locale } from '#lib/i18n/index.ts';
import type { SurveyRow, responsesForDownload } from './queries.ts';

// What the pages and downloads show of a survey: its questions in the reader's language, part by
// part, and the responses as CSV rows (one column per question, or per option of a ranking and per
// statement of a matrix).

/** The survey's parts with their questions, in the reader's language. */
export function surveyView(row: SurveyRow, locale: string) {
	const parts = [...new Set(row.questions.map((q) => q.section))].sort((a, b) => a - b);
	return {
		slug: row.slug,
		title: pick(row.title, locale),
		intro: pick(row.intro, locale),
		opensOn: row.opensOn,
		closesOn: row.closesOn,
		respondents: row.respondents,
		resultsPublic: row.resultsPublic,
		sections: parts.map((section) => ({
			section,
			heading: pick(row.sections[section], locale),
			questions: row.questions
				.map((q, i) => ({ q, number: i + 1 }))
				.filter(({ q }) => q.section === section)
				.map(({ q, number }) => ({
					key: q.key,
					number,
					kind: q.kind,
					text: pick(q.text, locale),
					required: q.required,
					options: q.options.map((o) => ({ key: o.key, text: pick(o.text, locale) })),
					maxChoices: q.maxChoices,
					scale: q.scale && {
						min: q.scale.min,
						max: q.scale.max,
						low: pick(q.scale.low, locale),
						high: pick(q.scale.high, locale)
					},
					condition: q.condition
				}))
		}))
	};
}
export type SurveyView = ReturnType<typeof surveyView>;

/** The responses as CSV: the public file without names (and only reviewed free text), the full one with them. */
export function responsesCsv(
	row: SurveyRow,
	responses: Awaited<ReturnType<typeof responsesForDownload>>,
	locale: Locale,
	full: boolean
) {
	const t = messages(locale).dialogue.surveys.csvColumns;
	const columns: { question: string; item: string; title: string; kind: string }[] = [];
	row.questions.forEach((q, i) => {
		const title = `${i + 1}. ${pick(q.text, locale)}`;
		if (q.kind === 'ranking' || q.kind === 'matrix') {
			for (const o of q.options)
				columns.push({
					question: q.key,
					item: o.key,
					title: `${title}: ${pick(o.text, locale)}`,
					kind: q.kind
				});
		} else columns.push({ question: q.key, item: '', title, kind: q.kind });
	});
	const optionText = new Map(
		row.questions.flatMap((q) => q.options.map((o) => [`${q.key}/${o.key}`, pick(o.text, locale)]))
	);
	const header = [
		t.response,
		t.submitted,
		t.language,
		...(full ? [t.name, t.email] : []),
		...columns.map((c) => c.title)
	];
	const records = responses.map((r, n) => {
		const cells = columns.map((c) => {
			const mine = r.answers.filter((a) => a.question === c.question);
			if (c.kind === 'single' || c.kind === 'multiple')
				return mine.map((a) => optionText.get(`${c.question}/${a.item}`) ?? a.item).join('; ');
			if (c.kind === 'text') return mine[0]?.text ?? '';
			const one = mine.find((a) => a.item === c.item);
			return one?.value ?? '';
		});
		// The public file numbers responses in order, so no stored id is given away.
		return [
			full ? r.id : n + 1,
			r.submittedAt.toISOString().slice(0, 10),
			r.language,
			...(full ? [r.name ?? '', r.email ?? ''] : []),
			...cells
		];
	});
	return { header, records };
}
