import { z } from 'zod';
import { fields, readQuery } from '../../kernel/input.ts';
import type { Locale } from '#lib/i18n/locales.ts';
import { answerStates, type AnswerState } from '#lib/dialogue-values.ts';
import { proposalSorts, publicProposalStatuses, type ProposalSort } from '../spaces/input.ts';

/**
 * The query strings of the dialogue's open data: `/api/v1/proposals` (the space page's filters
 * and more), `/api/v1/proposals/<id>`, `/api/v1/comments`, and a space's data.zip and feed.
 */

/** A list as JSON pages like the other lists; as CSV it is the whole filtered list, up to this. */
export const openDataPageSize = 20;
export const openDataCsvRows = 10_000;

type PublicStatus = (typeof publicProposalStatuses)[number];

/** `GET /api/v1/proposals?space=…&status=collecting&answer_state=accepted&sort=supported&page=2` */
export const proposalListApiQuery = {
	/** A space's address. */
	space: fields.slug.optional(),
	status: z.enum(publicProposalStatuses, 'invalidProposalFilter').optional(),
	answer_state: z.enum(answerStates, 'opendataInvalidAnswerState').optional(),
	/** The organization's own spaces and those of the partnerships it is a member of. */
	organization: fields.slug.optional(),
	partnership: fields.slug.optional(),
	sort: z.enum(proposalSorts, 'invalidProposalSort').optional(),
	page: fields.page.optional(),
	per_page: fields.perPage.optional(),
	lang: fields.lang.optional(),
	format: fields.format.optional()
};

/** `GET /api/v1/proposals/<id>` */
export const proposalApiQuery = { lang: fields.lang.optional() };

/** `GET /api/v1/comments?space=…&proposal=3&page=2` */
export const commentListApiQuery = {
	space: fields.slug.optional(),
	proposal: fields.id.optional(),
	page: fields.page.optional(),
	per_page: fields.perPage.optional(),
	lang: fields.lang.optional(),
	format: fields.format.optional()
};

export interface ProposalFilter {
	space?: string;
	status?: PublicStatus;
	answerState?: AnswerState;
	organization?: string;
	partnership?: string;
	sort: ProposalSort;
	page: number;
	perPage: number;
}

export interface CommentFilter {
	space?: string;
	proposal?: number;
	page: number;
	perPage: number;
}

export interface ListRequest<F> {
	filter: F;
	lang: Locale;
	format: 'json' | 'csv';
}

/** Reads `GET /api/v1/proposals`' query string; each bad or repeated parameter is named. */
export function readProposalListApiQuery(params: URLSearchParams): ListRequest<ProposalFilter> {
	const q = readQuery(params, proposalListApiQuery, 'dialogue');
	const format = q.format ?? 'json';
	return {
		lang: q.lang ?? 'sv',
		format,
		filter: {
			space: q.space,
			status: q.status,
			answerState: q.answer_state,
			organization: q.organization,
			partnership: q.partnership,
			sort: q.sort ?? 'newest',
			page: q.page ?? 1,
			perPage: format === 'csv' ? openDataCsvRows : (q.per_page ?? openDataPageSize)
		}
	};
}

/** Reads `GET /api/v1/proposals/<id>`' query string. */
export function readProposalApiQuery(params: URLSearchParams): { lang: Locale } {
	return { lang: readQuery(params, proposalApiQuery, 'dialogue').lang ?? 'sv' };
}

/** Reads `GET /api/v1/comments`' query string. */
export function readCommentListApiQuery(params: URLSearchParams): ListRequest<CommentFilter> {
	const q = readQuery(params, commentListApiQuery, 'dialogue');
	const format = q.format ?? 'json';
	return {
		lang: q.lang ?? 'sv',
		format,
		filter: {
			space: q.space,
			proposal: q.proposal,
			page: q.page ?? 1,
			perPage: format === 'csv' ? openDataCsvRows : (q.per_page ?? openDataPageSize)
		}
	};
}
