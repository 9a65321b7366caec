import { fields } from '../../kernel/input.ts';
import type { Endpoint } from '../../kernel/openapi.ts';
import { commentListApiQuery, proposalApiQuery, proposalListApiQuery } from './input.ts';
import { commentListView, proposalListView, proposalView } from './views.ts';

/**
 * The dialogue's open data in the API's description: the lines app/api.ts joins to its list (and
 * the tests here check real answers against).
 */
export const openDataEndpoints: readonly Endpoint[] = [
	{
		path: '/api/v1/proposals',
		summary:
			'Public proposals with the space page’s filters, newest or most supported first; hidden ones without their text, with the public reason; `format=csv` gives the whole filtered list',
		tags: ['dialogue'],
		query: proposalListApiQuery,
		response: proposalListView,
		csv: true,
		example: '/api/v1/proposals?space=unga-i-ale-vara-med-och-paverka&sort=supported'
	},
	{
		path: '/api/v1/proposals/{id}',
		summary: 'One public proposal with its published answers and its history',
		tags: ['dialogue'],
		params: { id: fields.id },
		query: proposalApiQuery,
		response: proposalView,
		example: '/api/v1/proposals/1'
	},
	{
		path: '/api/v1/comments',
		summary:
			'Public comments in the order they were written, in a space’s debate or on a proposal; hidden and deleted ones without their text; `format=csv` gives the whole filtered list',
		tags: ['dialogue'],
		query: commentListApiQuery,
		response: commentListView,
		csv: true,
		example: '/api/v1/comments?space=torget-i-horby-och-peja'
	}
];
