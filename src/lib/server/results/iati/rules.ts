import { isDecimal, isIsoDate, measureOf } from './codes.ts';
import type { IatiActivity, IatiFigure } from './read.ts';

// The IATI standard's rules for the result element that its schema cannot express (FACTS.md):
// a period starts before it ends; baselines, targets and actuals carry a numeric @value when the
// measure is 1–4 and none when it is qualitative (5), whose text goes in the comment; references
// at the result or at its indicators, not both. The export's tests check every file against
// them, and the import refuses a file that breaks them, element by element.

export type RuleCode =
	'invalidDate' | 'periodOrder' | 'missingValue' | 'notNumeric' | 'valueForQualitative' | 'referencesTwice';

export interface RuleProblem {
	/** Where in the file: "result[2]/indicator[1]/period[3]". */
	path: string;
	code: RuleCode;
	params?: Record<string, string>;
}

/** Whether a figure's @value fits its indicator's measure (nothing to say of an unknown measure). */
export function valueProblem(measure: string | undefined, value: string | undefined | null): RuleCode | null {
	const m = measureOf(measure);
	if (!m) return null;
	if (m === 'qualitative') return value == null ? null : 'valueForQualitative';
	if (value == null || value === '') return 'missingValue';
	return isDecimal(value) ? null : 'notNumeric';
}

/** Every break of the result rules in one activity, in the file's order. */
export function resultRuleProblems(activity: IatiActivity): RuleProblem[] {
	const problems: RuleProblem[] = [];
	for (const result of activity.results) {
		if (result.references.length && result.indicators.some((i) => i.references.length)) {
			problems.push({ path: result.path, code: 'referencesTwice' });
		}
		for (const indicator of result.indicators) {
			const figure = (f: IatiFigure) => {
				const code = valueProblem(indicator.measure, f.value);
				if (code) problems.push({ path: f.path, code, params: { value: f.value ?? '' } });
				if (f.isoDate !== undefined && !isIsoDate(f.isoDate)) {
					problems.push({ path: f.path, code: 'invalidDate', params: { value: f.isoDate } });
				}
			};
			indicator.baselines.forEach(figure);
			for (const period of indicator.periods) {
				const bad = [period.start, period.end].find((d) => !isIsoDate(d));
				if (bad !== undefined || period.start === undefined || period.end === undefined) {
					problems.push({ path: period.path, code: 'invalidDate', params: { value: bad ?? '' } });
				} else if (!(period.start < period.end)) {
					problems.push({
						path: period.path,
						code: 'periodOrder',
						params: { start: period.start, end: period.end }
					});
				}
				period.targets.forEach(figure);
				period.actuals.forEach(figure);
			}
		}
	}
	return problems;
}
