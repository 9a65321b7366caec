import { z } from 'zod';
import { locales, type Locale } from '#lib/i18n/index.ts';
import { fields, line, paragraphs, requiredLine } from '../kernel/input.ts';
import { indicatorMeasures, resultLevels } from './schema.ts';
import type { Framework } from './queries.ts';
import { isIsoDate, isDecimal } from './iati/codes.ts';

/**
 * A partnership's whole framework as a command takes it (replaceFramework): the result tree with
 * its indicators, baselines, periods, targets and actuals, without database ids. The IATI import
 * reads a file into this shape; `frameworkValues` gives the stored framework in it. Texts are
 * cleaned as every form's are; lists come out in one order (periods by date, breakdowns by name,
 * goals and targets by number), so two equal frameworks are equal values.
 */

const text = (schema: z.ZodType<string, string>) =>
	z
		.partialRecord(z.enum(locales), schema)
		.transform((t): Partial<Record<Locale, string>> =>
			Object.fromEntries(locales.filter((l) => t[l]).map((l) => [l, t[l]!]))
		);
const titled = text(line(300)).refine((t) => Object.keys(t).length > 0, 'required');

const date = z.string('invalidDate').refine(isIsoDate, 'invalidDate');
const weight = z
	.number('invalidWeight')
	.positive('invalidWeight')
	.max(99_999.999, 'invalidWeight')
	.refine((w) => Math.abs(Math.round(w * 1000) - w * 1000) < 1e-6, 'invalidWeight')
	.nullable();

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const figure = z.object({
	value: line(100).nullable(),
	comment: text(paragraphs(2000)),
	dimensions: z
		.array(z.object({ name: requiredLine(100), value: requiredLine(100) }))
		.max(10, 'tooMany')
		.refine((d) => new Set(d.map((x) => x.name)).size === d.length, 'dimensionTwice')
		.transform((d) => d.toSorted(byName))
});
const figures = z.array(figure).max(50, 'tooMany');
const baseline = figure.extend({
	year: z.number('invalidYear').int('invalidYear').min(1900, 'invalidYear').max(2200, 'invalidYear'),
	isoDate: date.nullable()
});
const period = z
	.object({ start: date, end: date, targets: figures, actuals: figures })
	.refine((p) => p.start < p.end, { message: 'periodOrder', path: ['end'] });

const indicator = z
	.object({
		measure: z.enum(indicatorMeasures, 'unknownMeasure'),
		ascending: z.boolean(),
		aggregationStatus: z.boolean().nullable(),
		title: titled,
		description: text(paragraphs(4000)),
		dataSource: text(line(300)),
		weight,
		baselines: z.array(baseline).max(50, 'tooMany'),
		periods: z
			.array(period)
			.max(40, 'tooMany')
			.refine((ps) => new Set(ps.map((p) => `${p.start}/${p.end}`)).size === ps.length, 'periodTwice')
			.transform((ps) => ps.toSorted((a, b) => (a.start + a.end < b.start + b.end ? -1 : 1)))
	})
	.superRefine((i, ctx) => {
		// The standard's value rule (iati/rules.ts), so that what is saved is what IATI accepts.
		const check = (f: { value: string | null }, path: (string | number)[]) => {
			if (i.measure === 'qualitative' ? f.value !== null : f.value === null || !isDecimal(f.value)) {
				ctx.addIssue({
					code: 'custom',
					message:
						i.measure === 'qualitative'
							? 'valueForQualitative'
							: f.value === null
								? 'missingValue'
								: 'notNumeric',
					path: [...path, 'value']
				});
			}
		};
		i.baselines.forEach((b, n) => check(b, ['baselines', n]));
		i.periods.forEach((p, n) => {
			p.targets.forEach((f, m) => check(f, ['periods', n, 'targets', m]));
			p.actuals.forEach((f, m) => check(f, ['periods', n, 'actuals', m]));
		});
	});

const byCode = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

export interface ResultValues {
	level: (typeof resultLevels)[number];
	principle: string | null;
	title: Partial<Record<Locale, string>>;
	description: Partial<Record<Locale, string>>;
	aggregationStatus: boolean | null;
	weight: number | null;
	goals: number[];
	targets: string[];
	indicators: z.output<typeof indicator>[];
	children: ResultValues[];
}

const result: z.ZodType<ResultValues, unknown> = z.lazy(() =>
	z.object({
		level: z.enum(resultLevels, 'unknownResultType'),
		principle: fields.theme.nullable(),
		title: titled,
		description: text(paragraphs(4000)),
		aggregationStatus: z.boolean().nullable(),
		weight,
		goals: z
			.array(z.number().int().min(1, 'unknownSdgGoal').max(17, 'unknownSdgGoal'))
			.max(17, 'tooMany')
			.transform((g) => [...new Set(g)].toSorted((a, b) => a - b)),
		targets: z
			.array(fields.target)
			.max(50, 'tooMany')
			.transform((t) => [...new Set(t)].toSorted(byCode)),
		indicators: z.array(indicator).max(30, 'tooMany'),
		children: z.array(result).max(50, 'tooMany')
	})
);

/** The whole framework: at most 200 results, 1,000 indicators and 20,000 figures in all. */
export const frameworkShape = z.object({ results: z.array(result).max(50, 'tooMany') }).refine((f) => {
	const all = flat(f.results);
	const indicators = all.flatMap((r) => r.indicators);
	const figures = indicators.reduce(
		(n, i) => n + i.baselines.length + i.periods.reduce((m, p) => m + p.targets.length + p.actuals.length, 0),
		0
	);
	return all.length <= 200 && indicators.length <= 1000 && figures <= 20_000;
}, 'tooMany');
export type FrameworkValues = z.output<typeof frameworkShape>;
export type IndicatorValues = ResultValues['indicators'][number];

const flat = (rs: readonly ResultValues[]): ResultValues[] => rs.flatMap((r) => [r, ...flat(r.children)]);

/** A stored framework in the command's shape (what an unchanged import gives back). */
export function frameworkValues(framework: Framework): FrameworkValues {
	const figureOf = (f: Framework['results'][number]['indicators'][number]['baselines'][number]) => ({
		value: f.value,
		comment: f.comment,
		dimensions: f.dimensions
	});
	const resultOf = (r: Framework['results'][number]): ResultValues => ({
		level: r.level,
		principle: r.principle,
		title: r.title,
		description: r.description,
		aggregationStatus: r.aggregationStatus,
		weight: r.weight,
		goals: r.goals,
		targets: r.targets,
		indicators: r.indicators.map((i) => ({
			measure: i.measure,
			ascending: i.ascending,
			aggregationStatus: i.aggregationStatus,
			title: i.title,
			description: i.description,
			dataSource: i.dataSource,
			weight: i.weight,
			baselines: i.baselines.map((b) => ({ ...figureOf(b), year: b.year!, isoDate: b.isoDate })),
			periods: i.periods.map((p) => ({
				start: p.start,
				end: p.end,
				targets: p.targets.map(figureOf),
				actuals: p.actuals.map(figureOf)
			}))
		})),
		children: r.children.map(resultOf)
	});
	return frameworkShape.parse({ results: framework.results.map(resultOf) });
}
