import { z } from 'zod';
import { localizePath, locales, messages, type Locale } from '#lib/i18n/index.ts';
import { pick } from '../../kernel/localized.ts';
import { answerStates, proposalEventKinds, proposalStatuses, stances } from '#lib/dialogue-values.ts';
import { publicProposalStatuses } from '../spaces/input.ts';
import { pickedLanguage } from '../spaces/listing.ts';
import type {
	AnswerRecord,
	CommentRecord,
	EventRecord,
	Page,
	ProposalDetail,
	ProposalRecord
} from './queries.ts';

/**
 * What the open data answers with (a contract: see docs/api.md): the JSON of `/api/v1/proposals`,
 * `/api/v1/proposals/<id>` and `/api/v1/comments`, each also a Zod schema for the OpenAPI
 * document. The CSV tables are in tables.ts.
 */

const when = z.iso.datetime();
const int = z.number().int();

export const proposalSpaceView = z.object({ slug: z.string(), title: z.string(), url: z.url() });

/** A proposal in a list. */
export const proposalSummaryView = z.object({
	id: int,
	space: proposalSpaceView,
	/** Null when hidden (as are body, place and point): the public reason stands instead. */
	title: z.string().nullable(),
	body: z.string().nullable(),
	/** The language it is written in (ISO 639-1). */
	language: z.string(),
	placeName: z.string().nullable(),
	lat: z.number().nullable(),
	lon: z.number().nullable(),
	/** The name the author shows, or "former participant" in the answer's language. */
	author: z.string(),
	authorIsFormer: z.boolean(),
	status: z.enum(publicProposalStatuses),
	/** The state of the latest published answer. */
	answerState: z.enum(answerStates).nullable(),
	supportCount: int,
	commentCount: int,
	collectUntil: when,
	thresholdReachedAt: when.nullable(),
	answerDue: when.nullable(),
	firstAnsweredAt: when.nullable(),
	createdAt: when,
	editedAt: when.nullable(),
	hidden: z.boolean(),
	/** Null when shown, or when hidden by flags until a moderator decides. */
	hiddenReason: z.string().nullable(),
	url: z.url()
});

/** `GET /api/v1/proposals` */
export const proposalListView = z.object({
	items: z.array(proposalSummaryView),
	total: int,
	page: int,
	perPage: int
});

export const proposalAnswerView = z.object({
	id: int,
	state: z.enum(answerStates),
	text: z.string(),
	/** The language `text` is in (another than asked when the answer has none in that one). */
	textLang: z.string(),
	decidedBy: z.string(),
	decisionUrl: z.string().nullable(),
	publishedAt: when
});

export const proposalEventView = z.object({
	kind: z.enum(proposalEventKinds),
	at: when,
	/** For `answer-published`. */
	answerState: z.enum(answerStates).nullable(),
	/** The public reason, for `hidden` and `restored`. */
	reason: z.string().nullable(),
	hiddenBy: z.enum(['flags', 'moderator']).nullable(),
	/** For `threshold-reached`. */
	supports: int.nullable(),
	/** For `withdrawn`: where it was. */
	fromStatus: z.enum(proposalStatuses).nullable()
});

/** `GET /api/v1/proposals/<id>` */
export const proposalView = proposalSummaryView.extend({
	lang: z.enum(locales),
	/** Published answers, newest first. */
	answers: z.array(proposalAnswerView),
	/** What happened, oldest first. */
	history: z.array(proposalEventView)
});

export const commentStates = ['shown', 'hidden', 'deleted'] as const;

export const commentView = z.object({
	id: int,
	space: z.string(),
	/** Null in the space's own debate. */
	proposal: int.nullable(),
	parent: int.nullable(),
	depth: int,
	/** Null for a deleted comment. */
	author: z.string().nullable(),
	authorIsFormer: z.boolean(),
	stance: z.enum(stances).nullable(),
	state: z.enum(commentStates),
	/** Only a shown comment's text. */
	body: z.string().nullable(),
	hiddenReason: z.string().nullable(),
	createdAt: when,
	editedAt: when.nullable(),
	url: z.url()
});

/** `GET /api/v1/comments` */
export const commentListView = z.object({
	items: z.array(commentView),
	total: int,
	page: int,
	perPage: int
});

export type ProposalSummaryView = z.infer<typeof proposalSummaryView>;
export type ProposalView = z.infer<typeof proposalView>;
export type CommentView = z.infer<typeof commentView>;

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The addresses of a space's pages. */
export const pages = (origin: string, locale: Locale) => ({
	space: (slug: string) => origin + localizePath(locale, `/dialogue/${slug}`),
	proposal: (slug: string, id: number) => origin + localizePath(locale, `/dialogue/${slug}/proposals/${id}`),
	comment: (c: Pick<CommentRecord, 'space' | 'proposalId' | 'id'>) =>
		origin +
		localizePath(
			locale,
			c.proposalId === null ? `/dialogue/${c.space}/debate` : `/dialogue/${c.space}/proposals/${c.proposalId}`
		) +
		`#comment-${c.id}`
});

/** The author as shown: the name they show, or "former participant" in the reader's language. */
export const authorName = (locale: Locale, author: string | null) =>
	author ?? messages(locale).dialogue.formerParticipant;

export function proposalSummaryJson(origin: string, locale: Locale, p: ProposalRecord): ProposalSummaryView {
	const at = pages(origin, locale);
	return {
		id: p.id,
		space: { slug: p.space.slug, title: pick(p.space.title, locale), url: at.space(p.space.slug) },
		title: p.title,
		body: p.body,
		language: p.language,
		placeName: p.placeName,
		lat: p.lat,
		lon: p.lon,
		author: authorName(locale, p.author),
		authorIsFormer: p.author === null,
		status: p.status,
		answerState: p.answerState,
		supportCount: p.supportCount,
		commentCount: p.commentCount,
		collectUntil: p.collectUntil.toISOString(),
		thresholdReachedAt: iso(p.thresholdReachedAt),
		answerDue: iso(p.answerDue),
		firstAnsweredAt: iso(p.firstAnsweredAt),
		createdAt: p.createdAt.toISOString(),
		editedAt: iso(p.editedAt),
		hidden: p.hidden,
		hiddenReason: p.hiddenReason,
		url: at.proposal(p.space.slug, p.id)
	};
}

export function proposalListJson(origin: string, locale: Locale, page: Page<ProposalRecord>) {
	return {
		items: page.items.map((p) => proposalSummaryJson(origin, locale, p)),
		total: page.total,
		page: page.page,
		perPage: page.perPage
	} satisfies z.infer<typeof proposalListView>;
}

const oneOf = <T extends string>(values: readonly T[], value: string | undefined): T | null =>
	values.includes(value as T) ? (value as T) : null;

/** A history step's detail as named fields (a value the schema does not know is left out). */
export function eventFields(e: EventRecord) {
	const supports = e.detail.supports;
	return {
		answerState: oneOf(answerStates, e.detail.state),
		reason: e.detail.reason ?? null,
		hiddenBy: oneOf(['flags', 'moderator'] as const, e.detail.by),
		supports: supports !== undefined && /^\d{1,9}$/.test(supports) ? Number(supports) : null,
		fromStatus: oneOf(proposalStatuses, e.detail.from)
	};
}

export function answerJson(locale: Locale, a: AnswerRecord): z.infer<typeof proposalAnswerView> {
	return {
		id: a.id,
		state: a.state,
		text: pick(a.text, locale),
		textLang: pickedLanguage(a.text, locale),
		decidedBy: pick(a.decidedBy, locale),
		decisionUrl: a.decisionUrl,
		publishedAt: a.publishedAt.toISOString()
	};
}

export function proposalJson(origin: string, locale: Locale, d: ProposalDetail): ProposalView {
	return {
		...proposalSummaryJson(origin, locale, d.proposal),
		lang: locale,
		answers: d.answers.map((a) => answerJson(locale, a)),
		history: d.history.map((e) => ({ kind: e.kind, at: e.at.toISOString(), ...eventFields(e) }))
	};
}

export function commentJson(origin: string, locale: Locale, c: CommentRecord): CommentView {
	return {
		id: c.id,
		space: c.space,
		proposal: c.proposalId,
		parent: c.parentId,
		depth: c.depth,
		author: c.state === 'deleted' ? null : authorName(locale, c.author),
		authorIsFormer: c.formerParticipant,
		stance: c.stance,
		state: c.state,
		body: c.body,
		hiddenReason: c.hiddenReason,
		createdAt: c.createdAt.toISOString(),
		editedAt: iso(c.editedAt),
		url: pages(origin, locale).comment(c)
	};
}

export function commentListJson(origin: string, locale: Locale, page: Page<CommentRecord>) {
	return {
		items: page.items.map((c) => commentJson(origin, locale, c)),
		total: page.total,
		page: page.page,
		perPage: page.perPage
	} satisfies z.infer<typeof commentListView>;
}
