// What a comment thread shows, shared by the server (which builds it) and the component (which
// renders it). No server code here: the component imports it.
import type { Stance } from '#lib/dialogue-values.ts';

/** One comment as the page shows it, with its replies (oldest first) nested under it. */
export interface CommentView {
	id: number;
	depth: number;
	/** The author's display name; null once their account is gone ("former participant"). */
	author: string | null;
	/** ISO time it was written, and last edited (null when never). */
	at: string;
	editedAt: string | null;
	stance: Stance | null;
	/** shown: its text; hidden: a moderator's public reason instead; deleted: "deleted by its author". */
	state: 'shown' | 'hidden' | 'deleted';
	/** The text (only when shown: a hidden or deleted comment's text never reaches the page). */
	body: string | null;
	hiddenReason: string | null;
	/** Held for a moderator (a pre-moderated space): only its author sees it, and nobody replies yet. */
	awaiting: boolean;
	/** The viewer wrote it. */
	mine: boolean;
	/** Until when (ISO) the viewer may still edit it; null when they may not. */
	editableUntil: string | null;
	canDelete: boolean;
	canReply: boolean;
	replies: CommentView[];
}

/**
 * What the viewer may do here: write (the form), or why not: not signed in, input closed (the
 * space is not open or no current phase opens comments), verified residents only, an address not
 * yet verified, or blocked by a moderator.
 */
export type CommentMode = 'write' | 'signIn' | 'closed' | 'residentsOnly' | 'unverified' | 'blocked';

/** Newest or oldest threads first. */
export const commentOrders = ['newest', 'oldest'] as const;
export type CommentOrder = (typeof commentOrders)[number];

/** A page of a thread: 20 top-level comments with all their replies. */
export interface ThreadPage {
	/** The space's address part, for the report links. */
	space: string;
	comments: CommentView[];
	page: number;
	pages: number;
	/** Top-level comments in all (the threads). */
	threads: number;
	order: CommentOrder;
	mode: CommentMode;
	/** The viewer's new comments wait for a moderator before others see them. */
	screened: boolean;
}

/** A piece of a comment's text: plain text, or a link (http/https only). */
export type Segment = { text: string; href?: undefined } | { text: string; href: string };

// A run that starts like a web address, up to white space or a character that never belongs in
// one as typed (< > " and backticks).
const candidate = /\bhttps?:\/\/[^\s<>"`]+/giu;
// Punctuation that ends a sentence rather than the address ("see https://a.se/x.").
const trailing = /[.,;:!?'’”»)\]}]+$/u;

/**
 * Splits plain text into text and links. Only http and https addresses become links (never
 * javascript:, data: or anything else); everything is text to the page, which escapes it. A
 * closing bracket stays in the address when the address opened one (Wikipedia's "(stad)").
 */
export function segments(text: string): Segment[] {
	const out: Segment[] = [];
	let last = 0;
	for (const match of text.matchAll(candidate)) {
		let raw = match[0];
		const cut = raw.match(trailing)?.[0] ?? '';
		if (cut) {
			raw = raw.slice(0, raw.length - cut.length);
			// Give back a ")" the address itself opened.
			const opened = (raw.match(/\(/g) ?? []).length - (raw.match(/\)/g) ?? []).length;
			if (opened > 0 && cut.startsWith(')')) raw += ')';
		}
		const href = safeHref(raw);
		if (!href) continue;
		const start = match.index;
		if (start > last) out.push({ text: text.slice(last, start) });
		out.push({ text: raw, href });
		last = start + raw.length;
	}
	if (last < text.length) out.push({ text: text.slice(last) });
	return out;
}

/** The address as a link may carry it, or null when it is not a well-formed http(s) address. */
function safeHref(raw: string): string | null {
	try {
		const url = new URL(raw);
		if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
		if (!url.hostname || url.username || url.password) return null;
		return url.href;
	} catch {
		return null;
	}
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** When a comment was written, as people in that language write it ("2 dec. 2026 10:15"). */
export function commentTime(locale: string, iso: string, clockOnly = false): string {
	const key = `${locale}:${clockOnly}`;
	let f = timeFormats.get(key);
	if (!f) {
		f = new Intl.DateTimeFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', {
			...(clockOnly ? {} : { day: 'numeric', month: 'short', year: 'numeric' }),
			hour: '2-digit',
			minute: '2-digit',
			timeZone: 'Europe/Stockholm'
		});
		timeFormats.set(key, f);
	}
	return f.format(new Date(iso));
}

/**
 * What a refused comment form sends back to the page (`form.comments`): which form, the comment it
 * was about (null for a new one), what was typed and the problems.
 */
export interface SentBack {
	action: 'comment' | 'reply' | 'editComment' | 'deleteComment';
	target: number | null;
	comment: string;
	stance: string;
	problems: { field: string; message: string }[];
}
