import { readFileSync } from 'node:fs';
import { XmlDocument, XmlValidateError, XsdValidator } from 'libxml2-wasm';
import { xmlRegisterFsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs';
import { dataPath } from '../../kernel/data-files.ts';

// A file checked against the official IATI 2.03 activity schema in data/iati, by libxml2 compiled
// to WebAssembly (its wasm is inside the module: no native build, nothing to fetch). The tests
// check every file the platform writes; the import page checks every file it is given (loaded
// only then: import it with `await import()`), and says what is wrong in the reader's words.

let validator: XsdValidator | undefined;

function schema(): XsdValidator {
	if (!validator) {
		// The schema includes iati-common.xsd and imports xml.xsd beside it: read from the disk.
		xmlRegisterFsInputProviders();
		const file = dataPath('iati', 'iati-activities-schema.xsd');
		validator = XsdValidator.fromDoc(XmlDocument.fromBuffer(readFileSync(file), { url: file }));
	}
	return validator;
}

/** One complaint of the schema: its line, the element's place ("iati-activity/result[2]/title") and libxml2's text. */
export interface XsdDetail {
	line: number;
	element: string | null;
	message: string;
}

/**
 * The schema's complaints about a file, none when it is valid. Only for a file already read as
 * well-formed XML without a DOCTYPE (read.ts `readIati`): libxml2 then loads nothing from outside.
 */
export function xsdDetails(xml: string): XsdDetail[] {
	const check = schema();
	const doc = XmlDocument.fromString(xml);
	try {
		check.validate(doc);
		return [];
	} catch (e) {
		if (!(e instanceof XmlValidateError)) throw e;
		return e.details.map((d) => ({
			line: d.line,
			element: d.xpath ? d.xpath.replace(/^\/iati-activities\//, '') : null,
			message: d.message.trim()
		}));
	} finally {
		doc.dispose();
	}
}

/** The schema's complaints as text ("line 12: Element 'x': This element is not expected."), none when valid. */
export function xsdProblems(xml: string): string[] {
	return xsdDetails(xml).map((d) => `line ${d.line}: ${d.message}`);
}

/** A schema complaint as the import page says it: a code of messages/…/results/iati.json and its values. */
export interface SchemaProblem {
	path: string;
	line: number;
	code: string;
	params: Record<string, string>;
}

/** What libxml2 says, by pattern, and the code that says it in the reader's language. */
const patterns: [RegExp, string, string[]][] = [
	[
		/^Element '([^']+)': This element is not expected\. Expected is (?:one of )?\( (.+) \)\.$/,
		'xsdUnexpected',
		['element', 'expected']
	],
	[/^Element '([^']+)': This element is not expected\.$/, 'xsdNotHere', ['element']],
	[
		/^Element '([^']+)': Missing child element\(s\)\. Expected is (?:one of )?\( (.+) \)\.$/,
		'xsdMissingChild',
		['element', 'expected']
	],
	[
		/^Element '([^']+)': The attribute '([^']+)' is required but missing\.$/,
		'xsdMissingAttribute',
		['element', 'attribute']
	],
	[
		/^Element '([^']+)', attribute '([^']+)': The attribute '[^']+' is not allowed\.$/,
		'xsdAttributeNotAllowed',
		['element', 'attribute']
	],
	[
		/^Element '([^']+)', attribute '([^']+)': '([^']*)' is not a valid value of the (?:atomic|union|list) type '([^']+)'\.$/,
		'xsdAttributeValue',
		['element', 'attribute', 'value', 'type']
	],
	[
		/^Element '([^']+)': '([^']*)' is not a valid value of the (?:atomic|union|list) type '([^']+)'\.$/,
		'xsdValue',
		['element', 'value', 'type']
	],
	[/^Element '([^']+)': Character content other than whitespace is not allowed/, 'xsdText', ['element']],
	[
		/^Element '([^']+)'(?:, attribute '([^']+)')?: \[facet '[^']+'\] The value '([^']*)'/,
		'xsdFacet',
		['element', 'attribute', 'value']
	]
];

/** The words a type of the schema is named by in the messages (iati.json `xsdTypes`). */
const typeWords: Record<string, string> = {
	'xs:date': 'date',
	'xs:dateTime': 'dateTime',
	'xs:boolean': 'boolean',
	'xs:decimal': 'decimal',
	'xs:positiveInteger': 'positiveInteger',
	'xs:nonNegativeInteger': 'positiveInteger',
	'xs:integer': 'integer',
	'xs:int': 'integer',
	'xs:anyURI': 'uri',
	'xs:NMTOKEN': 'code',
	'xs:language': 'language'
};

/** The first `max` of the schema's complaints in the reader's terms, and how many there are in all. */
export function schemaProblems(xml: string, max = 5): { problems: SchemaProblem[]; total: number } {
	const details = xsdDetails(xml);
	const problems = details.slice(0, max).map((d): SchemaProblem => {
		const path = d.element ?? 'file';
		for (const [pattern, code, names] of patterns) {
			const m = pattern.exec(d.message);
			if (!m) continue;
			const params = Object.fromEntries(names.map((n, i) => [n, m[i + 1] ?? '']));
			if (params.type !== undefined) params.type = typeWords[params.type] ?? 'other';
			return { path, line: d.line, code, params };
		}
		// Anything else in libxml2's own (English) words: better than nothing said.
		return { path, line: d.line, code: 'xsdOther', params: { message: d.message } };
	});
	return { problems, total: details.length };
}
