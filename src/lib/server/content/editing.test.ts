import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testDatabases } from '../test/databases.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { auditLog } from '../kernel/schema.ts';
import { ForbiddenError, ValidationError } from '../kernel/errors.ts';
import { user } from '../accounts/schema.ts';
import { localStore } from '../media/store.ts';
import { setAltText, uploadMedia } from '../media/service.ts';
import { jpegWithGps } from '../media/test-files.ts';
import {
	articleFormValues,
	articleToFormValues as articleFormValuesOf,
	parseArticleForm,
	type ArticleFormValues
} from './article-form.ts';
import { contentVersion } from '../kernel/content-version.ts';
import { createArticle, loadForEditing, restoreRevision, saveArticleContent } from './editing.ts';
import { publishDueArticles, takeStep } from './workflow.ts';
import { diffRevisions, listRevisions } from './revisions.ts';
import { listForWorkspace, parseWorkspaceFilter } from './workspace.ts';
import { articleAddresses, getArticle, latestArticles } from './queries.ts';
import { findInspiration } from './service.ts';
import { searchArticles } from './search.ts';

type Actor = { id: string; role: 'admin' | 'editor' | 'author' | 'reader' };

function form(fields: Record<string, string | string[]>): ArticleFormValues {
	const data = new FormData();
	for (const [name, value] of Object.entries(fields)) {
		for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
	}
	return articleFormValues(data);
}

const base = {
	slug: 'lyssnande-moten-i-ghanzi',
	kind: 'method',
	themes: ['participation'],
	goals: ['16'],
	targets: ['16.7'],
	countries: ['BW'],
	title_sv: 'Lyssnande möten i Ghanzi',
	teaser_sv: 'Byråden och kommunen möts för att höra invånarnas prioriteringar.',
	body_sv: '<p>Varje månad möts byråd och tjänstepersoner.</p><script>alert(1)</script>',
	title_en: 'Listening meetings in Ghanzi',
	teaser_en: 'Village councils and the council meet to hear residents’ priorities.',
	body_en: '<p>Every month, councillors and officials meet.</p>'
};

describe.each(testDatabases)('writing, reviewing and publishing on $name', (database) => {
	let h: DatabaseHandle;
	const author: Actor = { id: 'author-1', role: 'author' };
	const editor: Actor = { id: 'editor-1', role: 'editor' };
	const reader: Actor = { id: 'reader-1', role: 'reader' };
	let id: number;

	beforeAll(async () => {
		h = await database.open();
		await h.db.insert(user).values([
			{ id: author.id, name: 'Aina Author', email: 'aina@example.se', role: 'author' },
			{ id: editor.id, name: 'Edvin Editor', email: 'edvin@example.se', role: 'editor' },
			{ id: reader.id, name: 'Rut Reader', email: 'rut@example.se', role: 'reader' }
		]);
	});
	afterAll(async () => {
		await h?.close();
	});

	it('keeps a new article as a draft nobody outside the workspace sees, sanitised', async () => {
		await expect(createArticle(h.db, reader, parseArticleForm(form(base)))).rejects.toThrow(ForbiddenError);
		id = await createArticle(h.db, author, parseArticleForm(form(base)));
		const saved = await loadForEditing(h.db, author, id);
		expect(saved.status).toBe('draft');
		expect(saved.translations.sv!.body).toBe('<p>Varje månad möts byråd och tjänstepersoner.</p>');
		expect(saved.goals).toEqual([16]);
		expect(await getArticle(h.db, 'sv', base.slug)).toBeNull();
		const mine = await listForWorkspace(
			h.db,
			author,
			parseWorkspaceFilter(new URLSearchParams('status=draft'))
		);
		expect(mine.rows.map((r) => r.slug)).toContain(base.slug);
		expect(mine.rows.find((r) => r.slug === base.slug)?.authorName).toBe('Aina Author');
		expect((await listRevisions(h.db, author, id)).map((r) => r.action)).toEqual(['create']);
	});

	it('names every bad field and keeps nothing half-written', async () => {
		const bad = form({
			...base,
			slug: 'Fel adress!',
			themes: ['no-such-theme'],
			title_en: '',
			countries: ['ZZ']
		});
		const problems = (() => {
			try {
				parseArticleForm(bad);
			} catch (e) {
				return (e as ValidationError).problems;
			}
		})();
		expect(problems).toEqual(
			expect.arrayContaining([
				{ field: 'slug', code: 'invalidSlug' },
				{ field: 'title_en', code: 'required' }
			])
		);
		const wrongTags = parseArticleForm(
			form({ ...base, slug: 'annan-adress', themes: ['no-such-theme'], countries: ['ZZ'] })
		);
		await expect(createArticle(h.db, author, wrongTags)).rejects.toMatchObject({
			problems: expect.arrayContaining([
				{ field: 'themes', code: 'invalidTheme' },
				{ field: 'countries', code: 'invalidCountry' }
			])
		});
		const list = await listForWorkspace(
			h.db,
			author,
			parseWorkspaceFilter(new URLSearchParams('q=annan-adress'))
		);
		expect(list.total).toBe(0);
		await expect(createArticle(h.db, author, parseArticleForm(form(base)))).rejects.toMatchObject({
			problems: [{ field: 'slug', code: 'slugTaken' }]
		});
		expect(() => parseArticleForm(form({ slug: 'tom', kind: 'method' }))).toThrow(ValidationError);
	});

	it('refuses to overwrite a save made since the editor opened the article', async () => {
		const opened = await loadForEditing(h.db, author, id);
		await saveArticleContent(
			h.db,
			author,
			id,
			parseArticleForm(
				form({ ...base, title_sv: 'Lyssnande möten i Ghanzi, del 1', version: opened.version })
			)
		);
		await expect(
			saveArticleContent(h.db, editor, id, parseArticleForm(form({ ...base, version: opened.version })))
		).rejects.toMatchObject({ problems: [{ field: 'version', code: 'staleEdit' }] });
	});

	it("leaves readers' caches alone for a draft, and renews them for what is published", async () => {
		const before = contentVersion();
		const opened = await loadForEditing(h.db, author, id);
		await saveArticleContent(h.db, author, id, parseArticleForm(form({ ...base, version: opened.version })));
		expect(contentVersion()).toBe(before);
		const seeded = (
			await listForWorkspace(h.db, editor, parseWorkspaceFilter(new URLSearchParams('status=published')))
		).rows[0]!;
		const live = await loadForEditing(h.db, editor, seeded.id);
		await saveArticleContent(h.db, editor, seeded.id, parseArticleForm(articleFormValuesOf(live)));
		expect(contentVersion()).not.toBe(before);
	});

	it('marks which language changed last', async () => {
		const before = await loadForEditing(h.db, author, id);
		await new Promise((r) => setTimeout(r, 5));
		await saveArticleContent(
			h.db,
			author,
			id,
			parseArticleForm(form({ ...base, title_sv: 'Lyssnande möten', version: before.version }))
		);
		const after = await loadForEditing(h.db, author, id);
		expect(after.translationUpdatedAt.en).toBe(before.translationUpdatedAt.en);
		expect(after.translationUpdatedAt.sv! > before.translationUpdatedAt.sv!).toBe(true);
	});

	it('lets an author submit but not publish; an editor publishes and it shows everywhere at once', async () => {
		await expect(takeStep(h.db, author, id, 'publish')).rejects.toThrow(ForbiddenError);
		expect(await takeStep(h.db, author, id, 'submit')).toBe('review');
		await expect(takeStep(h.db, author, id, 'submit')).rejects.toMatchObject({
			problems: [{ field: 'status', code: 'invalidTransition' }]
		});
		expect(await takeStep(h.db, editor, id, 'publish')).toBe('published');

		expect((await getArticle(h.db, 'en', base.slug))?.title).toBe('Listening meetings in Ghanzi');
		const listing = await findInspiration(h.db, 'sv', new URLSearchParams('theme=participation&sdg=16.7'));
		expect(listing.result.items.map((i) => i.slug)).toContain(base.slug);
		const hits = await searchArticles(h.db, 'sv', 'lyssnande möten', 1);
		expect(hits.hits.map((i) => i.slug)).toContain(base.slug);
		expect((await latestArticles(h.db, 'en', 50)).map((a) => a.slug)).toContain(base.slug);
		expect((await articleAddresses(h.db)).map((a) => a.slug)).toContain(base.slug);

		const logged = await h.db
			.select({ action: auditLog.action, actorId: auditLog.actorId })
			.from(auditLog)
			.where(eq(auditLog.subject, `article:${id}`));
		expect(logged).toEqual(
			expect.arrayContaining([
				{ action: 'article.submit', actorId: author.id },
				{ action: 'article.publish', actorId: editor.id }
			])
		);
	});

	it('keeps a published article out of an author’s hands', async () => {
		const opened = await loadForEditing(h.db, author, id);
		await expect(
			saveArticleContent(h.db, author, id, parseArticleForm(form({ ...base, version: opened.version })))
		).rejects.toThrow(ForbiddenError);
	});

	it('shows a readable diff between revisions and restores an earlier one', async () => {
		const revisions = await listRevisions(h.db, editor, id);
		const first = revisions.at(-1)!;
		const latest = revisions[0]!;
		const diff = await diffRevisions(h.db, editor, id, first.id, latest.id);
		const title = diff.find((d) => d.field === 'title' && d.lang === 'sv')!;
		expect(title.parts).toEqual(
			expect.arrayContaining([{ change: 'removed', text: expect.stringContaining('Ghanzi') }])
		);
		expect(diff.some((d) => d.lang === 'en')).toBe(false);

		await expect(restoreRevision(h.db, author, id, first.id)).rejects.toThrow(ForbiddenError);
		await restoreRevision(h.db, editor, id, first.id);
		expect((await getArticle(h.db, 'sv', base.slug))?.title).toBe('Lyssnande möten i Ghanzi');
		expect((await listRevisions(h.db, editor, id))[0]!.action).toBe('restore');
	});

	it('unpublishes at once and publishes a scheduled article when its time comes', async () => {
		expect(await takeStep(h.db, editor, id, 'unpublish')).toBe('draft');
		expect(await getArticle(h.db, 'sv', base.slug)).toBeNull();
		await expect(
			takeStep(h.db, editor, id, 'schedule', { scheduledAt: '2020-01-01T10:00' })
		).rejects.toMatchObject({
			problems: [{ field: 'scheduledAt', code: 'scheduleInPast' }]
		});
		await expect(takeStep(h.db, editor, id, 'schedule', { scheduledAt: 'imorgon' })).rejects.toMatchObject({
			problems: [{ field: 'scheduledAt', code: 'invalidDate' }]
		});
		const soon = new Date(Date.now() + 3 * 3600_000);
		const local = new Intl.DateTimeFormat('sv-SE', {
			timeZone: 'Europe/Stockholm',
			dateStyle: 'short',
			timeStyle: 'short'
		})
			.format(soon)
			.replace(' ', 'T');
		expect(await takeStep(h.db, editor, id, 'schedule', { scheduledAt: local })).toBe('scheduled');
		expect(
			Math.abs(new Date((await loadForEditing(h.db, editor, id)).scheduledAt!).getTime() - soon.getTime())
		).toBeLessThan(60_000);
		expect(await publishDueArticles(h.db)).toBe(0);
		expect(await getArticle(h.db, 'sv', base.slug)).toBeNull();
		expect(await publishDueArticles(h.db, new Date(Date.now() + 4 * 3600_000))).toBe(1);
		expect(await getArticle(h.db, 'sv', base.slug)).not.toBeNull();
		const [scheduled] = await h.db
			.select({ actorId: auditLog.actorId })
			.from(auditLog)
			.where(and(eq(auditLog.subject, `article:${id}`), sql`${auditLog.after}->>'scheduled' = 'true'`));
		expect(scheduled).toBeDefined();
	});

	it('puts library images into the text with their sizes and alt text, and refuses them without', async () => {
		const store = localStore(mkdtempSync(path.join(tmpdir(), 'media-')));
		const image = await uploadMedia(h.db, store, author, {
			bytes: await jpegWithGps(1200, 800),
			fileName: 'moete.jpg',
			alt: { sv: 'Byrådet samlat under ett träd' }
		});
		const src = `/media/${image.storageKey}/640.webp`;
		const withImage = (lang: 'sv' | 'en') =>
			form({
				...base,
				slug: 'bild-fran-ghanzi',
				title_en: lang === 'en' ? base.title_en : '',
				teaser_en: lang === 'en' ? base.teaser_en : '',
				body_en: lang === 'en' ? `<p>x</p><img src="${src}" alt="">` : '',
				body_sv: `<p>Bild:</p><img src="${src}" alt="" onerror="alert(1)">`
			});
		await expect(
			createArticle(
				h.db,
				author,
				parseArticleForm(
					form({ ...base, slug: 'extern-bild', body_sv: '<img src="https://evil.example/x.png">' })
				)
			)
		).rejects.toMatchObject({ problems: [{ field: 'body_sv', code: 'unknownMedia' }] });
		const newId = await createArticle(h.db, author, parseArticleForm(withImage('sv')));
		const body = (await loadForEditing(h.db, author, newId)).translations.sv!.body;
		expect(body).toContain('alt="Byrådet samlat under ett träd"');
		expect(body).toContain(`srcset="/media/${image.storageKey}/320.webp 320w`);
		// The test photo is turned by its EXIF orientation: 800 wide, 1200 high.
		expect(body).toContain('width="800" height="1200"');
		expect(body).not.toMatch(/onerror/);

		const opened = await loadForEditing(h.db, author, newId);
		await expect(
			saveArticleContent(
				h.db,
				author,
				newId,
				parseArticleForm({ ...withImage('en'), version: opened.version })
			)
		).rejects.toMatchObject({ problems: [{ field: 'body_en', code: 'imageAltMissing' }] });
		await setAltText(h.db, author, {
			id: image.id,
			alt: { sv: 'Byrådet samlat under ett träd', en: 'The village council under a tree' }
		});
		await saveArticleContent(
			h.db,
			author,
			newId,
			parseArticleForm({ ...withImage('en'), version: opened.version })
		);
		expect((await loadForEditing(h.db, author, newId)).translations.en!.body).toContain(
			'alt="The village council under a tree"'
		);
	});
});
