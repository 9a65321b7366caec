import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { frameworkShape, type FrameworkValues, type ResultValues } from '../input.ts';
import type { ResultLevel } from '../schema.ts';
import { aFrameworkValues } from './arbitraries.ts';
import { activitiesXml, activityElement, type ActivitySource } from './export.ts';
import { readFramework } from './import.ts';
import { readIati } from './read.ts';
import { resultRuleProblems } from './rules.ts';
import { xsdProblems } from './xsd.ts';

// The IATI file without a database: a framework → its activity file, valid against the official
// schema and the standard's result rules → read back → the same framework → the same file.

const example = readFileSync(
	path.resolve(import.meta.dirname, '../../../../../data/iati/example-results.xml'),
	'utf8'
);

const facts = (results: readonly ResultValues[]): ActivitySource => ({
	slug: 'ale-ghanzi',
	status: 'active',
	startYear: 2021,
	endYear: 2026,
	createdAt: new Date('2021-01-15T10:00:00Z'),
	summary: { sv: 'Ett partnerskap om unga och demokrati.', en: 'A partnership on youth and democracy.' },
	members: [
		{ name: { sv: 'Ale kommun', en: 'Ale Municipality' }, kind: 'municipality', swedish: true },
		{
			name: { sv: 'Ghanzi District Council', en: 'Ghanzi District Council' },
			kind: 'district',
			swedish: false
		}
	],
	framework: { results }
});
const fileOf = (values: FrameworkValues) => activitiesXml([activityElement(facts(values.results))]);
const rulesOf = (xml: string) => {
	const read = readIati(xml);
	if (!read.ok) throw new Error(read.code);
	return read.activities.flatMap(resultRuleProblems);
};

describe('the IATI activity file', () => {
	it('of any framework passes the official 2.03 schema and the result rules, and reads back to the same framework and file', () => {
		fc.assert(
			fc.property(aFrameworkValues, (values) => {
				const xml = fileOf(values);
				expect(xsdProblems(xml)).toEqual([]);
				expect(rulesOf(xml)).toEqual([]);
				const reading = readFramework(xml);
				expect(reading.problems).toEqual([]);
				expect(reading.leftOut).toEqual([]);
				const again = frameworkShape.parse(reading.values);
				expect(again).toEqual(values);
				expect(fileOf(again)).toBe(xml);
			}),
			{ numRuns: 60 }
		);
	});

	it('says what IATI asks of an activity: identifier, both partners, status, dates, SDG tags, narratives in both languages', () => {
		const values = frameworkShape.parse({
			results: [
				{
					level: 'impact',
					principle: 'participation',
					title: { sv: 'Unga påverkar', en: 'Young people have a say' },
					description: {},
					aggregationStatus: null,
					weight: null,
					goals: [16],
					targets: ['16.7', '5.5'],
					indicators: [
						{
							measure: 'percentage',
							ascending: true,
							aggregationStatus: false,
							title: { sv: 'Andel unga som röstar', en: 'Share of young people voting' },
							description: {},
							dataSource: { sv: 'Valmyndigheten', en: 'The Election Authority' },
							weight: 2,
							baselines: [{ year: 2020, isoDate: null, value: '41', comment: {}, dimensions: [] }],
							periods: []
						}
					],
					children: []
				}
			]
		});
		const xml = fileOf(values);
		expect(xml).toContain('<iati-identifier>SE-ON-0000000000-ale-ghanzi</iati-identifier>');
		expect(xml).toContain('<narrative xml:lang="sv">Ale kommun – Ghanzi District Council</narrative>');
		expect(xml).toContain('<narrative xml:lang="en">Ale Municipality – Ghanzi District Council</narrative>');
		expect(xml).toMatch(/<participating-org role="4" type="11">\s*<narrative xml:lang="sv">Ale kommun/);
		expect(xml).toContain('<activity-status code="2"');
		expect(xml).toContain('<activity-date type="2" iso-date="2021-01-01"');
		expect(xml).toContain('<activity-date type="3" iso-date="2026-12-31"');
		expect(xml).toContain('<tag vocabulary="2" code="16"');
		expect(xml).toContain('<tag vocabulary="3" code="5.5"');
		expect(xml).toContain('<result type="3" pld:principle="participation">');
		expect(xml).toContain(
			'<indicator measure="2" ascending="true" aggregation-status="false" pld:weight="2">'
		);
		expect(xml).toContain('<baseline year="2020" value="41"');
		expect(xml).toContain('<pld:data-source xml:lang="en">The Election Authority</pld:data-source>');
	});

	it('leaves out a result without indicators (IATI requires one) and hangs what was under it on the result above', () => {
		const ind = aFrameworkValuesSample().results[0]!.indicators[0]!;
		const leaf = (level: ResultLevel, title: string, children: unknown[] = [], indicators = [ind]) => ({
			level,
			principle: null,
			title: { en: title },
			description: {},
			aggregationStatus: null,
			weight: null,
			goals: [],
			targets: [],
			indicators,
			children
		});
		const values = frameworkShape.parse({
			results: [leaf('impact', 'Impact', [leaf('outcome', 'Empty', [leaf('output', 'Output')], [])])]
		});
		const read = frameworkShape.parse(readFramework(fileOf(values)).values);
		expect(read.results.map((r) => r.title.en)).toEqual(['Impact']);
		expect(read.results[0]!.children.map((r) => [r.level, r.title.en])).toEqual([['output', 'Output']]);
	});
});

const aFrameworkValuesSample = () => fc.sample(aFrameworkValues, { numRuns: 1, seed: 7 })[0]!;

describe('the standard’s own example (data/iati/example-results.xml)', () => {
	it('is valid against the schema', () => {
		expect(xsdProblems(example)).toEqual([]);
	});

	it('is refused element by element: its placeholder measure “NDP” and values such as “N=35;P=55” for a unit', () => {
		const reading = readFramework(example);
		expect(reading.values).toBeNull();
		const at = (code: string) => reading.problems.filter((p) => p.code === code).map((p) => p.path);
		expect(at('unknownMeasure')).toEqual([
			'result[3]/indicator[1]/@measure',
			'result[3]/indicator[2]/@measure'
		]);
		expect(at('notNumeric')).toEqual([
			'result[6]/indicator[1]/baseline[1]',
			'result[7]/indicator[1]/baseline[1]',
			'result[8]/indicator[1]/period[1]/target[1]',
			'result[8]/indicator[1]/period[1]/actual[1]',
			'result[9]/indicator[1]/period[1]/target[1]',
			'result[10]/indicator[1]/period[1]/target[1]',
			'result[11]/indicator[1]/period[1]/actual[1]',
			'result[12]/indicator[1]/period[1]/actual[1]'
		]);
		expect(new Set(reading.problems.map((p) => p.code))).toEqual(new Set(['unknownMeasure', 'notNumeric']));
	});

	it('reads with the codelists’ names (“output”, “Unit”) once its placeholders are real codes and numbers', () => {
		const fixed = example
			.replaceAll('measure="NDP"', 'measure="1"')
			.replace(/value="N=(\d+);P=\d+"/g, 'value="$1"');
		const reading = readFramework(fixed);
		expect(reading.problems).toEqual([]);
		const values = frameworkShape.parse(reading.values);
		expect(values.results).toHaveLength(13);
		expect(values.results.every((r) => r.level === 'output' && r.aggregationStatus === false)).toBe(true);
		const everything = values.results[2]!;
		// Without xml:lang the narratives are in English (the activity names no language); the
		// example repeats each one, the same text twice, which is read once.
		expect(everything.title).toEqual({ en: 'Supportive Environment:Health Systems Strengthening' });
		expect(everything.indicators[0]).toMatchObject({
			measure: 'unit',
			ascending: true,
			baselines: [{ year: 2008, value: '35', comment: { en: 'Source:adminstrative records' } }],
			periods: [
				{ start: '2009-01-01', end: '2009-12-31', targets: [{ value: '42' }], actuals: [{ value: '41' }] },
				{ start: '2010-01-01', end: '2010-12-31', targets: [{ value: '44' }], actuals: [{ value: '43' }] }
			]
		});
		const last = values.results[12]!.indicators[0]!.periods[0]!;
		expect(last.targets[0]).toMatchObject({ value: '110', dimensions: [{ name: 'xxx', value: 'yyyy' }] });
		// What the framework has no place for is said, not dropped silently.
		expect(reading.leftOut).toContainEqual({
			path: 'result[13]/indicator[1]/period[1]/target[1]',
			code: 'notKept',
			params: { element: 'location' }
		});
		expect(reading.leftOut).toContainEqual({
			path: 'result[8]/indicator[1]/reference[1]',
			code: 'notKept',
			params: { element: 'reference' }
		});
	});
});

describe('a file the import refuses', () => {
	const one = (results: string) =>
		`<iati-activities version="2.03" xmlns:pld="urn:partnerskap-for-lokal-demokrati:iati-results:1"><iati-activity><iati-identifier>X-1</iati-identifier>${results}</iati-activity></iati-activities>`;
	const codes = (xml: string) => readFramework(xml).problems.map((p) => [p.path, p.code]);

	it('names what is wrong with the file as a whole', () => {
		expect(codes('<iati-activities><oops></iati-activities>')).toEqual([['file', 'notXml']]);
		expect(codes('<!DOCTYPE x [<!ENTITY a "aaaa">]><iati-activities/>')).toEqual([['file', 'doctype']]);
		expect(codes('<organisations/>')).toEqual([['file', 'notIati']]);
		expect(codes(one(''))).toEqual([['iati-activity[1]', 'noResults']]);
	});

	it('names each element that breaks a rule or a codelist, where it is', () => {
		const xml = one(`
			<result type="9"><title><narrative>Other</narrative></title>
				<reference vocabulary="99" code="A"/>
				<indicator measure="5" ascending="yes"><title><narrative>Q</narrative></title>
					<reference vocabulary="9" code="16.7.1"/>
					<baseline year="20x0" value="3"/>
					<period><period-start iso-date="2024-12-31"/><period-end iso-date="2024-01-01"/></period>
				</indicator>
			</result>
			<result type="output" pld:parent="5">
				<title><narrative xml:lang="sv">A</narrative><narrative xml:lang="sv">B</narrative></title>
				<indicator measure="percentage"><title><narrative>P</narrative></title>
					<period><period-start iso-date="2024-01-01"/><period-end iso-date="2024-12-31"/>
						<actual><dimension name="sex"/></actual></period>
				</indicator>
			</result>`);
		expect(codes(xml)).toEqual([
			['result[1]', 'referencesTwice'],
			['result[1]/indicator[1]/baseline[1]', 'valueForQualitative'],
			['result[1]/indicator[1]/period[1]', 'periodOrder'],
			['result[2]/indicator[1]/period[1]/actual[1]', 'missingValue'],
			['result[1]/@type', 'unknownResultType'],
			['result[1]/indicator[1]/@ascending', 'invalidBoolean'],
			['result[1]/indicator[1]/baseline[1]/@year', 'invalidYear'],
			['result[2]/title', 'twoTexts'],
			['result[2]/indicator[1]/period[1]/actual[1]/dimension[1]', 'invalidDimension'],
			['result[2]/@parent', 'unknownParent']
		]);
	});
});
