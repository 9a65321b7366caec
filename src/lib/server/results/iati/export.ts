import { XMLBuilder } from 'fast-xml-parser';
import { locales, messages } from '#lib/i18n/index.ts';
import type { Database } from '../../kernel/database.ts';
import type { LocalizedText } from '../../kernel/localized.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import type { IndicatorMeasure, ResultLevel } from '../schema.ts';
import {
	activityStatuses,
	extensionNamespace,
	extensionPrefix as ns,
	goalTagVocabulary,
	goalVocabularyUri,
	implementingRole,
	iatiVersion,
	measureCodes,
	organisationType,
	resultReferenceVocabulary,
	resultTypes,
	targetTagVocabulary,
	targetVocabularyUri
} from './codes.ts';
import { partnershipActivity, programmeActivities, type ActivityFacts } from './queries.ts';
import { config } from '../../kernel/config.ts';

// A partnership's framework as an IATI 2.03 activity (decision 16): the partnership is the
// activity, its results are IATI results. What IATI has no place for (a result's parent, its
// principle and weight, an indicator's weight and data source) is written in our own namespace,
// which IATI allows and its tools pass over, so that our export → import → export loses nothing.

/** Who publishes the file (reporting-org); the identifiers of its activities start with `ref`. */
export interface Publisher {
	ref: string;
	/** OrganisationType (10: government). */
	type: string;
	name: LocalizedText;
}

/**
 * The programme as publisher, its ref from IATI_REPORTING_ORG (a placeholder until the programme
 * sets its organisation identifier: an activity's identifier must not change once published, so
 * set it before the first file goes to the IATI registry; decision 16).
 */
export const programmePublisher = (): Publisher => ({
	ref: config().iati.reportingOrg,
	type: '10',
	name: Object.fromEntries(locales.map((l) => [l, messages(l).site.name]))
});

/** A partnership's activity identifier: the publisher's ref and its slug (slugs do not change). */
export const activityIdentifier = (slug: string, publisher: Publisher = programmePublisher()) =>
	`${publisher.ref}-${slug}`;

/** What the export reads of a figure, indicator and result (the stored framework and the command's shape both fit). */
interface FigureLike {
	value: string | null;
	comment: LocalizedText;
	dimensions: { name: string; value: string }[];
}
interface IndicatorLike {
	measure: IndicatorMeasure;
	ascending: boolean;
	aggregationStatus: boolean | null;
	title: LocalizedText;
	description: LocalizedText;
	dataSource: LocalizedText;
	weight: number | null;
	baselines: (FigureLike & { year: number | null; isoDate: string | null })[];
	periods: { start: string; end: string; targets: FigureLike[]; actuals: FigureLike[] }[];
}
export interface ResultLike {
	level: ResultLevel;
	principle: string | null;
	title: LocalizedText;
	description: LocalizedText;
	aggregationStatus: boolean | null;
	weight: number | null;
	goals: number[];
	targets: string[];
	indicators: IndicatorLike[];
	children: ResultLike[];
}

type Element = Record<string, unknown>;

const builder = new XMLBuilder({
	ignoreAttributes: false,
	attributeNamePrefix: '@',
	textNodeName: '#text',
	format: true,
	indentBy: '  ',
	suppressEmptyNode: true,
	// ascending="true" is a value, not an HTML-style attribute without one.
	suppressBooleanAttributes: false
});

/** The languages a text is written in: ours first, then any other, each once. */
const languagesOf = (t: LocalizedText) => [
	...locales.filter((l) => t[l]),
	...Object.keys(t)
		.filter((l) => !(locales as readonly string[]).includes(l) && t[l])
		.toSorted()
];
const narratives = (t: LocalizedText) => languagesOf(t).map((l) => ({ '@xml:lang': l, '#text': t[l] }));
/** An optional text element (description, comment): absent when the text is empty in every language. */
const optional = (name: string, t: LocalizedText): Element =>
	languagesOf(t).length ? { [name]: { narrative: narratives(t) } } : {};
const attrs = (a: Record<string, string | number | boolean | null | undefined>): Element =>
	Object.fromEntries(
		Object.entries(a)
			.filter(([, v]) => v !== null && v !== undefined)
			.map(([k, v]) => [`@${k}`, String(v)])
	);

const byCode = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function figure(f: FigureLike, extra: Element = {}): Element {
	return {
		...extra,
		...attrs({ value: f.value }),
		...(f.dimensions.length
			? { dimension: f.dimensions.toSorted(byName).map((d) => attrs({ name: d.name, value: d.value })) }
			: {}),
		...optional('comment', f.comment)
	};
}

function indicator(i: IndicatorLike): Element {
	return {
		...attrs({
			measure: measureCodes[i.measure],
			ascending: i.ascending,
			'aggregation-status': i.aggregationStatus,
			[`${ns}:weight`]: i.weight
		}),
		title: { narrative: narratives(i.title) },
		...optional('description', i.description),
		...(i.baselines.length
			? { baseline: i.baselines.map((b) => figure(b, attrs({ year: b.year, 'iso-date': b.isoDate }))) }
			: {}),
		...(i.periods.length
			? {
					period: i.periods
						.toSorted((a, b) => (a.start + a.end < b.start + b.end ? -1 : 1))
						.map((p) => ({
							'period-start': attrs({ 'iso-date': p.start }),
							'period-end': attrs({ 'iso-date': p.end }),
							...(p.targets.length ? { target: p.targets.map((f) => figure(f)) } : {}),
							...(p.actuals.length ? { actual: p.actuals.map((f) => figure(f)) } : {})
						}))
				}
			: {}),
		...(languagesOf(i.dataSource).length
			? {
					[`${ns}:data-source`]: languagesOf(i.dataSource).map((l) => ({
						'@xml:lang': l,
						'#text': i.dataSource[l]
					}))
				}
			: {})
	};
}

/**
 * The results in the order of the tree (each before the results under it), with the place of its
 * parent. IATI requires an indicator in every result: a result without one is left out, and the
 * results under it hang from the nearest one above that is written.
 */
function resultElements(roots: readonly ResultLike[]): Element[] {
	const out: Element[] = [];
	const walk = (r: ResultLike, parent: number | undefined) => {
		let own = parent;
		if (r.indicators.length) {
			out.push({
				...attrs({
					type: resultTypes[r.level],
					'aggregation-status': r.aggregationStatus,
					[`${ns}:parent`]: parent,
					[`${ns}:principle`]: r.principle,
					[`${ns}:weight`]: r.weight
				}),
				title: { narrative: narratives(r.title) },
				...optional('description', r.description),
				...(r.goals.length || r.targets.length
					? {
							reference: [
								...r.goals.toSorted((a, b) => a - b).map((g) => ({ g: String(g), uri: goalVocabularyUri })),
								...r.targets.toSorted(byCode).map((t) => ({ g: t, uri: targetVocabularyUri }))
							].map(({ g, uri }) =>
								attrs({ vocabulary: resultReferenceVocabulary, code: g, 'vocabulary-uri': uri })
							)
						}
					: {}),
				indicator: r.indicators.map(indicator)
			});
			own = out.length;
		}
		for (const child of r.children) walk(child, own);
	};
	for (const r of roots) walk(r, undefined);
	return out;
}

/** Every result of the tree, depth first. */
const allResults = (rs: readonly ResultLike[]): ResultLike[] =>
	rs.flatMap((r) => [r, ...allResults(r.children)]);

/** What an activity is made from: the partnership, and a framework (stored, or in the command's shape). */
export type ActivitySource = Omit<ActivityFacts, 'framework'> & {
	framework: { results: readonly ResultLike[] };
};

/** One partnership as an `iati-activity`. */
export function activityElement(facts: ActivitySource, publisher: Publisher = programmePublisher()): Element {
	const results = facts.framework.results;
	const all = allResults(results);
	const goals = [...new Set(all.flatMap((r) => r.goals))].toSorted((a, b) => a - b);
	const targets = [...new Set(all.flatMap((r) => r.targets))].toSorted(byCode);
	const title = Object.fromEntries(
		locales.map((l) => [l, facts.members.map((m) => m.name[l] ?? m.name.sv ?? m.name.en ?? '').join(' – ')])
	);
	const started = facts.status !== 'inception';
	const dates = [
		facts.startYear !== null
			? attrs({ type: started ? 2 : 1, 'iso-date': `${facts.startYear}-01-01` })
			: attrs({ type: 1, 'iso-date': facts.createdAt.toISOString().slice(0, 10) }),
		...(facts.endYear !== null
			? [attrs({ type: facts.status === 'completed' ? 4 : 3, 'iso-date': `${facts.endYear}-12-31` })]
			: [])
	];
	const organisations = facts.members.length
		? facts.members.map((m) => ({
				...attrs({ role: implementingRole, type: organisationType(m.kind, m.swedish) }),
				narrative: narratives(m.name)
			}))
		: [
				{
					...attrs({ ref: publisher.ref, role: '3', type: publisher.type }),
					narrative: narratives(publisher.name)
				}
			];
	const description = languagesOf(facts.summary).length ? facts.summary : title;
	return {
		...attrs({ 'xml:lang': 'sv' }),
		'iati-identifier': activityIdentifier(facts.slug, publisher),
		'reporting-org': {
			...attrs({ ref: publisher.ref, type: publisher.type }),
			narrative: narratives(publisher.name)
		},
		title: { narrative: narratives(title) },
		description: { ...attrs({ type: 1 }), narrative: narratives(description) },
		'participating-org': organisations,
		'activity-status': attrs({ code: activityStatuses[facts.status] }),
		'activity-date': dates,
		...(goals.length || targets.length
			? {
					tag: [
						...goals.map((g) => attrs({ vocabulary: goalTagVocabulary, code: g })),
						...targets.map((t) => attrs({ vocabulary: targetTagVocabulary, code: t }))
					]
				}
			: {}),
		...(all.length ? { result: resultElements(results) } : {})
	};
}

/** An `iati-activities` file of activities (IATI requires at least one). */
export function activitiesXml(activities: Element[]): string {
	const root = {
		'iati-activities': {
			...attrs({ version: iatiVersion, [`xmlns:${ns}`]: extensionNamespace }),
			'iati-activity': activities
		}
	};
	return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(root) as string}`;
}

/** GET /api/v1/partnerships/<slug>/iati.xml: one partnership's activity file. */
export async function partnershipIatiXml(db: Database, slug: string): Promise<string> {
	const facts = await partnershipActivity(db, slug);
	if (!facts) throw new NotFoundError('partnership');
	return activitiesXml([activityElement(facts)]);
}

/** GET /api/v1/iati.xml: every partnership with a framework, an activity each (404 while there is none). */
export async function programmeIatiXml(db: Database): Promise<string> {
	const all = await programmeActivities(db);
	if (!all.length) throw new NotFoundError('activity');
	return activitiesXml(all.map((f) => activityElement(f)));
}
