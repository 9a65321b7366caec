import { locales, type Locale } from '#lib/i18n/locales.ts';

// What the planning pages' forms share: the answer of the last action (what was typed and what was
// wrong, or that it was done) found for the one form it came from, and texts in the reader's language.

/** An action's answer as the pages get it back (`forAction`'s failure, or the change done). */
export interface Answer {
	action?: string;
	done?: true;
	values?: Record<string, string | string[]>;
	problems?: { field: string; message: string }[];
}

/** One form's state: its typed values after a refusal (else `initial`), its problems, whether it was done. */
export function formState(
	answer: Answer | null | undefined,
	action: string,
	initial: Record<string, string | string[]>,
	/** For a form repeated per item: the hidden field and value that say which item it was. */
	which?: [string, string]
) {
	const mine = !!answer && answer.action === action && (!which || answer.values?.[which[0]] === which[1]);
	const typed = mine && answer!.problems ? (answer!.values ?? {}) : undefined;
	const problems = mine ? answer!.problems : undefined;
	return {
		done: mine && answer!.done === true,
		problems,
		/** A field's value: as typed after a refusal (empty if it was left empty), else the initial one. */
		value(name: string): string {
			const v = typed ? typed[name] : initial[name];
			return typeof v === 'string' ? v : '';
		},
		list(name: string): string[] {
			const v = typed ? typed[name] : initial[name];
			return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
		},
		error(name: string): string | undefined {
			return problems?.find((p) => p.field === name)?.message;
		}
	};
}
export type FormState = ReturnType<typeof formState>;

/** A text in the reader's language, else in any language it has. */
export function inLocale(text: Partial<Record<string, string>>, locale: Locale): string {
	return text[locale] ?? locales.map((l) => text[l]).find(Boolean) ?? '';
}

/** A localized text as a form's initial values: `<prefix>_<locale>` for each language. */
export function perLocale(prefix: string, text: Partial<Record<string, string>>): Record<string, string> {
	return Object.fromEntries(locales.map((l) => [`${prefix}_${l}`, text[l] ?? '']));
}

/** The element ids of a form's fields (`<form>-<field>`), for the error summary's links. */
export function idsFor(form: string, problems: readonly { field: string }[] | undefined) {
	return Object.fromEntries((problems ?? []).map((p) => [p.field, `${form}-${p.field}`]));
}
