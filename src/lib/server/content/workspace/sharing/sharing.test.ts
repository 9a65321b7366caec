import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDatabases } from '../../../test/databases.ts';
import { anActor, type TestActor } from '../../../test/actors.ts';
import { aForm, anArticle } from '../../../test/factories/content.ts';
import type { DatabaseHandle } from '../../../kernel/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../kernel/errors.ts';
import { problemsIn } from '../../../kernel/http.ts';
import { readQuery } from '../../../kernel/input.ts';
import { auditLog } from '../../../kernel/schema.ts';
import { user } from '../../../accounts/schema.ts';
import { createArticle, restoreRevision, saveArticleContent, takeStep } from '../commands.ts';
import {
	diffRevisions,
	listForWorkspace,
	listRevisions,
	loadForEditing,
	previewArticle
} from '../queries.ts';
import { workspaceQuery } from '../input.ts';
import { shareArticle, unshareArticle } from './commands.ts';
import { articleSharing } from './queries.ts';

const draftForm = (slug: string, title = 'Utkast') =>
	aForm({ slug, kind: 'method', title_sv: title, teaser_sv: 'En ingress.', body_sv: '<p>Text.</p>' });

describe.each(testDatabases)("authors' drafts and sharing them on $name", (database) => {
	let h: DatabaseHandle;
	let aina: TestActor;
	let bo: TestActor;
	let cecilia: TestActor;
	let editor: TestActor;
	let reader: TestActor;

	beforeAll(async () => {
		h = await database.open();
		aina = await anActor(h.db, 'author', { name: 'Aina Author' });
		bo = await anActor(h.db, 'author', { name: 'Bo Author' });
		cecilia = await anActor(h.db, 'author', { name: 'Cecilia Author' });
		editor = await anActor(h.db, 'editor', { name: 'Edvin Editor' });
		reader = await anActor(h.db, 'reader', { name: 'Rut Reader' });
	});
	afterAll(async () => {
		await h?.close();
	});

	/** Saves a new title over the article as the actor, from the version they would have opened. */
	const save = async (actor: TestActor, id: number, slug: string, title: string) => {
		const { version } = await loadForEditing(h.db, editor, id);
		const form = draftForm(slug, title);
		form.set('version', version);
		return saveArticleContent(h.db, actor, id, form);
	};
	const titleOf = async (id: number) => (await loadForEditing(h.db, editor, id)).translations.sv!.title;
	/** Everything an author can do to one article, each of which must be refused for someone else's. */
	const everyWay = async (actor: TestActor, id: number, slug: string) => {
		const [first] = await listRevisions(h.db, editor, id);
		return [
			() => loadForEditing(h.db, actor, id),
			() => previewArticle(h.db, actor, 'sv', id),
			() => listRevisions(h.db, actor, id),
			() => diffRevisions(h.db, actor, id, first!.id, first!.id),
			() => save(actor, id, slug, 'Någon annans rubrik'),
			() => restoreRevision(h.db, actor, id, aForm({ revision: String(first!.id) })),
			() => takeStep(h.db, actor, id, { step: 'submit' }),
			() => shareArticle(h.db, actor, id, { user: actor.id }),
			() => unshareArticle(h.db, actor, id, { user: actor.id }),
			() => articleSharing(h.db, actor, id)
		];
	};

	it('refuses another author every way into a draft (403, before the form is read); editors may', async () => {
		const id = await createArticle(h.db, aina, draftForm('ainas-utkast'));
		for (const attempt of await everyWay(bo, id, 'ainas-utkast')) {
			await expect(attempt()).rejects.toThrow(ForbiddenError);
		}
		// An empty form is refused for who is asking, not for what is missing.
		await expect(saveArticleContent(h.db, bo, id, aForm({}))).rejects.toThrow(ForbiddenError);
		await expect(takeStep(h.db, bo, id, {})).rejects.toThrow(ForbiddenError);
		expect(await titleOf(id)).toBe('Utkast');
		expect((await loadForEditing(h.db, editor, id)).status).toBe('draft');

		await save(aina, id, 'ainas-utkast', 'Ainas rubrik');
		await save(editor, id, 'ainas-utkast', 'Redaktörens rubrik');
		expect(await titleOf(id)).toBe('Redaktörens rubrik');
		// A reader is refused by role, and nobody signed in is asked to sign in.
		await expect(loadForEditing(h.db, reader, id)).rejects.toThrow(ForbiddenError);
		await expect(loadForEditing(h.db, null, id)).rejects.toMatchObject({ signInRequired: true });
		await expect(loadForEditing(h.db, bo, 999_999)).rejects.toThrow(NotFoundError);
	});

	it('keeps articles without an author (the demo, imports) to editors', async () => {
		const imported = await anArticle(h.db);
		await expect(loadForEditing(h.db, aina, imported.id)).rejects.toThrow(ForbiddenError);
		await expect(save(aina, imported.id, imported.slug, 'Ändrad')).rejects.toThrow(ForbiddenError);
		await save(editor, imported.id, imported.slug, 'Ändrad');
	});

	it('lets the author share a draft with another author, who may then edit and submit it, until it is unshared', async () => {
		const id = await createArticle(h.db, aina, draftForm('delat-utkast'));
		expect(await articleSharing(h.db, aina, id)).toEqual({
			sharedWith: [],
			candidates: expect.arrayContaining([
				{ id: bo.id, name: 'Bo Author' },
				{ id: cecilia.id, name: 'Cecilia Author' }
			])
		});
		const offered = (await articleSharing(h.db, aina, id)).candidates.map((c) => c.id);
		// Not herself, and not people who edit everything already or may not write at all.
		expect(offered).not.toContain(aina.id);
		expect(offered).not.toContain(editor.id);
		expect(offered).not.toContain(reader.id);

		expect(await shareArticle(h.db, aina, id, { user: bo.id })).toBe('Bo Author');
		expect((await articleSharing(h.db, aina, id)).sharedWith).toEqual([{ id: bo.id, name: 'Bo Author' }]);
		expect((await articleSharing(h.db, aina, id)).candidates.map((c) => c.id)).not.toContain(bo.id);

		await save(bo, id, 'delat-utkast', 'Bos rubrik');
		expect(await titleOf(id)).toBe('Bos rubrik');
		expect((await previewArticle(h.db, bo, 'sv', id)).article?.title).toBe('Bos rubrik');
		expect((await listRevisions(h.db, bo, id)).map((r) => r.actorName)).toContain('Bo Author');
		// Shared with Bo, not with Cecilia; and Bo may not pass it on.
		await expect(save(cecilia, id, 'delat-utkast', 'Cecilias')).rejects.toThrow(ForbiddenError);
		await expect(shareArticle(h.db, bo, id, { user: cecilia.id })).rejects.toThrow(ForbiddenError);
		await expect(unshareArticle(h.db, bo, id, { user: bo.id })).rejects.toThrow(ForbiddenError);

		expect(await takeStep(h.db, bo, id, { step: 'submit' })).toBe('review');
		await save(bo, id, 'delat-utkast', 'Bos rubrik under granskning');
		expect(await takeStep(h.db, editor, id, { step: 'publish' })).toBe('published');
		// Live: neither the author nor the one it is shared with changes it any more, but both may open it.
		await expect(save(bo, id, 'delat-utkast', 'Efter publicering')).rejects.toThrow(ForbiddenError);
		await expect(save(aina, id, 'delat-utkast', 'Efter publicering')).rejects.toThrow(ForbiddenError);
		expect((await loadForEditing(h.db, bo, id)).status).toBe('published');
		expect(await takeStep(h.db, editor, id, { step: 'unpublish' })).toBe('draft');

		expect(await unshareArticle(h.db, aina, id, { user: bo.id })).toBe('Bo Author');
		await expect(save(bo, id, 'delat-utkast', 'Efter delningen')).rejects.toThrow(ForbiddenError);
		await expect(loadForEditing(h.db, bo, id)).rejects.toThrow(ForbiddenError);
		// Ending a share that is no longer there changes nothing.
		await unshareArticle(h.db, aina, id, { user: bo.id });

		// An editor shares too.
		await shareArticle(h.db, editor, id, { user: cecilia.id });
		await save(cecilia, id, 'delat-utkast', 'Cecilias rubrik');

		const logged = await h.db
			.select({
				action: auditLog.action,
				actorId: auditLog.actorId,
				before: auditLog.before,
				after: auditLog.after
			})
			.from(auditLog)
			.where(eq(auditLog.subject, `article:${id}`));
		expect(logged.filter((r) => /share/.test(r.action))).toEqual([
			{ action: 'article.share', actorId: aina.id, before: null, after: { userId: bo.id } },
			{ action: 'article.unshare', actorId: aina.id, before: { userId: bo.id }, after: null },
			{ action: 'article.share', actorId: editor.id, before: null, after: { userId: cecilia.id } }
		]);
	});

	it('refuses to share with someone who is not another author, with a message', async () => {
		const id = await createArticle(h.db, aina, draftForm('inte-delbart'));
		const disabled = await anActor(h.db, 'author');
		await h.db.update(user).set({ banned: true }).where(eq(user.id, disabled.id));
		for (const person of [aina.id, editor.id, reader.id, disabled.id, 'no-such-user', '', 'x y']) {
			const refused = await shareArticle(h.db, aina, id, { user: person }).catch((e) => e);
			expect(refused, person).toBeInstanceOf(ValidationError);
			expect(refused.problems).toEqual([{ field: 'user', code: 'cannotShareWith' }]);
			expect(problemsIn(refused, 'en')).toEqual([
				{ field: 'user', message: 'Author: Choose one of the authors in the list.' }
			]);
		}
		expect((await articleSharing(h.db, aina, id)).sharedWith).toEqual([]);
		// Sharing twice leaves one share.
		await shareArticle(h.db, aina, id, { user: bo.id });
		await expect(shareArticle(h.db, aina, id, { user: bo.id })).rejects.toThrow(ValidationError);
		expect((await articleSharing(h.db, aina, id)).sharedWith).toHaveLength(1);
	});

	it('lists every article for authors, and says which they may open', async () => {
		const mine = await createArticle(h.db, cecilia, draftForm('cecilias-eget'));
		const theirs = await createArticle(h.db, aina, draftForm('ainas-andra'));
		const list = async (actor: TestActor) =>
			(
				await listForWorkspace(
					h.db,
					actor,
					readQuery(new URLSearchParams('status=draft'), workspaceQuery, 'content')
				)
			).rows;
		const seen = await list(cecilia);
		expect(seen.find((r) => r.id === mine)?.open).toBe(true);
		expect(seen.find((r) => r.id === theirs)?.open).toBe(false);
		expect((await list(editor)).find((r) => r.id === theirs)?.open).toBe(true);
		await shareArticle(h.db, aina, theirs, { user: cecilia.id });
		expect((await list(cecilia)).find((r) => r.id === theirs)?.open).toBe(true);
	});
});
