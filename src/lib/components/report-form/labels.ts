import type { Locale } from '#lib/i18n/locales.ts';

/** What the form needs of the page's data to name its fields. */
export interface FormShape {
	fields: { lessons: Record<string, string>; plans: Record<string, string> };
	principles: {
		name: string;
		names: { text: Record<string, string>; score: string; reasoning: Record<string, string> };
	}[];
	periods: { indicator: string; names: { value: string; comment: Record<string, string> } }[];
}

interface Words {
	lessons: string;
	plans: string;
	principleText: string;
	score: string;
	reasoning: string;
	actual: string;
	comment: string;
	languages: Record<string, string>;
	inLanguage: string;
	about: string;
}

type Format = (template: string, params: Record<string, string>) => string;

/**
 * Each field's label, by its name. The report's fields are named after principles and periods
 * (`text_participation_en`), which the catalogue cannot list, so the page names them.
 */
export function fieldLabels(shape: FormShape, t: Words, locales: readonly Locale[], format: Format) {
	const labels: Record<string, string> = {};
	const inLanguage = (label: string, l: string) => format(t.inLanguage, { label, language: t.languages[l]! });
	const about = (label: string, subject: string) => format(t.about, { label, subject });
	for (const l of locales) {
		labels[shape.fields.lessons[l]!] = inLanguage(t.lessons, l);
		labels[shape.fields.plans[l]!] = inLanguage(t.plans, l);
	}
	for (const p of shape.principles) {
		labels[p.names.score] = about(t.score, p.name);
		for (const l of locales) {
			labels[p.names.text[l]!] = about(inLanguage(t.principleText, l), p.name);
			labels[p.names.reasoning[l]!] = about(inLanguage(t.reasoning, l), p.name);
		}
	}
	for (const p of shape.periods) {
		labels[p.names.value] = about(t.actual, p.indicator);
		for (const l of locales) labels[p.names.comment[l]!] = about(inLanguage(t.comment, l), p.indicator);
	}
	return labels;
}

/**
 * A message as the server wrote it ("<label>: <text>"), with the page's label where the server
 * knew only the field's name.
 */
export function relabel(
	problems: readonly { field: string; message: string }[] | undefined,
	labels: Record<string, string>
) {
	return problems?.map((p) => {
		const label = labels[p.field];
		return label && p.message.startsWith(`${p.field}: `)
			? { ...p, message: label + p.message.slice(p.field.length) }
			: p;
	});
}
