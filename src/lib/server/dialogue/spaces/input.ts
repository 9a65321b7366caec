import { z } from 'zod';
import { fields, readQuery, type Input } from '../../kernel/input.ts';
import type { Locale } from '#lib/i18n/locales.ts';
import type { ProposalStatus, SpaceStatus } from '#lib/dialogue-values.ts';

/**
 * What people send about dialogue spaces: the list's filters (page, API, CSV) and the space page's
 * proposal list. The space form (create and edit) is `form.ts`, re-exported here for the routes.
 */
export * from './form.ts';

// ---------------------------------------------------------------------------------------------
// The list of spaces

/** The statuses the public list shows; a draft is seen only by whoever runs it. */
export const listedSpaceStatuses = ['open', 'closed', 'archived'] as const satisfies readonly SpaceStatus[];

/** `/dialogue?organization=ale-kommun&partnership=…&country=XK&theme=…&sdg=16.7&status=closed&page=2` */
export const spaceFilterQuery = {
	organization: fields.slug.optional(),
	partnership: fields.slug.optional(),
	/** The owner's country, or a country of the owning partnership's members. */
	country: fields.country.optional(),
	theme: fields.theme.optional(),
	sdg: fields.goalOrTarget.optional(),
	status: z.enum(listedSpaceStatuses, 'invalidSpaceStatus').optional(),
	page: fields.page.optional()
};

/** `GET /api/v1/dialogues`: the list's filters, the language, a page's size, JSON or CSV. */
export const spaceListApiQuery = {
	...spaceFilterQuery,
	lang: fields.lang.optional(),
	per_page: fields.perPage.optional(),
	format: fields.format.optional()
};

/** `GET /api/v1/dialogues/<slug>` */
export const spaceApiQuery = { lang: fields.lang.optional() };

export interface SpaceFilter {
	organization?: string;
	partnership?: string;
	country?: string;
	theme?: string;
	goal?: number;
	target?: string;
	/** Open unless asked otherwise. */
	status: (typeof listedSpaceStatuses)[number];
	page: number;
}

/** A page of the list and of the API's JSON. */
export const spacePageSize = 20;
/** The CSV is the whole filtered list. */
export const spaceCsvRows = 10_000;

const filterOf = (q: Input<typeof spaceFilterQuery>): SpaceFilter => ({
	organization: q.organization,
	partnership: q.partnership,
	country: q.country,
	theme: q.theme,
	goal: q.sdg?.goal,
	target: q.sdg?.target,
	status: q.status ?? 'open',
	page: q.page ?? 1
});

/** Reads `/dialogue`'s query string; each bad or repeated parameter is named. */
export function readSpaceFilter(params: URLSearchParams): SpaceFilter {
	return filterOf(readQuery(params, spaceFilterQuery, 'dialogue'));
}

/** Reads `GET /api/v1/dialogues`' query string. */
export function readSpaceListApiQuery(params: URLSearchParams) {
	const q = readQuery(params, spaceListApiQuery, 'dialogue');
	const format = q.format ?? 'json';
	return {
		filter: filterOf(q),
		lang: q.lang ?? 'sv',
		format,
		perPage: format === 'csv' ? spaceCsvRows : (q.per_page ?? spacePageSize)
	};
}

/** Reads `GET /api/v1/dialogues/<slug>`' query string. */
export function readSpaceApiQuery(params: URLSearchParams): { lang: Locale } {
	return { lang: readQuery(params, spaceApiQuery, 'dialogue').lang ?? 'sv' };
}

// ---------------------------------------------------------------------------------------------
// The space page's proposals

/** The proposals the public sees: not those in screening, refused or hidden. */
export const publicProposalStatuses = [
	'collecting',
	'to-answer',
	'answered',
	'not-reached',
	'withdrawn'
] as const satisfies readonly ProposalStatus[];

export const proposalSorts = ['newest', 'supported'] as const;
export type ProposalSort = (typeof proposalSorts)[number];

/** `/dialogue/<space>?status=collecting&sort=supported&page=2` */
export const spaceProposalQuery = {
	status: z.enum(publicProposalStatuses, 'invalidProposalFilter').optional(),
	sort: z.enum(proposalSorts, 'invalidProposalSort').optional(),
	page: fields.page.optional()
};

export interface ProposalListFilter {
	status?: (typeof publicProposalStatuses)[number];
	sort: ProposalSort;
	page: number;
}

/** Proposals a page of the space shows. */
export const proposalPageSize = 20;

export function readProposalListFilter(params: URLSearchParams): ProposalListFilter {
	const q = readQuery(params, spaceProposalQuery, 'dialogue');
	return { status: q.status, sort: q.sort ?? 'newest', page: q.page ?? 1 };
}
