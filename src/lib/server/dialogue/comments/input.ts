import { z } from 'zod';
import { fields, paragraphs, type Input } from '../../kernel/input.ts';
import { commentMaxLength, stances } from '#lib/dialogue-values.ts';
import { commentOrders } from '#lib/components/comment-thread/thread.ts';

// The comment forms and a thread's query string. Field names are unique across the dialogue's
// parts (their labels are joined under `dialogue.fields`): the text is `comment`, never `body`.

/** A comment's text: 1–1,000 characters after cleaning, paragraphs kept (at most one blank line). */
const commentText = z
	.string('required')
	.pipe(paragraphs(commentMaxLength, 'commentTooLong'))
	.transform((t) => t.replace(/\n{3,}/g, '\n\n'))
	.pipe(z.string().min(1, 'required'));

/** For, against or neutral; empty is none. */
const stance = z.enum(stances, 'commentInvalidStance').optional();

/** A comment named by a form (its id). */
const commentId = z.string('commentGone').transform((value, ctx) => {
	const parsed = fields.id.safeParse(value);
	if (parsed.success) return parsed.data;
	ctx.issues.push({ code: 'custom', message: 'commentGone', input: value });
	return z.NEVER;
});

/** A new top-level comment. */
export const commentShape = { comment: commentText, stance };
export type CommentInput = Input<typeof commentShape>;

/** A reply: to which comment, the text and a stance. */
export const replyShape = { parent: commentId, comment: commentText, stance };
export type ReplyInput = Input<typeof replyShape>;

/** The author's change of their comment within the edit window. */
export const editShape = { commentId, comment: commentText, stance };
export type EditInput = Input<typeof editShape>;

/** The author deletes their comment. */
export const deleteShape = { commentId };

/** A thread's query string: `page` (of top-level comments) and `order` (newest first unless told). */
export const threadQueryShape = {
	page: fields.page.default(1),
	order: z.enum(commentOrders, 'commentInvalidOrder').default('newest')
};
