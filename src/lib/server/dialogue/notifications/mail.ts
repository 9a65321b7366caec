import { format, isLocale, localizePath, messages, type Locale } from '#lib/i18n/index.ts';
import type { LocalizedText } from '../../kernel/localized.ts';
import { pick } from '../../kernel/localized.ts';
import { config } from '../../kernel/config.ts';
import type { OutboxMail } from '../../kernel/outbox.ts';
import type { AnswerState, ProposalEventKind } from '../schema.ts';
import type { ResultStatus } from '../../results/schema.ts';
import { unsubscribeToken, type UnsubscribeTarget } from './tokens.ts';

// The notification mails' texts: plain text in the recipient's language, absolute links (from the
// configured public origin) to what happened, and a footer with the unsubscribe links. A single
// mail and a digest share the lines; both carry List-Unsubscribe and List-Unsubscribe-Post (RFC
// 8058) so a mail program can offer one-click unsubscribe.

/** The history's steps a follower hears of. `submitted` and `edited` are nobody's news. */
export const toldKinds = [
	'published',
	'refused',
	'threshold-reached',
	'not-reached',
	'answer-published',
	'hidden',
	'restored',
	'withdrawn',
	'result-linked',
	'result-status'
] as const satisfies readonly ProposalEventKind[];
export type ToldKind = (typeof toldKinds)[number];

/** Of those, what a space's followers hear (a refusal or a hiding is the proposal's followers' news). */
export const spaceKinds: readonly ToldKind[] = [
	'published',
	'threshold-reached',
	'not-reached',
	'answer-published',
	'withdrawn'
];

/** One thing that happened, as a mail tells it. */
export interface Happening {
	kind: ToldKind | 'reply';
	spaceSlug: string;
	spaceTitle: LocalizedText;
	proposalId: number | null;
	proposalTitle: string | null;
	/** An answer's state (answer-published), or a result's (result-linked, result-status). */
	answerState: string | null;
	/** The result a partnership took the proposal up in (result-linked, result-status). */
	resultTitle: LocalizedText | null;
	/** Who replied (reply); null for a former participant. */
	replierName: string | null;
	commentId: number | null;
	/** What the recipient follows that brought this (all: a reply to their comment). */
	via: UnsubscribeTarget;
}

export interface Recipient {
	id: string;
	name: string;
	email: string;
	locale: string | null;
}

export const mailLocale = (r: { locale: string | null }): Locale => (isLocale(r.locale) ? r.locale : 'sv');

const absolute = (locale: Locale, path: string) => `${config().publicOrigin}${localizePath(locale, path)}`;

/** Where to read about it: the proposal (at the reply), or the space's debate. */
export function happeningUrl(locale: Locale, h: Happening): string {
	const base = `/dialogue/${h.spaceSlug}`;
	const at = h.commentId ? `#comment-${h.commentId}` : '';
	if (h.proposalId) return absolute(locale, `${base}/proposals/${h.proposalId}`) + at;
	return absolute(locale, h.kind === 'reply' ? `${base}/debate` : base) + at;
}

export const unsubscribeUrl = (locale: Locale, userId: string, target: UnsubscribeTarget) =>
	absolute(locale, `/dialogue/unsubscribe/${unsubscribeToken(userId, target)}`);

/** The result's title as the step kept it (`title.sv`, `title.en`), for result-linked and result-status. */
export function resultTitleOf(detail: Record<string, string>): LocalizedText | null {
	const title = Object.fromEntries(
		Object.entries(detail)
			.filter(([key]) => key.startsWith('title.'))
			.map(([key, text]) => [key.slice('title.'.length), text])
	);
	return Object.keys(title).length ? title : null;
}

/** One line saying what happened. */
export function happeningLine(locale: Locale, h: Happening): string {
	const m = messages(locale);
	const t = m.dialogue.notifications.mail;
	const space = pick(h.spaceTitle, locale);
	const title = h.proposalTitle ?? '';
	if (h.kind === 'reply') {
		const name = h.replierName || t.someone;
		return h.proposalId ? format(t.replyOnProposal, { name, title }) : format(t.reply, { name, space });
	}
	if (h.kind === 'result-linked' || h.kind === 'result-status') {
		const state = m.results.statuses[h.answerState as ResultStatus] ?? h.answerState ?? '';
		return format(t.events[h.kind], {
			title,
			state,
			result: h.resultTitle ? pick(h.resultTitle, locale) : ''
		});
	}
	const state = h.answerState ? (m.dialogue.answerStates[h.answerState as AnswerState] ?? h.answerState) : '';
	return format(t.events[h.kind], { title, space, state });
}

function footer(locale: Locale, userId: string, via: UnsubscribeTarget, h?: Happening): string {
	const t = messages(locale).dialogue.notifications.mail;
	const what =
		via.kind === 'space' && h
			? format(t.footerWhatSpace, { space: pick(h.spaceTitle, locale) })
			: via.kind === 'proposal' && h
				? format(t.footerWhatProposal, { title: h.proposalTitle ?? '' })
				: t.footerWhatAll;
	const lines = ['-- ', format(t.footer, { what, account: absolute(locale, '/account') })];
	if (via.kind !== 'all') lines.push(format(t.stopThis, { what, url: unsubscribeUrl(locale, userId, via) }));
	lines.push(format(t.stopAll, { url: unsubscribeUrl(locale, userId, { kind: 'all' }) }));
	return lines.join('\n');
}

/** The one-click headers: the follow a single mail came through, else all of the person's. */
function listHeaders(locale: Locale, userId: string, via: UnsubscribeTarget): Record<string, string> {
	return {
		'List-Unsubscribe': `<${unsubscribeUrl(locale, userId, via)}>`,
		'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click'
	};
}

/** A mail about one happening (a participant who chose single mails). */
export function singleMail(key: string, to: Recipient, h: Happening): OutboxMail {
	const locale = mailLocale(to);
	const t = messages(locale).dialogue.notifications.mail;
	const space = pick(h.spaceTitle, locale);
	return {
		key,
		to: to.email,
		subject: format(t.singleSubject, { space, what: t.subjects[h.kind] }),
		text: [
			format(t.greeting, { name: to.name }),
			'',
			happeningLine(locale, h),
			format(t.read, { url: happeningUrl(locale, h) }),
			'',
			footer(locale, to.id, h.via, h)
		].join('\n'),
		headers: listHeaders(locale, to.id, h.via)
	};
}

/** A digest: every happening since the last one, grouped by space, in one mail. */
export function digestMail(
	key: string,
	to: Recipient,
	period: 'daily' | 'weekly',
	list: Happening[]
): OutboxMail {
	const locale = mailLocale(to);
	const t = messages(locale).dialogue.notifications.mail;
	const lines = [format(t.greeting, { name: to.name }), '', t.digestIntro];
	const bySpace = new Map<string, Happening[]>();
	for (const h of list) bySpace.set(h.spaceSlug, [...(bySpace.get(h.spaceSlug) ?? []), h]);
	for (const items of bySpace.values()) {
		lines.push('', pick(items[0]!.spaceTitle, locale), '');
		for (const h of items) lines.push(`* ${happeningLine(locale, h)}`, `  ${happeningUrl(locale, h)}`);
	}
	lines.push('', footer(locale, to.id, { kind: 'all' }));
	return {
		key,
		to: to.email,
		subject: period === 'weekly' ? t.digestSubjectWeekly : t.digestSubjectDaily,
		text: lines.join('\n'),
		headers: listHeaders(locale, to.id, { kind: 'all' })
	};
}
