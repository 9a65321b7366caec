import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Database } from '../../kernel/database.ts';
import { ValidationError } from '../../kernel/errors.ts';
import { forPage, problemsIn } from '../../kernel/http.ts';
import { readQuery, requestForm, typedValues } from '../../kernel/input.ts';
import type { LocalizedText } from '../../kernel/localized.ts';
import type { Actor } from '../../kernel/policy.ts';
import type { SpaceStatus } from '../schema.ts';
import { messages, plural, type Locale } from '#lib/i18n/index.ts';
import type { SentBack, ThreadPage } from '#lib/components/comment-thread/thread.ts';
import type { SpaceRecord } from '../spaces/queries.ts';
import { threadQueryShape } from './input.ts';
import { commentTarget, threadPage } from './queries.ts';
import {
	CommentLimitError,
	deleteComment,
	editComment,
	writeComment,
	writeReply,
	type CommentPlace
} from './commands.ts';

// What a page needs to show a comment thread and take its forms. A page joins comments with two
// lines:
//   load:    comments: await loadThread(database, { space: params.space, proposalId, actor, url })
//   actions: export const actions = { ...commentActions(db), support }
// and renders <CommentThread thread={data.comments} form={form} />.

/**
 * A page of the thread the address asks for (`page`, `order`), with what the viewer may do. A
 * page that has read the space already (with the viewer's standing and the proposal) passes it.
 */
export async function loadThread(
	db: Database,
	options: { space: string | SpaceRecord; proposalId: number | null; actor: Actor; url: URL }
): Promise<ThreadPage & { spaceTitle: LocalizedText; spaceStatus: SpaceStatus }> {
	const query = readQuery(options.url.searchParams, threadQueryShape, 'dialogue');
	const target = await commentTarget(db, options.space, options.proposalId, options.actor);
	const thread = await threadPage(db, target, options.actor, query);
	return { ...thread, spaceTitle: target.title, spaceStatus: target.spaceStatus };
}

/** The forms of a thread, as the action that took them reports back to the page. */
export type CommentAction = SentBack['action'];

/** What a refused comment form sends back: which form, what was typed, and what is wrong. */
export type CommentFormResult = SentBack;

type Params = { space: string; id?: number };
type Event = RequestEvent<Params>;

/** The page's address without the form action, and the comment to land on. */
function back(url: URL, id: number, keepQuery: boolean): string {
	const params = new URLSearchParams();
	if (keepQuery)
		for (const [name, value] of url.searchParams) if (!name.startsWith('/')) params.append(name, value);
	const query = params.toString();
	return `${url.pathname}${query ? `?${query}` : ''}#comment-${id}`;
}

const placeOf = (params: Params): CommentPlace => ({
	space: params.space,
	proposalId: params.id ?? null
});

/**
 * The thread's form actions (comment, reply, editComment, deleteComment) for a page to spread into
 * its own: `export const actions = { ...commentActions(db), support }`. Each runs its command,
 * then sends the browser back to the comment (303: a reload sends nothing twice); a refused form
 * comes back as `form.comments` (400, or 429 when writing too fast) with the text as typed.
 */
export function commentActions(database: () => Promise<Database>) {
	const act =
		(
			action: CommentAction,
			targetField: 'parent' | 'commentId' | null,
			run: (db: Database, event: Event, form: FormData) => Promise<{ id: number }>
		) =>
		async (event: Event) => {
			const locale: Locale = event.locals.locale;
			const form = (await requestForm(event.request)) ?? new FormData();
			const typed = typedValues(form);
			const text = (name: string) => (typeof typed[name] === 'string' ? (typed[name] as string) : '');
			const targetId = targetField ? Number(text(targetField)) : NaN;
			const sentBack = (problems: CommentFormResult['problems']): CommentFormResult => ({
				action,
				target: Number.isInteger(targetId) && targetId > 0 ? targetId : null,
				comment: text('comment'),
				stance: text('stance'),
				problems
			});
			let id: number;
			try {
				id = (await run(await database(), event, form)).id;
			} catch (e) {
				if (e instanceof ValidationError) return fail(400, { comments: sentBack(problemsIn(e, locale)) });
				if (e instanceof CommentLimitError) {
					const t = messages(locale).dialogue.comments;
					const minutes = Math.max(1, Math.ceil(e.retryAfterSeconds / 60));
					const message = `${t.limited} ${plural(locale, t.retry, minutes)}`;
					return fail(429, { comments: sentBack([{ field: 'form', message }]) });
				}
				return forPage(locale, () => {
					throw e;
				});
			}
			redirect(303, back(event.url, id, action !== 'comment'));
		};
	const client = (event: Event) => ({ ip: event.getClientAddress() });
	return {
		comment: act('comment', null, (db, event, form) =>
			writeComment(db, event.locals.user, placeOf(event.params), form, client(event))
		),
		reply: act('reply', 'parent', (db, event, form) =>
			writeReply(db, event.locals.user, placeOf(event.params), form, client(event))
		),
		editComment: act('editComment', 'commentId', (db, event, form) =>
			editComment(db, event.locals.user, placeOf(event.params), form)
		),
		deleteComment: act('deleteComment', 'commentId', (db, event, form) =>
			deleteComment(db, event.locals.user, placeOf(event.params), form)
		)
	};
}
