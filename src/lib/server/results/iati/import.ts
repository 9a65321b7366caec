import { locales, type Locale } from '#lib/i18n/index.ts';
import type { Database } from '../../kernel/database.ts';
import { ValidationError, type FieldProblem } from '../../kernel/errors.ts';
import type { Actor } from '../../kernel/policy.ts';
import { replaceFramework, type Replaced } from '../commands.ts';
import type { FrameworkValues, IndicatorValues, ResultValues } from '../input.ts';
import { booleanOf, goalVocabularyUri, levelOf, measureOf, targetVocabularyUri } from './codes.ts';
import { readIati, type IatiActivity, type IatiFigure, type IatiResult, type Narrative } from './read.ts';
import { resultRuleProblems } from './rules.ts';

// IATI result XML into a partnership's framework: the export's mapping backwards (decision 16).
// Codes may be written as codes or as the codelist's names ("output", "Unit"); anything else is
// refused where it stands, with the element's place in the file. What the framework has no place
// for (locations, document links, other vocabularies' references, languages we do not show) is
// listed as left out, never silently.

/** The largest file the import reads (a framework is a few hundred kilobytes at most). */
export const maxIatiBytes = 5 * 1024 * 1024;

export interface ImportProblem {
	/** Where in the file ("result[2]/indicator[1]/@measure"), or "file". */
	path: string;
	/** Its line in the file, when the reader knows it (a file that is not well-formed XML). */
	line?: number;
	code: string;
	params?: Record<string, string>;
}

export interface IatiReading {
	/** The framework, when the file has no problem. */
	values: FrameworkValues | null;
	problems: ImportProblem[];
	/** What the file holds that the framework keeps nothing of. */
	leftOut: ImportProblem[];
	/** Where in the file the value at a path of `values` came from. */
	locate: (path: readonly PropertyKey[]) => string;
	/** The element a result, indicator, period or figure of `values` was read from. */
	placeOf: (node: object) => string | undefined;
}

/** Reads the results of the file's activity (the one with `identifier` when it holds several). */
export function readFramework(xml: string, identifier?: string): IatiReading {
	const nowhere = { values: null, leftOut: [], locate: () => 'file', placeOf: () => undefined };
	if (Buffer.byteLength(xml) > maxIatiBytes) {
		return {
			...nowhere,
			problems: [{ path: 'file', code: 'tooLarge', params: { max: String(maxIatiBytes / 1024 / 1024) } }]
		};
	}
	const read = readIati(xml);
	if (!read.ok) {
		return {
			...nowhere,
			problems: [
				{
					path: 'file',
					...(read.line ? { line: read.line } : {}),
					code: read.code,
					params: { line: String(read.line ?? '') }
				}
			]
		};
	}
	const chosen =
		read.activities.length === 1
			? read.activities[0]
			: read.activities.find((a) => identifier !== undefined && a.identifier === identifier);
	if (!chosen) {
		return {
			...nowhere,
			problems: [
				{ path: 'file', code: 'severalActivities', params: { count: String(read.activities.length) } }
			]
		};
	}
	return readActivity(chosen);
}

/** A field of the framework as the file names it. */
const inFile: Record<string, string> = {
	value: '@value',
	year: '@year',
	isoDate: '@iso-date',
	weight: '@weight',
	measure: '@measure',
	level: '@type',
	principle: '@principle',
	start: 'period-start',
	end: 'period-end',
	dataSource: 'data-source',
	goals: 'reference',
	targets: 'reference',
	dimensions: 'dimension'
};

/** The results of one activity of a file (read.ts `readIati`) as a framework, element by element. */
export function readActivity(activity: IatiActivity): IatiReading {
	const problems: ImportProblem[] = resultRuleProblems(activity).map((p) => ({ ...p }));
	const leftOut: ImportProblem[] = [];
	const origin = new WeakMap<object, string>();
	const problem = (path: string, code: string, params?: Record<string, string>) =>
		problems.push({ path, code, ...(params ? { params } : {}) });

	const textOf = (ns: Narrative[], path: string): Partial<Record<Locale, string>> => {
		const out: Partial<Record<Locale, string>> = {};
		for (const n of ns) {
			// A narrative without a language is in the activity's; without that too, in English.
			const lang = (n.lang ?? 'en').toLowerCase();
			if (!(locales as readonly string[]).includes(lang)) {
				if (!leftOut.some((l) => l.path === path && l.params?.lang === lang))
					leftOut.push({ path, code: 'otherLanguage', params: { lang } });
				continue;
			}
			const l = lang as Locale;
			if (out[l] !== undefined && out[l] !== n.text) problem(path, 'twoTexts', { lang });
			else if (n.text) out[l] = n.text;
		}
		return out;
	};
	const flag = (path: string, written: string | undefined, name: string): boolean | null => {
		if (written === undefined) return null;
		const b = booleanOf(written);
		if (b === undefined) problem(`${path}/@${name}`, 'invalidBoolean', { value: written });
		return b ?? null;
	};
	const number = (path: string, written: string | undefined): number | null => {
		if (written === undefined) return null;
		const n = Number(written);
		if (!/^\d+(\.\d+)?$/.test(written.trim()) || !(n > 0)) problem(path, 'invalidWeight', { value: written });
		return n;
	};
	const ignore = (path: string, names: string[]) =>
		names.forEach((element) => leftOut.push({ path, code: 'notKept', params: { element } }));
	const figureOf = (f: IatiFigure) => {
		ignore(f.path, f.ignored);
		const dims = f.dimensions.flatMap((d, i) => {
			if (!d.name || !d.value) {
				problem(`${f.path}/dimension[${i + 1}]`, 'invalidDimension');
				return [];
			}
			return [{ name: d.name, value: d.value }];
		});
		const out = { value: f.value ?? null, comment: textOf(f.comment, `${f.path}/comment`), dimensions: dims };
		origin.set(out, f.path);
		return out;
	};

	const indicatorOf =
		(r: IatiResult) =>
		(i: IatiResult['indicators'][number]): IndicatorValues => {
			const measure = measureOf(i.measure);
			if (!measure) problem(`${i.path}/@measure`, 'unknownMeasure', { value: i.measure ?? '' });
			if (!i.title.length) problem(`${i.path}/title`, 'required');
			if (i.references.length && !r.references.length)
				i.references.forEach((_, n) => ignore(`${i.path}/reference[${n + 1}]`, ['reference']));
			ignore(i.path, i.ignored);
			const out: IndicatorValues = {
				measure: measure ?? 'unit',
				ascending: flag(i.path, i.ascending, 'ascending') ?? true,
				aggregationStatus: flag(i.path, i.aggregationStatus, 'aggregation-status'),
				title: textOf(i.title, `${i.path}/title`),
				description: textOf(i.description, `${i.path}/description`),
				dataSource: textOf(i.dataSource, `${i.path}/data-source`),
				weight: number(`${i.path}/@weight`, i.weight),
				baselines: i.baselines.map((b) => {
					const year = Number(b.year);
					if (!b.year || !/^\d{4}$/.test(b.year.trim()))
						problem(`${b.path}/@year`, 'invalidYear', { value: b.year ?? '' });
					const out = { ...figureOf(b), year, isoDate: b.isoDate ?? null };
					origin.set(out, b.path);
					return out;
				}),
				periods: i.periods.map((p) => {
					const out = {
						start: p.start ?? '',
						end: p.end ?? '',
						targets: p.targets.map(figureOf),
						actuals: p.actuals.map(figureOf)
					};
					origin.set(out, p.path);
					return out;
				})
			};
			origin.set(out, i.path);
			return out;
		};

	// The tree: a result names its parent by place (ours); a file without that is one level.
	const flat: ResultValues[] = [];
	const roots: ResultValues[] = [];
	activity.results.forEach((r, index) => {
		const level = levelOf(r.type);
		if (!level) problem(`${r.path}/@type`, 'unknownResultType', { value: r.type ?? '' });
		if (!r.title.length) problem(`${r.path}/title`, 'required');
		ignore(r.path, r.ignored);
		const goals: number[] = [];
		const targets: string[] = [];
		r.references.forEach((ref, n) => {
			const at = `${r.path}/reference[${n + 1}]`;
			if (ref.uri === goalVocabularyUri && /^\d{1,2}$/.test(ref.code ?? '')) goals.push(Number(ref.code));
			else if (ref.uri === targetVocabularyUri && ref.code) targets.push(ref.code);
			else ignore(at, ['reference']);
		});
		const node: ResultValues = {
			level: level ?? 'output',
			principle: r.principle ?? null,
			title: textOf(r.title, `${r.path}/title`),
			description: textOf(r.description, `${r.path}/description`),
			aggregationStatus: flag(r.path, r.aggregationStatus, 'aggregation-status'),
			weight: number(`${r.path}/@weight`, r.weight),
			goals,
			targets,
			indicators: r.indicators.map(indicatorOf(r)),
			children: []
		};
		origin.set(node, r.path);
		flat.push(node);
		if (r.parent === undefined) roots.push(node);
		else {
			const at = Number(r.parent);
			// Only a result written before this one: the tree cannot loop.
			const parent = /^\d+$/.test(r.parent) && at >= 1 && at <= index ? flat[at - 1] : undefined;
			if (!parent) problem(`${r.path}/@parent`, 'unknownParent', { value: r.parent });
			(parent ? parent.children : roots).push(node);
		}
	});
	if (!activity.results.length) problem(activity.path, 'noResults');

	const values: FrameworkValues = { results: roots };
	const locate = (path: readonly PropertyKey[]) => {
		let node: unknown = values;
		let found = 'file';
		let rest: PropertyKey[] = [];
		for (const key of path) {
			if (node === null || typeof node !== 'object') break;
			node = (node as Record<PropertyKey, unknown>)[key];
			rest.push(key);
			const at = node !== null && typeof node === 'object' ? origin.get(node) : undefined;
			if (at) [found, rest] = [at, []];
		}
		const last = rest.filter((k) => typeof k === 'string' && !locales.includes(k as Locale)).at(-1);
		return last === undefined ? found : `${found}/${inFile[String(last)] ?? String(last)}`;
	};
	const placeOf = (node: object) => origin.get(node);
	return { values: problems.length ? null : values, problems, leftOut, locate, placeOf };
}

/** The problems of a reading as a form's error, one per element. */
export function readingError(problems: readonly ImportProblem[]): ValidationError<'results'> {
	return new ValidationError(
		problems.map((p) => ({ field: p.path, code: p.code, params: p.params }) as FieldProblem<'results'>),
		'results'
	);
}

/**
 * Replaces a partnership's framework with the results of an IATI file (its coordinator, or the
 * programme's editors): the file is read only once the person may, and nothing is saved unless
 * every element can be.
 */
export async function importIatiFramework(
	db: Database,
	actor: Actor,
	slug: string,
	xml: string,
	identifier?: string
): Promise<Replaced & { leftOut: ImportProblem[] }> {
	let leftOut: ImportProblem[] = [];
	const replaced = await replaceFramework(db, actor, slug, 'iati', () => {
		const reading = readFramework(xml, identifier);
		if (!reading.values) throw readingError(reading.problems);
		leftOut = reading.leftOut;
		return { values: reading.values, locate: reading.locate };
	});
	return { ...replaced, leftOut };
}
