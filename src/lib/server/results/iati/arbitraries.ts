import fc from 'fast-check';
import { frameworkShape, type FrameworkValues, type ResultValues } from '../input.ts';
import type { IndicatorMeasure, ResultLevel } from '../schema.ts';

// For the tests only (fast-check is a development dependency): any framework as saving it would
// leave it, with texts that need escaping in XML, every measure, breakdowns, weights and a tree
// of impacts, outcomes and outputs. Its principles and targets exist in the reference data.

const words = fc.stringMatching(/^[A-Za-zÅÄÖåäö0-9][A-Za-zÅÄÖåäö0-9 ,.&<>"'–é-]{0,24}$/);
const localized = fc.oneof(
	fc.record({ sv: words }),
	fc.record({ en: words }),
	fc.record({ sv: words, en: words })
);
const maybeText = fc.oneof(fc.constant({}), localized);
const dimensions = fc.uniqueArray(
	fc.record({ name: fc.constantFrom('sex', 'age', 'county'), value: words }),
	{
		selector: (d) => d.name,
		maxLength: 2
	}
);
const numberText = fc.oneof(
	fc.integer({ min: -1000, max: 100000 }).map(String),
	fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 99 })).map(([a, b]) => `${a}.${b}`)
);
const figure = (measure: IndicatorMeasure) =>
	fc.record({
		value: measure === 'qualitative' ? fc.constant(null) : numberText,
		comment: measure === 'qualitative' ? localized : maybeText,
		dimensions
	});
const weight = fc.option(
	fc.integer({ min: 1, max: 99_999_999 }).map((n) => n / 1000),
	{ nil: null }
);
const period = (measure: IndicatorMeasure) =>
	fc.tuple(fc.integer({ min: 2000, max: 2040 }), fc.integer({ min: 1, max: 12 })).chain(([year, month]) =>
		fc.record({
			start: fc.constant(`${year}-${String(month).padStart(2, '0')}-01`),
			end: fc.constant(`${year + 1}-${String(month).padStart(2, '0')}-01`),
			targets: fc.array(figure(measure), { maxLength: 2 }),
			actuals: fc.array(figure(measure), { maxLength: 2 })
		})
	);
const indicator = fc
	.constantFrom<IndicatorMeasure>('unit', 'percentage', 'nominal', 'ordinal', 'qualitative')
	.chain((measure) =>
		fc.record({
			measure: fc.constant(measure),
			ascending: fc.boolean(),
			aggregationStatus: fc.option(fc.boolean(), { nil: null }),
			title: localized,
			description: maybeText,
			dataSource: maybeText,
			weight,
			baselines: fc.array(
				fc.record({
					value: measure === 'qualitative' ? fc.constant(null) : numberText,
					comment: maybeText,
					dimensions,
					year: fc.integer({ min: 2000, max: 2040 }),
					isoDate: fc.option(fc.constantFrom('2020-12-31', '2023-06-30'), { nil: null })
				}),
				{ maxLength: 2 }
			),
			periods: fc.uniqueArray(period(measure), { selector: (p) => p.start, maxLength: 3 })
		})
	);
const resultOf = (level: ResultLevel, children: fc.Arbitrary<ResultValues[]>): fc.Arbitrary<ResultValues> =>
	fc.record({
		level: fc.constant(level),
		principle: fc.option(
			fc.constantFrom('participation', 'transparency', 'accountability', 'non-discrimination'),
			{
				nil: null
			}
		),
		title: localized,
		description: maybeText,
		aggregationStatus: fc.option(fc.boolean(), { nil: null }),
		weight,
		goals: fc.uniqueArray(fc.integer({ min: 1, max: 17 }), { maxLength: 3 }),
		targets: fc.uniqueArray(fc.constantFrom('16.7', '16.10', '16.6', '5.5', '11.3', '16.b', '10.2'), {
			maxLength: 3
		}),
		indicators: fc.array(indicator, { minLength: 1, maxLength: 2 }),
		children
	});
const output = resultOf('output', fc.constant([]));
const outcome = resultOf('outcome', fc.array(output, { maxLength: 2 }));
const impact = resultOf('impact', fc.array(outcome, { maxLength: 2 }));
/** A framework as saving it would leave it (texts cleaned, lists in their order). */
export const aFrameworkValues: fc.Arbitrary<FrameworkValues> = fc
	.record({ results: fc.array(fc.oneof(impact, outcome, output), { minLength: 1, maxLength: 2 }) })
	.map((raw) => frameworkShape.parse(raw));
