import { locales, type Locale, type Messages } from '#lib/i18n/index.ts';
import type { AnswerRecord, CommentRecord, EventRecord, ProposalRecord } from './queries.ts';
import { authorName, eventFields, pages } from './views.ts';

/**
 * The CSV tables of the open data: the same columns in the API's `format=csv` and in a space's
 * data.zip, and each column described in the zip's README (messages `dialogue.opendata.columns`,
 * whose keys the column names are checked against). Several values are never joined in a cell;
 * a boolean is `true` or `false`; a time is ISO 8601 in UTC; empty is missing.
 */

export type Cell = string | number | null;
export type TableName = keyof Messages['dialogue']['opendata']['columns'];
type Described<T extends TableName> = keyof Messages['dialogue']['opendata']['columns'][T];

export interface Table<R> {
	name: TableName;
	header: string[];
	row(record: R): Cell[];
}

/** A column per language (`text_sv`, `text_en`): described once, under its stem. */
export const perLanguage = <S extends string>(stem: S) =>
	locales.map((l): `${S}_${Locale}` => `${stem}_${l}`);
/** The description key of a column: `text_en` → `text`. */
export const describedAs = (column: string) => column.replace(new RegExp(`_(${locales.join('|')})$`), '');

const iso = (d: Date | null) => d?.toISOString() ?? null;
const bool = (b: boolean) => (b ? 'true' : 'false');

const proposalColumns = [
	'space',
	'id',
	'title',
	'body',
	'language',
	'place_name',
	'lat',
	'lon',
	'author',
	'status',
	'answer_state',
	'support_count',
	'comment_count',
	'created_at',
	'edited_at',
	'collect_until',
	'threshold_reached_at',
	'answer_due',
	'first_answered_at',
	'hidden',
	'hidden_reason',
	'url'
] as const satisfies readonly Described<'proposals'>[];

export function proposalTable(origin: string, locale: Locale): Table<ProposalRecord> {
	const at = pages(origin, locale);
	return {
		name: 'proposals',
		header: [...proposalColumns],
		row: (p) => [
			p.space.slug,
			p.id,
			p.title,
			p.body,
			p.language,
			p.placeName,
			p.lat,
			p.lon,
			authorName(locale, p.author),
			p.status,
			p.answerState,
			p.supportCount,
			p.commentCount,
			iso(p.createdAt),
			iso(p.editedAt),
			iso(p.collectUntil),
			iso(p.thresholdReachedAt),
			iso(p.answerDue),
			iso(p.firstAnsweredAt),
			bool(p.hidden),
			p.hiddenReason,
			at.proposal(p.space.slug, p.id)
		]
	};
}

const commentColumns = [
	'space',
	'id',
	'proposal_id',
	'parent_id',
	'depth',
	'author',
	'stance',
	'state',
	'body',
	'hidden_reason',
	'created_at',
	'edited_at',
	'url'
] as const satisfies readonly Described<'comments'>[];

export function commentTable(origin: string, locale: Locale): Table<CommentRecord> {
	const at = pages(origin, locale);
	return {
		name: 'comments',
		header: [...commentColumns],
		row: (c) => [
			c.space,
			c.id,
			c.proposalId,
			c.parentId,
			c.depth,
			c.state === 'deleted' ? null : authorName(locale, c.author),
			c.stance,
			c.state,
			c.body,
			c.hiddenReason,
			iso(c.createdAt),
			iso(c.editedAt),
			at.comment(c)
		]
	};
}

export function answerTable(origin: string, locale: Locale, space: string): Table<AnswerRecord> {
	const at = pages(origin, locale);
	return {
		name: 'answers',
		header: [
			'space',
			'id',
			'proposal_id',
			'state',
			...perLanguage('text'),
			...perLanguage('decided_by'),
			'decision_url',
			'published_at',
			'url'
		] satisfies (Described<'answers'> | `${Described<'answers'>}_${Locale}`)[],
		row: (a) => [
			space,
			a.id,
			a.proposalId,
			a.state,
			...locales.map((l) => a.text[l] ?? null),
			...locales.map((l) => a.decidedBy[l] ?? null),
			a.decisionUrl,
			iso(a.publishedAt),
			at.proposal(space, a.proposalId)
		]
	};
}

const historyColumns = [
	'space',
	'proposal_id',
	'kind',
	'at',
	'answer_state',
	'reason',
	'hidden_by',
	'supports',
	'from_status'
] as const satisfies readonly Described<'history'>[];

export function historyTable(space: string): Table<EventRecord> {
	return {
		name: 'history',
		header: [...historyColumns],
		row: (e) => {
			const f = eventFields(e);
			return [
				space,
				e.proposalId,
				e.kind,
				iso(e.at),
				f.answerState,
				f.reason,
				f.hiddenBy,
				f.supports,
				f.fromStatus
			];
		}
	};
}
