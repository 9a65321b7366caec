import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHttpError, isRedirect, type ActionFailure } from '@sveltejs/kit';
import { testDatabases } from '../../test/databases.ts';
import { anActor, anonymous, type TestActor } from '../../test/actors.ts';
import { aComment, aProposal, aSpace, type TestSpace } from '../../test/factories/dialogue.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import type { Actor } from '../../kernel/policy.ts';
import type { SentBack } from '#lib/components/comment-thread/thread.ts';
import { commentActions, loadThread } from './page.ts';
import { commentsPerParticipant } from './commands.ts';

type Actions = ReturnType<typeof commentActions>;

/** What the action answered: the redirect's address, or the refused form's status and data. */
async function answer(
	run: Promise<unknown>
): Promise<{ location?: string; status?: number; sent?: SentBack }> {
	try {
		const failure = (await run) as ActionFailure<{ comments: SentBack }>;
		return { status: failure.status, sent: failure.data.comments };
	} catch (e) {
		if (isRedirect(e)) return { status: e.status, location: e.location };
		throw e;
	}
}

describe.each(testDatabases)('the comment forms of a page on $name', (database) => {
	let h: DatabaseHandle;
	let actions: Actions;
	let space: TestSpace;
	let resident: TestActor;
	let ip = 0;

	/** A form posted to an action of the debate (or of a proposal's page), as SvelteKit hands it over. */
	const post = (
		action: keyof Actions,
		body: Record<string, string>,
		options: { actor?: Actor; query?: string; locale?: 'sv' | 'en'; proposalId?: number; ip?: string } = {}
	) => {
		const path =
			(options.locale === 'en' ? '/en' : '') +
			(options.proposalId
				? `/dialogue/${space.slug}/proposals/${options.proposalId}`
				: `/dialogue/${space.slug}/debate`);
		const url = new URL(`http://localhost${path}${options.query ?? '?'}/${action}`);
		const event = {
			url,
			request: new Request(url, {
				method: 'POST',
				body: new URLSearchParams(body),
				headers: { 'content-type': 'application/x-www-form-urlencoded' }
			}),
			params: options.proposalId ? { space: space.slug, id: options.proposalId } : { space: space.slug },
			locals: {
				locale: options.locale ?? 'sv',
				user: options.actor === undefined ? resident : options.actor
			},
			getClientAddress: () => options.ip ?? `10.2.0.${ip++ % 250}`
		};
		return answer(actions[action](event as never));
	};

	beforeAll(async () => {
		h = await database.open();
		actions = commentActions(async () => h.db);
		space = await aSpace(h.db);
		resident = await anActor(h.db, 'reader', { name: 'Dana Låtsasdotter' });
	});
	afterAll(() => h?.close());

	it('a new comment sends the browser to it on the first page; a reply keeps the page it was sent from', async () => {
		const made = await post('comment', { comment: 'Första!', stance: 'for' });
		expect(made.status).toBe(303);
		const id = Number(made.location!.match(/^\/dialogue\/[a-z0-9-]+\/debate#comment-(\d+)$/)![1]);
		const replied = await post(
			'reply',
			{ parent: String(id), comment: 'Ett svar' },
			{ query: '?page=2&order=oldest&' }
		);
		expect(replied.status).toBe(303);
		expect(replied.location).toMatch(
			new RegExp(`^/dialogue/${space.slug}/debate\\?page=2&order=oldest#comment-\\d+$`)
		);

		const p = await aProposal(h.db, space.id, resident.id);
		const onProposal = await post('comment', { comment: 'Om förslaget' }, { proposalId: p.id, locale: 'en' });
		expect(onProposal.location).toMatch(
			new RegExp(`^/en/dialogue/${space.slug}/proposals/${p.id}#comment-\\d+$`)
		);
		const shown = await loadThread(h.db, {
			space: space.slug,
			proposalId: p.id,
			actor: null,
			url: new URL('http://localhost/')
		});
		expect(shown.comments.map((c) => c.body)).toEqual(['Om förslaget']);
	});

	it('a refused form comes back (400) to the form it came from, with what was typed and a message per field', async () => {
		const typed = `${'Mycket att säga. '.repeat(70)}`;
		const refused = await post('comment', { comment: typed, stance: 'kanske' });
		expect(refused.status).toBe(400);
		expect(refused.sent).toEqual({
			action: 'comment',
			target: null,
			comment: typed,
			stance: 'kanske',
			problems: [
				{ field: 'comment', message: 'Kommentar: Får vara högst 1\u00a0000 tecken.' },
				{
					field: 'stance',
					message: 'Ställningstagande: Välj för, emot, neutral eller inget ställningstagande.'
				}
			]
		});

		const top = await aComment(h.db, space.id, resident.id);
		const empty = await post('reply', { parent: String(top.id), comment: ' ' }, { locale: 'en' });
		expect(empty.sent).toMatchObject({
			action: 'reply',
			target: top.id,
			problems: [{ field: 'comment', message: 'Comment: This must be filled in.' }]
		});
	});

	it('nobody signed in is asked to sign in (401); editing another’s comment is forbidden (403)', async () => {
		await expect(post('comment', { comment: 'Hej' }, { actor: anonymous })).rejects.toSatisfy((e) =>
			isHttpError(e, 401)
		);
		const other = await anActor(h.db, 'reader');
		const theirs = await aComment(h.db, space.id, other.id);
		await expect(post('editComment', { commentId: String(theirs.id), comment: 'Mitt nu' })).rejects.toSatisfy(
			(e) => isHttpError(e, 403)
		);
		await expect(post('deleteComment', { commentId: String(theirs.id) })).rejects.toSatisfy((e) =>
			isHttpError(e, 403)
		);
	});

	it('writing too fast answers 429 with when to try again, and keeps the text', async () => {
		const fast = await anActor(h.db, 'reader');
		for (let i = 0; i < commentsPerParticipant; i++)
			await post('comment', { comment: `Nr ${i}` }, { actor: fast });
		const refused = await post('comment', { comment: 'Ännu en' }, { actor: fast });
		expect(refused.status).toBe(429);
		expect(refused.sent).toMatchObject({
			comment: 'Ännu en',
			problems: [
				{ field: 'form', message: 'Du har skrivit många kommentarer på kort tid. Försök igen om 10 minuter.' }
			]
		});
	});

	it('the author edits and deletes through the forms, landing back on the comment', async () => {
		const made = await post('comment', { comment: 'Skrivfel' });
		const id = Number(made.location!.split('#comment-')[1]);
		const edited = await post('editComment', { commentId: String(id), comment: 'Rättat', stance: 'neutral' });
		expect(edited.location).toBe(`/dialogue/${space.slug}/debate#comment-${id}`);
		const deleted = await post('deleteComment', { commentId: String(id) }, { query: '?page=3&' });
		expect(deleted.location).toBe(`/dialogue/${space.slug}/debate?page=3#comment-${id}`);
		const gone = await post('editComment', { commentId: String(id), comment: 'Igen' });
		expect(gone.sent).toMatchObject({
			action: 'editComment',
			target: id,
			comment: 'Igen',
			problems: [{ field: 'commentId', message: 'Kommentaren: Kommentaren finns inte längre.' }]
		});
	});
});
