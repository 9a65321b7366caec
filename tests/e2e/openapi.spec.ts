import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { baseUrl } from './browser.ts';

/**
 * The API's own description is checked against the API: every endpoint under /api/v1 is in the
 * document, its real answers validate against the schemas the document gives, and a parameter
 * that breaks the document's pattern is refused by the endpoint. A change to an answer that the
 * document does not follow (or the other way round) fails here.
 */

type Schema = Record<string, unknown>;
interface Operation {
	parameters: { name: string; in: 'path' | 'query'; schema: Schema }[];
	responses: Record<string, { content: Record<string, { schema: Schema }> }>;
	'x-example': string;
}
let document: { openapi: string; paths: Record<string, { get: Operation }> };
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);

beforeAll(async () => {
	const res = await fetch(`${baseUrl()}/api/v1/openapi.json`);
	expect(res.status).toBe(200);
	expect(res.headers.get('content-type')).toMatch(/^application\/json/);
	document = await res.json();
});

/** The API's routes, as OpenAPI paths: [slug=slug] → {slug}. */
function apiRoutes(): string[] {
	const base = path.resolve(import.meta.dirname, '../../src/routes');
	const found: string[] = [];
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir)) {
			const full = path.join(dir, entry);
			if (statSync(full).isDirectory()) walk(full);
			else if (entry === '+server.ts') {
				found.push(
					'/' +
						path
							.relative(base, dir)
							.split(path.sep)
							.join('/')
							.replace(/\[(\w+)(=\w+)?\]/g, '{$1}')
				);
			}
		}
	};
	walk(path.join(base, 'api/v1'));
	return found.filter((p) => p !== '/api/v1/openapi.json').sort();
}

/** The validation errors of a value against a schema, readable ("/items/0/url: must match format"). */
function problems(schema: Schema, value: unknown): string[] {
	const validate = ajv.compile(schema);
	return validate(value)
		? []
		: (validate.errors ?? []).map(
				(e) => `${e.instancePath || '/'}: ${e.message} ${JSON.stringify(e.params)}`
			);
}

test('the document is OpenAPI 3.1 and names every endpoint of the API', () => {
	expect(document.openapi).toBe('3.1.0');
	expect(Object.keys(document.paths).sort()).toEqual(apiRoutes());
});

describe('every endpoint answers as the document says', () => {
	test.each(apiRoutes())('%s', async (route) => {
		const operation = document.paths[route]!.get;
		const ok = operation.responses['200']!.content;
		const example = operation['x-example'];
		const answers = [example, ...(['sv', 'en'] as const).map((lang) => withParam(example, 'lang', lang))];
		for (const address of answers) {
			const res = await fetch(baseUrl() + address);
			expect(res.status, address).toBe(200);
			if (ok['application/json']) {
				expect(problems(ok['application/json'].schema, await res.json()), address).toEqual([]);
			} else {
				// An XML-only endpoint (the IATI files): the declared type and an IATI 2.03 document.
				expect(ok['application/xml'], address).toBeDefined();
				expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
				expect(await res.text()).toMatch(
					/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<iati-activities version="2\.03"/
				);
			}
		}
		if (ok['text/csv']) {
			const res = await fetch(baseUrl() + withParam(example, 'format', 'csv'));
			expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
			expect(new Uint8Array(await res.arrayBuffer()).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
		}
		// Each query parameter the document restricts with a pattern is refused when broken,
		// with the error answer the document describes.
		const error = operation.responses['400']!.content['application/json']!.schema;
		for (const p of operation.parameters.filter((p) => p.in === 'query' && p.schema.pattern)) {
			const address = withParam(example, p.name, 'x!y');
			const res = await fetch(baseUrl() + address);
			expect(res.status, address).toBe(400);
			const body = await res.json();
			expect(problems(error, body), address).toEqual([]);
			expect(
				body.error.problems.map((q: { field: string }) => q.field),
				address
			).toContain(p.name);
		}
	});
});

function withParam(address: string, name: string, value: string): string {
	const url = new URL(address, 'http://x');
	url.searchParams.set(name, value);
	return url.pathname + url.search;
}
