import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor, type TestActor } from '../../test/actors.ts';
import { aForm, anArticle } from '../../test/factories/content.ts';
import { aMediaStore, anImage } from '../../test/factories/media.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { auditLog } from '../../kernel/schema.ts';
import { article } from '../schema.ts';
import { ForbiddenError, ValidationError } from '../../kernel/errors.ts';
import { readQuery } from '../../kernel/input.ts';
import { contentVersion } from '../../kernel/content-version.ts';
import { setAltText } from '../../media/commands.ts';
import { articleAddresses, getArticle, latestArticles } from '../queries.ts';
import { findInspiration } from '../listing.ts';
import { inspirationQuery } from '../input.ts';
import { searchArticles } from '../search.ts';
import { createArticle, restoreRevision, saveArticleContent, takeStep } from './commands.ts';
import { publishDueArticles } from './workflow.ts';
import { diffRevisions, listForWorkspace, listRevisions, loadForEditing } from './queries.ts';
import { formValuesOf, workspaceQuery } from './input.ts';

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

/** The editor's form with some fields changed (an empty text is a field left empty). */
const form = (fields: Record<string, string | string[]> = {}) => aForm({ ...base, ...fields });

/** The problems of a refused change, as "field:code". */
async function problems(run: Promise<unknown>): Promise<string[]> {
	try {
		await run;
	} catch (e) {
		if (e instanceof ValidationError) return e.problems.map((p) => `${p.field}:${String(p.code)}`);
		throw e;
	}
	throw new Error('expected a ValidationError');
}

describe.each(testDatabases)('writing, reviewing and publishing on $name', (database) => {
	let h: DatabaseHandle;
	let author: TestActor;
	let editor: TestActor;
	let reader: TestActor;
	let id: number;
	const list = (query: string, actor = author) =>
		listForWorkspace(h.db, actor, readQuery(new URLSearchParams(query), workspaceQuery, 'content'));
	const step = (actor: TestActor, articleId: number, name: string, scheduledAt?: string) =>
		takeStep(h.db, actor, articleId, { step: name, ...(scheduledAt ? { scheduledAt } : {}) });
	const save = async (
		actor: TestActor,
		articleId: number,
		fields: Record<string, string | string[]> = {}
	) => {
		const opened = await loadForEditing(h.db, actor, articleId);
		return saveArticleContent(h.db, actor, articleId, form({ version: opened.version, ...fields }));
	};

	beforeAll(async () => {
		h = await database.open();
		author = await anActor(h.db, 'author', { name: 'Aina Author' });
		editor = await anActor(h.db, 'editor', { name: 'Edvin Editor' });
		reader = await anActor(h.db, 'reader');
	});
	afterAll(async () => {
		await h?.close();
	});

	it('keeps a new article as a draft nobody outside the workspace sees, sanitised', async () => {
		await expect(createArticle(h.db, reader, form())).rejects.toThrow(ForbiddenError);
		id = await createArticle(h.db, author, form());
		const saved = await loadForEditing(h.db, author, id);
		expect(saved.status).toBe('draft');
		expect(saved.translations.sv!.body).toBe('<p>Varje månad möts byråd och tjänstepersoner.</p>');
		expect(saved.goals).toEqual([16]);
		expect(await getArticle(h.db, 'sv', base.slug)).toBeNull();
		const mine = await list('status=draft');
		expect(mine.rows.map((r) => r.slug)).toContain(base.slug);
		expect(mine.rows.find((r) => r.slug === base.slug)?.authorName).toBe('Aina Author');
		expect((await listRevisions(h.db, author, id)).map((r) => r.action)).toEqual(['create']);
	});

	it('names every bad field and keeps nothing half-written', async () => {
		// What the form itself says is wrong, all at once.
		expect(
			await problems(
				createArticle(
					h.db,
					author,
					form({ slug: 'Fel adress!', title_en: '', countries: ['ZZ'], goals: ['18'] })
				)
			)
		).toEqual(
			expect.arrayContaining([
				'slug:invalidSlug',
				'title_en:required',
				'countries:invalidCountry',
				'goals:invalidGoal'
			])
		);
		// What only the database knows, all at once too.
		expect(
			await problems(
				createArticle(
					h.db,
					author,
					form({
						slug: 'annan-adress',
						themes: ['no-such-theme'],
						targets: ['16.99'],
						organizationIds: ['999999'],
						partnershipId: '999999'
					})
				)
			)
		).toEqual([
			'themes:invalidTheme',
			'targets:targetMissing',
			'organizationIds:unknownOrganization',
			'partnershipId:unknownPartnership'
		]);
		// The target message names the one that does not exist, among those that do.
		const named = await createArticle(
			h.db,
			author,
			form({ slug: 'annan-adress', targets: ['16.7', '16.99', '5.5'] })
		).catch((e: ValidationError) => e.problems);
		expect(named).toEqual([{ field: 'targets', code: 'targetMissing', params: { value: '16.99' } }]);
		expect((await list('q=annan-adress')).total).toBe(0);
		expect(await problems(createArticle(h.db, author, form()))).toEqual(['slug:slugTaken']);
		expect(await problems(createArticle(h.db, author, aForm({ slug: 'tom', kind: 'method' })))).toEqual([
			'translations:translationMissing'
		]);
	});

	it('makes an address left empty from the title, the first free one; a typed address stays the author’s', async () => {
		const slugOf = async (id: number) =>
			(await h.db.select({ slug: article.slug }).from(article).where(eq(article.id, id)))[0]!.slug;
		const fromTitle = { slug: '', title_sv: 'Budgetdialog i Hörby – steg för steg' };
		expect(await slugOf(await createArticle(h.db, author, form(fromTitle)))).toBe(
			'budgetdialog-i-horby-steg-for-steg'
		);
		expect(await slugOf(await createArticle(h.db, author, form(fromTitle)))).toBe(
			'budgetdialog-i-horby-steg-for-steg-2'
		);
		// Without a Swedish title, the English one.
		const english = form({ slug: ' ', title_sv: '', teaser_sv: '', body_sv: '' });
		expect(await slugOf(await createArticle(h.db, author, english))).toBe('listening-meetings-in-ghanzi');
		expect(
			await problems(createArticle(h.db, author, form({ slug: 'budgetdialog-i-horby-steg-for-steg' })))
		).toEqual(['slug:slugTaken']);
	});

	it('refuses to overwrite a save made since the editor opened the article, and a save that names no version', async () => {
		const opened = await loadForEditing(h.db, author, id);
		await saveArticleContent(
			h.db,
			author,
			id,
			form({ title_sv: 'Lyssnande möten i Ghanzi, del 1', version: opened.version })
		);
		expect(await problems(saveArticleContent(h.db, editor, id, form({ version: opened.version })))).toEqual([
			'version:staleEdit'
		]);
		// Without a version the check cannot be made: the save is refused, not let through.
		expect(await problems(saveArticleContent(h.db, editor, id, form()))).toEqual(['version:invalidArticle']);
		expect((await loadForEditing(h.db, author, id)).translations.sv!.title).toBe(
			'Lyssnande möten i Ghanzi, del 1'
		);
	});

	it("leaves readers' caches alone for a draft, and renews them for what is published", async () => {
		const before = contentVersion();
		await save(author, id);
		expect(contentVersion()).toBe(before);
		const live = await anArticle(h.db, { status: 'published' });
		const opened = await loadForEditing(h.db, editor, live.id);
		const cached = contentVersion();
		await saveArticleContent(h.db, editor, live.id, aForm(formValuesOf(opened)));
		expect(contentVersion()).not.toBe(cached);
	});

	it('keeps how an imported article was before its first edit, once', async () => {
		// An imported article has no author: it is the editors' to change.
		const imported = await anArticle(h.db);
		expect(await listRevisions(h.db, editor, imported.id)).toEqual([]);
		const opened = await loadForEditing(h.db, editor, imported.id);
		await saveArticleContent(
			h.db,
			editor,
			imported.id,
			aForm({ ...formValuesOf(opened), title_sv: 'Ändrad' })
		);
		expect((await listRevisions(h.db, editor, imported.id)).map((r) => r.action)).toEqual(['save', 'import']);
		const again = await loadForEditing(h.db, editor, imported.id);
		await saveArticleContent(h.db, editor, imported.id, aForm({ ...formValuesOf(again), title_sv: 'Igen' }));
		expect((await listRevisions(h.db, editor, imported.id)).map((r) => r.action)).toEqual([
			'save',
			'save',
			'import'
		]);
		const [first] = (await listRevisions(h.db, editor, imported.id)).slice(-1);
		const diff = await diffRevisions(
			h.db,
			editor,
			imported.id,
			first!.id,
			(await listRevisions(h.db, editor, imported.id))[0]!.id
		);
		expect(diff.find((d) => d.field === 'title' && d.lang === 'sv')?.parts).toEqual(
			expect.arrayContaining([{ change: 'added', text: 'Igen' }])
		);
	});

	it('marks which language changed last', async () => {
		const before = await loadForEditing(h.db, author, id);
		await new Promise((r) => setTimeout(r, 5));
		await saveArticleContent(
			h.db,
			author,
			id,
			form({ title_sv: 'Lyssnande möten', version: before.version })
		);
		const after = await loadForEditing(h.db, author, id);
		expect(after.translationUpdatedAt.en).toBe(before.translationUpdatedAt.en);
		expect(after.translationUpdatedAt.sv! > before.translationUpdatedAt.sv!).toBe(true);
	});

	it('lets an author submit but not publish; an editor publishes and it shows everywhere at once', async () => {
		await expect(step(author, id, 'publish')).rejects.toThrow(ForbiddenError);
		await expect(step(reader, id, 'submit')).rejects.toThrow(ForbiddenError);
		expect(await problems(step(author, id, 'fly'))).toEqual(['step:invalidTransition']);
		expect(await step(author, id, 'submit')).toBe('review');
		expect(await problems(step(author, id, 'submit'))).toEqual(['status:invalidTransition']);
		expect(await step(editor, id, 'publish')).toBe('published');

		expect((await getArticle(h.db, 'en', base.slug))?.title).toBe('Listening meetings in Ghanzi');
		const filter = readQuery(
			new URLSearchParams('theme=participation&sdg=16.7'),
			inspirationQuery,
			'content'
		);
		const listing = await findInspiration(h.db, 'sv', filter);
		expect(listing.items.map((i) => i.slug)).toContain(base.slug);
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
				{ action: 'article.create', actorId: author.id },
				{ action: 'article.save', actorId: author.id },
				{ action: 'article.submit', actorId: author.id },
				{ action: 'article.publish', actorId: editor.id }
			])
		);
	});

	it('keeps a published article out of an author’s hands', async () => {
		await expect(save(author, id)).rejects.toThrow(ForbiddenError);
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

		const restore = (actor: TestActor, revision: number) =>
			restoreRevision(h.db, actor, id, aForm({ revision: String(revision) }));
		await expect(restore(author, first.id)).rejects.toThrow(ForbiddenError);
		expect(await problems(restoreRevision(h.db, editor, id, aForm({ revision: 'x' })))).toEqual([
			'revision:invalidId'
		]);
		await restore(editor, first.id);
		expect((await getArticle(h.db, 'sv', base.slug))?.title).toBe('Lyssnande möten i Ghanzi');
		expect((await listRevisions(h.db, editor, id))[0]!.action).toBe('restore');
	});

	it('unpublishes at once and publishes a scheduled article when its time comes', async () => {
		expect(await step(editor, id, 'unpublish')).toBe('draft');
		expect(await getArticle(h.db, 'sv', base.slug)).toBeNull();
		expect(await problems(step(editor, id, 'schedule', '2020-01-01T10:00'))).toEqual([
			'scheduledAt:scheduleInPast'
		]);
		expect(await problems(step(editor, id, 'schedule', 'imorgon'))).toEqual(['scheduledAt:invalidDate']);
		const soon = new Date(Date.now() + 3 * 3600_000);
		const local = new Intl.DateTimeFormat('sv-SE', {
			timeZone: 'Europe/Stockholm',
			dateStyle: 'short',
			timeStyle: 'short'
		})
			.format(soon)
			.replace(' ', 'T');
		expect(await step(editor, id, 'schedule', local)).toBe('scheduled');
		expect(
			Math.abs(new Date((await loadForEditing(h.db, editor, id)).scheduledAt!).getTime() - soon.getTime())
		).toBeLessThan(60_000);
		expect(await publishDueArticles(h.db)).toBe(0);
		expect(await getArticle(h.db, 'sv', base.slug)).toBeNull();
		const cached = contentVersion();
		expect(await publishDueArticles(h.db, new Date(Date.now() + 4 * 3600_000))).toBe(1);
		expect(contentVersion()).not.toBe(cached);
		expect(await getArticle(h.db, 'sv', base.slug)).not.toBeNull();
		const [scheduled] = await h.db
			.select({ actorId: auditLog.actorId })
			.from(auditLog)
			.where(and(eq(auditLog.subject, `article:${id}`), sql`${auditLog.after}->>'scheduled' = 'true'`));
		expect(scheduled).toEqual({ actorId: null });
	});

	it('puts library images into the text with their sizes and alt text, and refuses them without', async () => {
		const media = aMediaStore();
		try {
			const image = await anImage(h.db, media.store, author, {
				width: 1200,
				height: 800,
				alt: { sv: 'Byrådet samlat under ett träd' }
			});
			const src = `/media/${image.storageKey}/640.webp`;
			const withImage = (lang: 'sv' | 'en') =>
				form({
					slug: 'bild-fran-ghanzi',
					title_en: lang === 'en' ? base.title_en : '',
					teaser_en: lang === 'en' ? base.teaser_en : '',
					body_en: lang === 'en' ? `<p>x</p><img src="${src}" alt="">` : '',
					body_sv: `<p>Bild:</p><img src="${src}" alt="" onerror="alert(1)">`
				});
			expect(
				await problems(
					createArticle(
						h.db,
						author,
						form({ slug: 'extern-bild', body_sv: '<img src="https://evil.example/x.png">' })
					)
				)
			).toEqual(['body_sv:unknownMedia']);
			const newId = await createArticle(h.db, author, withImage('sv'));
			const body = (await loadForEditing(h.db, author, newId)).translations.sv!.body;
			expect(body).toContain('alt="Byrådet samlat under ett träd"');
			expect(body).toContain(`srcset="/media/${image.storageKey}/320.webp 320w`);
			expect(body).toContain('width="1200" height="800"');
			expect(body).not.toMatch(/onerror/);

			const opened = await loadForEditing(h.db, author, newId);
			const withEnglish = () => {
				const f = withImage('en');
				f.set('version', opened.version);
				return f;
			};
			expect(await problems(saveArticleContent(h.db, author, newId, withEnglish()))).toEqual([
				'body_en:imageAltMissing'
			]);
			await setAltText(h.db, author, {
				id: String(image.id),
				alt_sv: 'Byrådet samlat under ett träd',
				alt_en: 'The village council under a tree'
			});
			await saveArticleContent(h.db, author, newId, withEnglish());
			expect((await loadForEditing(h.db, author, newId)).translations.en!.body).toContain(
				'alt="The village council under a tree"'
			);
		} finally {
			media.remove();
		}
	});

	it('leads an article with a library picture described in its languages; cards and the page show it', async () => {
		const media = aMediaStore();
		try {
			const picture = await anImage(h.db, media.store, author, {
				width: 1200,
				height: 675,
				alt: { sv: 'Byrådet samlat under ett träd' }
			});
			const lead = (leadImageId: string, slug = 'ledd-av-en-bild') =>
				form({ slug, leadImageId, title_en: '', teaser_en: '', body_en: '' });
			// A number that is no picture, and a picture without an English description for an English text.
			expect(await problems(createArticle(h.db, author, lead('999999', 'ingen-bild')))).toEqual([
				'leadImageId:unknownMedia'
			]);
			expect(
				await problems(
					createArticle(h.db, author, form({ slug: 'bara-svensk-bild', leadImageId: String(picture.id) }))
				)
			).toEqual(['leadImageId:leadImageAltMissing']);
			const newId = await createArticle(h.db, author, lead(String(picture.id)));
			const opened = await loadForEditing(h.db, author, newId);
			expect(formValuesOf(opened).leadImageId).toBe(String(picture.id));
			await step(author, newId, 'submit');
			await step(editor, newId, 'publish');
			const page = (await getArticle(h.db, 'sv', 'ledd-av-en-bild'))!;
			expect(page.image).toMatchObject({ alt: 'Byrådet samlat under ett träd', width: 1200, height: 675 });
			expect(page.image!.srcset).toContain(`/media/${picture.storageKey}/320.webp 320w`);
			const card = (await latestArticles(h.db, 'sv', 50)).find((c) => c.slug === 'ledd-av-en-bild');
			expect(card?.image?.src).toBe(page.image!.src);
			// Choosing none takes it away.
			await save(editor, newId, {
				slug: 'ledd-av-en-bild',
				leadImageId: '',
				title_en: '',
				teaser_en: '',
				body_en: ''
			});
			expect((await getArticle(h.db, 'sv', 'ledd-av-en-bild'))!.image).toBeNull();
			// The versions' comparison names the picture that went.
			const [latest, before] = await listRevisions(h.db, editor, newId);
			const diff = await diffRevisions(h.db, editor, newId, before!.id, latest!.id);
			expect(diff.find((d) => d.field === 'leadImageId')?.parts).toEqual([
				{ change: 'removed', text: `${picture.fileName} ` }
			]);
		} finally {
			media.remove();
		}
	});
});
