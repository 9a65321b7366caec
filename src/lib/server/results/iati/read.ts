import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { extensionNamespace } from './codes.ts';

// An IATI activity file read into a plain tree of what it wrote (strings, unchecked), each node
// with its place in the file ("result[2]/indicator[1]"): the rules (rules.ts) and the import
// (import.ts) both work on this, never on the XML.

export interface Narrative {
	/** Its xml:lang, else the activity's; null when neither says. */
	lang: string | null;
	text: string;
}

export interface IatiReference {
	vocabulary?: string;
	code?: string;
	uri?: string;
}

export interface IatiFigure {
	path: string;
	value?: string;
	year?: string;
	isoDate?: string;
	dimensions: { name?: string; value?: string }[];
	comment: Narrative[];
	/** Child elements we read and keep nothing of (location, document-link). */
	ignored: string[];
}

export interface IatiPeriod {
	path: string;
	start?: string;
	end?: string;
	targets: IatiFigure[];
	actuals: IatiFigure[];
}

export interface IatiIndicator {
	path: string;
	measure?: string;
	ascending?: string;
	aggregationStatus?: string;
	title: Narrative[];
	description: Narrative[];
	references: IatiReference[];
	baselines: IatiFigure[];
	periods: IatiPeriod[];
	/** Ours (decision 16). */
	weight?: string;
	dataSource: Narrative[];
	ignored: string[];
}

export interface IatiResult {
	path: string;
	type?: string;
	aggregationStatus?: string;
	title: Narrative[];
	description: Narrative[];
	references: IatiReference[];
	indicators: IatiIndicator[];
	/** Ours: the 1-based place of its parent among the activity's results, its principle and weight. */
	parent?: string;
	principle?: string;
	weight?: string;
	ignored: string[];
}

export interface IatiActivity {
	path: string;
	identifier: string;
	results: IatiResult[];
	/** The line each result, indicator, baseline, period, target and actual starts on, by its path. */
	lines: ReadonlyMap<string, number>;
}

export type ReadOutcome =
	| { ok: true; activities: IatiActivity[] }
	| { ok: false; code: 'notXml' | 'notIati' | 'doctype'; line?: number };

type Node = Record<string, unknown>;

const parser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '@',
	parseTagValue: false,
	parseAttributeValue: false,
	alwaysCreateTextNode: true,
	textNodeName: '#text',
	trimValues: true,
	// Where each element starts, for the line a problem is on.
	captureMetaData: true,
	ignoreDeclaration: true,
	ignorePiTags: true,
	// Every element as a list: one shape whether a file repeats it or not.
	isArray: (_name, _path, _leaf, isAttribute) => !isAttribute
});

// Typed as the Symbol wrapper object; it is a symbol.
const meta = XMLParser.getMetaDataSymbol() as unknown as symbol;

/** The 1-based line of a character offset, from the offsets of the file's line breaks. */
function lineFinder(xml: string): (offset: number) => number {
	const breaks: number[] = [];
	for (let i = xml.indexOf('\n'); i !== -1; i = xml.indexOf('\n', i + 1)) breaks.push(i);
	return (offset) => {
		let lo = 0;
		let hi = breaks.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (breaks[mid]! < offset) lo = mid + 1;
			else hi = mid;
		}
		return lo + 1;
	};
}

const list = (node: Node | undefined, name: string): Node[] => (node?.[name] as Node[] | undefined) ?? [];
const attr = (node: Node | undefined, name: string): string | undefined => {
	const v = node?.[`@${name}`];
	return typeof v === 'string' ? v : undefined;
};
const text = (node: Node): string => {
	const v = node['#text'];
	return typeof v === 'string' ? v : '';
};

/** Reads a file. A DOCTYPE is refused (IATI files have none; entities are a way to attack a parser). */
export function readIati(xml: string): ReadOutcome {
	if (/<!DOCTYPE/i.test(xml)) return { ok: false, code: 'doctype' };
	const valid = XMLValidator.validate(xml);
	if (valid !== true) return { ok: false, code: 'notXml', line: valid.err.line };
	const doc = parser.parse(xml) as Node;
	const [root] = list(doc, 'iati-activities');
	if (!root || !list(root, 'iati-activity').length) return { ok: false, code: 'notIati' };
	const rootPrefix = prefixOf(root);
	const lineAt = lineFinder(xml);
	return {
		ok: true,
		activities: list(root, 'iati-activity').map((a, i) =>
			activity(a, `iati-activity[${i + 1}]`, prefixOf(a) ?? rootPrefix, lineAt)
		)
	};
}

/** The prefix an element binds to our namespace (xmlns:pld="…"), if it does. */
function prefixOf(node: Node): string | undefined {
	for (const [key, value] of Object.entries(node)) {
		if (key.startsWith('@xmlns:') && value === extensionNamespace) return key.slice('@xmlns:'.length);
	}
	return undefined;
}

function activity(
	node: Node,
	path: string,
	ns: string | undefined,
	lineAt: (offset: number) => number
): IatiActivity {
	const lines = new Map<string, number>();
	/** Notes the element's line under its path, and gives the path back. */
	const placed = (n: Node, at: string) => {
		const start = (n as Record<symbol, { startIndex?: number } | undefined>)[meta]?.startIndex;
		if (typeof start === 'number') lines.set(at, lineAt(start));
		return at;
	};
	const lang = attr(node, 'xml:lang') ?? null;
	const narratives = (parent: Node | undefined): Narrative[] =>
		list(parent, 'narrative').map((n) => ({ lang: attr(n, 'xml:lang') ?? lang, text: text(n) }));
	const ours = (node: Node, name: string) => (ns ? attr(node, `${ns}:${name}`) : undefined);
	const ignoredIn = (node: Node, names: string[]) => names.filter((n) => list(node, n).length);
	const references = (node: Node): IatiReference[] =>
		list(node, 'reference').map((r) => ({
			vocabulary: attr(r, 'vocabulary'),
			code: attr(r, 'code'),
			uri: attr(r, 'vocabulary-uri') ?? attr(r, 'indicator-uri')
		}));
	const figure = (f: Node, at: string): IatiFigure => ({
		path: placed(f, at),
		value: attr(f, 'value'),
		year: attr(f, 'year'),
		isoDate: attr(f, 'iso-date'),
		dimensions: list(f, 'dimension').map((d) => ({ name: attr(d, 'name'), value: attr(d, 'value') })),
		comment: narratives(list(f, 'comment')[0]),
		ignored: ignoredIn(f, ['location', 'document-link'])
	});
	const indicator = (n: Node, at: string): IatiIndicator => ({
		path: placed(n, at),
		measure: attr(n, 'measure'),
		ascending: attr(n, 'ascending'),
		aggregationStatus: attr(n, 'aggregation-status'),
		title: narratives(list(n, 'title')[0]),
		description: narratives(list(n, 'description')[0]),
		references: references(n),
		baselines: list(n, 'baseline').map((b, i) => figure(b, `${at}/baseline[${i + 1}]`)),
		periods: list(n, 'period').map((p, i) => {
			const pat = `${at}/period[${i + 1}]`;
			return {
				path: placed(p, pat),
				start: attr(list(p, 'period-start')[0], 'iso-date'),
				end: attr(list(p, 'period-end')[0], 'iso-date'),
				targets: list(p, 'target').map((t, j) => figure(t, `${pat}/target[${j + 1}]`)),
				actuals: list(p, 'actual').map((t, j) => figure(t, `${pat}/actual[${j + 1}]`))
			};
		}),
		weight: ours(n, 'weight'),
		dataSource: ns
			? list(n, `${ns}:data-source`).map((d) => ({ lang: attr(d, 'xml:lang') ?? lang, text: text(d) }))
			: [],
		ignored: ignoredIn(n, ['document-link'])
	});
	return {
		path,
		identifier: text(list(node, 'iati-identifier')[0] ?? {}),
		lines,
		results: list(node, 'result').map((r, i) => {
			const at = `result[${i + 1}]`;
			return {
				path: placed(r, at),
				type: attr(r, 'type'),
				aggregationStatus: attr(r, 'aggregation-status'),
				title: narratives(list(r, 'title')[0]),
				description: narratives(list(r, 'description')[0]),
				references: references(r),
				indicators: list(r, 'indicator').map((n, j) => indicator(n, `${at}/indicator[${j + 1}]`)),
				parent: ours(r, 'parent'),
				principle: ours(r, 'principle'),
				weight: ours(r, 'weight'),
				ignored: ignoredIn(r, ['document-link'])
			};
		})
	};
}
