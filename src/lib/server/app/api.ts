import { openApiDocument, type Endpoint } from '../kernel/openapi.ts';
import { fields } from '../kernel/input.ts';
import { articleApiQuery, articlesApiQuery, goalNumber, goalsApiQuery } from '../content/input.ts';
import { articleListView, articleView, goalDetailView, goalListView } from '../content/views.ts';
import { partnershipApiQuery, partnershipListApiQuery } from '../partnerships/input.ts';
import { partnershipListView, partnershipView } from '../partnerships/views.ts';
import { organizationListApiQuery } from '../organizations/input.ts';
import { organizationListView } from '../organizations/views.ts';
import { spaceApiQuery, spaceListApiQuery } from '../dialogue/spaces/input.ts';
import { dialogueListView, dialogueView } from '../dialogue/views.ts';
import { openDataEndpoints } from '../dialogue/open-data/endpoints.ts';

/**
 * The public API, endpoint by endpoint, from the modules' own input shapes and answer schemas:
 * served as OpenAPI 3.1 at /api/v1/openapi.json, and checked against real answers by
 * tests/e2e/openapi.spec.ts. An endpoint added under /api/v1 without a line here fails that test.
 */
export const apiEndpoints: readonly Endpoint[] = [
	{
		path: '/api/v1/articles',
		summary: 'Published inspiration, newest first, with the listing’s filters',
		tags: ['inspiration'],
		query: articlesApiQuery,
		response: articleListView,
		example: '/api/v1/articles?theme=participation&sdg=16&lang=en&per_page=5'
	},
	{
		path: '/api/v1/articles/{slug}',
		summary: 'One published article in a language',
		tags: ['inspiration'],
		params: { slug: fields.slug },
		query: articleApiQuery,
		response: articleView,
		example: '/api/v1/articles/tidsresemetodiken?lang=sv'
	},
	{
		path: '/api/v1/goals',
		summary: 'The 17 Global Goals with their colours and numbers of published articles',
		tags: ['goals'],
		query: goalsApiQuery,
		response: goalListView,
		example: '/api/v1/goals?lang=en'
	},
	{
		path: '/api/v1/goals/{n}',
		summary: 'One goal with its targets',
		tags: ['goals'],
		params: { n: goalNumber },
		query: goalsApiQuery,
		response: goalDetailView,
		example: '/api/v1/goals/16'
	},
	{
		path: '/api/v1/partnerships',
		summary: 'Partnerships with the list’s filters; `format=csv` gives the whole filtered list',
		tags: ['partnerships'],
		query: partnershipListApiQuery,
		response: partnershipListView,
		csv: true,
		example: '/api/v1/partnerships?sdg=16&lang=en'
	},
	{
		path: '/api/v1/partnerships/{slug}',
		summary: 'One partnership: members, team, phases, goals, documents',
		tags: ['partnerships'],
		params: { slug: fields.slug },
		query: partnershipApiQuery,
		response: partnershipView,
		example: '/api/v1/partnerships/horby-peja?lang=en'
	},
	{
		path: '/api/v1/partnerships/{slug}/iati.xml',
		summary: 'One partnership’s results framework as an IATI 2.03 activity file (decision 16)',
		tags: ['partnerships'],
		params: { slug: fields.slug },
		xml: true,
		example: '/api/v1/partnerships/ale-ghanzi/iati.xml'
	},
	{
		path: '/api/v1/iati.xml',
		summary: 'Every partnership with a results framework, one IATI 2.03 activity each (decision 16)',
		tags: ['partnerships'],
		xml: true,
		example: '/api/v1/iati.xml'
	},
	{
		path: '/api/v1/organizations',
		summary: 'Organizations: Swedish municipalities and regions, and partners abroad',
		tags: ['organizations'],
		query: organizationListApiQuery,
		response: organizationListView,
		csv: true,
		example: '/api/v1/organizations?county=14'
	},
	{
		path: '/api/v1/dialogues',
		summary:
			'Dialogue spaces (open ones unless `status` says otherwise) with the list’s filters; `format=csv` gives the whole filtered list',
		tags: ['dialogue'],
		query: spaceListApiQuery,
		response: dialogueListView,
		csv: true,
		example: '/api/v1/dialogues?country=XK&lang=en'
	},
	{
		path: '/api/v1/dialogues/{slug}',
		summary: 'One dialogue space: level, phases, what is open now, who may take part, its figures',
		tags: ['dialogue'],
		params: { slug: fields.slug },
		query: spaceApiQuery,
		response: dialogueView,
		example: '/api/v1/dialogues/unga-i-ale-vara-med-och-paverka?lang=en'
	},
	...openDataEndpoints
];

let document: Record<string, unknown> | undefined;

/** The OpenAPI document (built once per process: the schemas do not change while it runs). */
export function apiDocument(): Record<string, unknown> {
	document ??= openApiDocument(apiEndpoints, {
		title: 'Partnerskap för lokal demokrati – open data',
		version: '1',
		description:
			'Inspiration, Global Goals, partnerships and organizations as JSON (and CSV with a byte-order mark). ' +
			'Every list takes `lang` (sv, en), `page` and `per_page`; a bad parameter is a 400 that names it.'
	});
	return document;
}
