import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XmlDocument, XmlValidateError, XsdValidator } from 'libxml2-wasm';
import { xmlRegisterFsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs';

// For the tests only (libxml2-wasm is a development dependency): a file checked against the
// official IATI 2.03 activity schema in data/iati, by libxml2 compiled to WebAssembly.

const schemaFile = path.resolve(import.meta.dirname, '../../../../../data/iati/iati-activities-schema.xsd');
let validator: XsdValidator | undefined;

/** The schema's complaints about a file ("line 12: Element 'x': This element is not expected."), none when valid. */
export function xsdProblems(xml: string): string[] {
	if (!validator) {
		// The schema includes iati-common.xsd and imports xml.xsd beside it: read from the disk.
		xmlRegisterFsInputProviders();
		const schema = XmlDocument.fromBuffer(readFileSync(schemaFile), { url: schemaFile });
		validator = XsdValidator.fromDoc(schema);
	}
	const doc = XmlDocument.fromString(xml);
	try {
		validator.validate(doc);
		return [];
	} catch (e) {
		if (e instanceof XmlValidateError) return e.details.map((d) => `line ${d.line}: ${d.message.trim()}`);
		throw e;
	} finally {
		doc.dispose();
	}
}
