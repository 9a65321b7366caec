import { z } from 'zod';
import type { Shape } from './input.ts';

/**
 * The API describes itself: an OpenAPI 3.1 document built from the same Zod schemas that read the
 * query strings (modules' input.ts) and shape the answers (modules' views.ts), so the document
 * cannot say one thing while the code does another. A test checks real answers against it.
 */

export interface Endpoint {
	/** OpenAPI path, with `{name}` for route parameters: "/api/v1/partnerships/{slug}". */
	path: string;
	summary: string;
	description?: string;
	tags: string[];
	/** Route parameters: name → the schema of the text in the address. */
	params?: Record<string, z.ZodType>;
	/** The query string's fields (all optional), as the endpoint reads them. */
	query?: Shape;
	/** The JSON answer. */
	/** The JSON answer (none for an endpoint that answers only XML). */
	response?: z.ZodType;
	/** The endpoint answers XML (application/xml). */
	xml?: boolean;
	/** The endpoint also answers `format=csv` (UTF-8 with a byte-order mark). */
	csv?: boolean;
	/** An address that gives a real answer, for the test and the reader. */
	example: string;
}

type JsonSchema = Record<string, unknown>;

const inputSchema = (schema: z.ZodType): JsonSchema => {
	const { $schema: _, ...rest } = z.toJSONSchema(schema, {
		io: 'input',
		unrepresentable: 'any'
	}) as JsonSchema;
	return rest;
};

/**
 * The JSON Schema (2020-12, which OpenAPI 3.1 uses) of an answer. Every object is closed
 * (`additionalProperties: false`): the answers hold exactly the fields their schema names, so a
 * field added to an answer but not to its schema fails the test that checks real answers.
 */
export function responseSchema(schema: z.ZodType): JsonSchema {
	const { $schema: _, ...rest } = z.toJSONSchema(schema, {
		target: 'draft-2020-12',
		unrepresentable: 'any'
	}) as JsonSchema;
	return closed(rest) as JsonSchema;
}

function closed(node: unknown): unknown {
	if (Array.isArray(node)) return node.map(closed);
	if (!node || typeof node !== 'object') return node;
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(node)) out[key] = closed(value);
	if (out.type === 'object' && out.properties && !('additionalProperties' in out)) {
		out.additionalProperties = false;
	}
	return out;
}

const errorAnswer = z.object({
	error: z.object({
		message: z.string(),
		field: z.string().nullable(),
		problems: z.array(z.object({ field: z.string(), message: z.string() })).optional()
	})
});

/** The document for a list of endpoints. */
export function openApiDocument(
	endpoints: readonly Endpoint[],
	info: { title: string; version: string; description: string }
): JsonSchema {
	const paths: Record<string, JsonSchema> = {};
	for (const e of endpoints) {
		const parameters = [
			...Object.entries(e.params ?? {}).map(([name, schema]) => ({
				name,
				in: 'path',
				required: true,
				schema: inputSchema(schema)
			})),
			...Object.entries(e.query ?? {}).map(([name, schema]) => ({
				name,
				in: 'query',
				required: false,
				schema: inputSchema(schema)
			}))
		];
		const content: JsonSchema = {};
		if (e.response) content['application/json'] = { schema: responseSchema(e.response) };
		if (e.csv) content['text/csv'] = { schema: { type: 'string' } };
		if (e.xml) content['application/xml'] = { schema: { type: 'string' } };
		paths[e.path] = {
			get: {
				summary: e.summary,
				...(e.description ? { description: e.description } : {}),
				tags: e.tags,
				parameters,
				responses: {
					'200': { description: 'OK', content },
					'400': {
						description: 'A parameter is not valid: a message per field.',
						content: { 'application/json': { schema: responseSchema(errorAnswer) } }
					},
					'404': {
						description: 'Not found.',
						content: { 'application/json': { schema: responseSchema(errorAnswer) } }
					}
				},
				'x-example': e.example
			}
		};
	}
	return {
		openapi: '3.1.0',
		jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
		info,
		paths
	};
}
