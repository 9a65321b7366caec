import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { and, desc, eq } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { everyRole, type TestActor } from '../test/actors.ts';
import type { Database, DatabaseHandle } from '../kernel/database.ts';
import { auditLog } from '../kernel/schema.ts';
import { ForbiddenError, ValidationError } from '../kernel/errors.ts';
import { readQuery } from '../kernel/input.ts';
import { readRevision } from '../kernel/revision.ts';
import type { Actor } from '../kernel/policy.ts';
// The pages compose taxonomy with the modules that count and carry themes; so does this test.
import { themeMergers } from './modules.ts';
import { article, articleRevision, articleTheme } from '../content/schema.ts';
import { themeUsage } from '../content/queries.ts';
import { inspirationCounts } from '../content/facets.ts';
import { findInspiration } from '../content/listing.ts';
import { inspirationQuery } from '../content/input.ts';
import { partnership, partnershipTheme } from '../partnerships/schema.ts';
import { partnerProfile } from '../partner-search/schema.ts';
import { listThemes as listThemeNames } from '../taxonomy/themes.ts';
import {
	addTopic as add,
	listTopicsForEditing as listTopics,
	mergeTopics as merge,
	renameTopic as rename,
	topicKeyFrom
} from '../taxonomy/topics.ts';

/** Themes with their article counts, as the pages compose them. */
const listThemes = async (db: Database, locale: string) =>
	listThemeNames(db, locale, (await inspirationCounts(db, locale)).themes);

/** The editors' list with the inspiration bank's counts, as its page composes it. */
const listTopicsForEditing = async (db: Database, actor: Actor) =>
	listTopics(db, actor, await themeUsage(db));

/** The forms as the topics page posts them. */
const addTopic = (
	db: Database,
	actor: Actor,
	input: { name: { sv: string; en: string }; description?: { sv?: string; en?: string } }
) =>
	add(db, actor, {
		nameSv: input.name.sv,
		nameEn: input.name.en,
		...(input.description?.sv !== undefined ? { descriptionSv: input.description.sv } : {}),
		...(input.description?.en !== undefined ? { descriptionEn: input.description.en } : {})
	});
const renameTopic = (db: Database, actor: Actor, key: string, names: { sv: string; en: string }) =>
	rename(db, actor, { key, nameSv: names.sv, nameEn: names.en });
/** Every module moves its links, as the page asks. */
const mergeTopics = (db: Database, actor: Actor, from: string, into: string) =>
	merge(db, actor, from, into, themeMergers);

let editor: TestActor;
let admin: TestActor;
let author: TestActor;
let reader: TestActor;

/** The domain error's problems as "field:code", or the error itself when it is something else. */
async function problems(run: Promise<unknown>): Promise<string[]> {
	try {
		await run;
	} catch (e) {
		if (e instanceof ValidationError) return e.problems.map((p) => `${p.field}:${String(p.code)}`);
		throw e;
	}
	throw new Error('expected a ValidationError');
}

describe('topic keys', () => {
	it('come from the Swedish name with å, ä, ö as a, a, o', () => {
		expect(topicKeyFrom('Jämställdhet & hälsa')).toBe('jamstalldhet-halsa');
		expect(topicKeyFrom('Åtgärder för Öppenhet')).toBe('atgarder-for-oppenhet');
		expect(topicKeyFrom('Café-kultur')).toBe('cafe-kultur');
		expect(topicKeyFrom('2030-agendan')).toBe('topic-2030-agendan');
		expect(topicKeyFrom('日本')).toBe('topic');
	});

	it('always pass the listing filter, whatever the name', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 80, unit: 'binary' }), (raw) => {
				expect(topicKeyFrom(raw)).toMatch(/^[a-z][a-z0-9-]{0,35}$/);
			})
		);
	});
});

describe.each(testDatabases)('topics on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
		({ editor, admin, author, reader } = await everyRole(h.db));
	});
	afterAll(() => h?.close());

	const inspiration = async (query: string, locale = 'sv') =>
		findInspiration(h.db, locale, readQuery(new URLSearchParams(query), inspirationQuery, 'content'));
	const lastAudit = async (action: string) => {
		const [row] = await h.db
			.select()
			.from(auditLog)
			.where(eq(auditLog.action, action))
			.orderBy(desc(auditLog.id))
			.limit(1);
		return row;
	};

	it('lists the four fixed principles first, then the topics, with their article counts', async () => {
		const themes = await listTopicsForEditing(h.db, editor);
		expect(themes.slice(0, 4).map((t) => [t.key, t.kind])).toEqual([
			['participation', 'principle'],
			['transparency', 'principle'],
			['accountability', 'principle'],
			['non-discrimination', 'principle']
		]);
		expect(themes.slice(4).every((t) => t.kind === 'topic')).toBe(true);
		const byKey = new Map(themes.map((t) => [t.key, t]));
		expect(byKey.get('health')?.name).toEqual({ sv: 'Hälsa', en: 'Health' });
		// The same numbers as the public listing gives (the demo articles are all published).
		for (const key of ['participation', 'urbanisation', 'health', 'climate']) {
			const listed = await inspiration(`theme=${key}`);
			expect(byKey.get(key)?.articles).toBe(listed.total);
			expect(byKey.get(key)?.published).toBe(listed.total);
		}
		expect(byKey.get('urbanisation')?.articles).toBe(2);
		expect(byKey.get('climate')?.articles).toBe(0);
	});

	it('refuses authors, readers and the signed out, and changes nothing', async () => {
		const revision = await readRevision(h.db);
		for (const actor of [author, reader]) {
			await expect(listTopicsForEditing(h.db, actor)).rejects.toThrow(ForbiddenError);
			await expect(addTopic(h.db, actor, { name: { sv: 'Skola', en: 'School' } })).rejects.toThrow(
				ForbiddenError
			);
			await expect(renameTopic(h.db, actor, 'health', { sv: 'Vård', en: 'Care' })).rejects.toThrow(
				ForbiddenError
			);
			await expect(mergeTopics(h.db, actor, 'health', 'culture')).rejects.toThrow(ForbiddenError);
		}
		await expect(mergeTopics(h.db, null, 'health', 'culture')).rejects.toMatchObject({
			signInRequired: true
		});
		const themes = await listThemes(h.db, 'sv');
		expect(themes.find((t) => t.key === 'health')?.name).toBe('Hälsa');
		expect(themes.some((t) => t.name === 'Skola')).toBe(false);
		expect(await readRevision(h.db)).toBe(revision);
	});

	it('adds a topic with a key from its Swedish name, shown publicly in both languages, and audited', async () => {
		const revision = Number(await readRevision(h.db));
		const key = await addTopic(h.db, editor, {
			name: { sv: '  Jämställd   öppenhet ', en: 'Equal openness' },
			description: { sv: 'Om lika insyn.', en: 'On equal insight.' }
		});
		expect(key).toBe('jamstalld-oppenhet');
		expect(Number(await readRevision(h.db))).toBe(revision + 1);
		const sv = await listThemes(h.db, 'sv');
		const en = await listThemes(h.db, 'en');
		expect(sv.at(-1)).toMatchObject({ key, kind: 'topic', name: 'Jämställd öppenhet', count: 0 });
		expect(en.find((t) => t.key === key)).toMatchObject({
			name: 'Equal openness',
			description: 'On equal insight.'
		});
		// The filter accepts the new key (an unknown one would be a 400).
		expect((await inspiration(`theme=${key}`)).total).toBe(0);
		const row = await lastAudit('topic.add');
		expect(row).toMatchObject({ actorId: editor.id, subject: `topic:${key}` });
		expect(row?.after).toMatchObject({ key, name: { sv: 'Jämställd öppenhet', en: 'Equal openness' } });
	});

	it('refuses a name already used in that language, whatever the case, and makes keys unique', async () => {
		expect(await problems(addTopic(h.db, editor, { name: { sv: 'KLIMAT', en: 'Weather' } }))).toEqual([
			'nameSv:topicExists'
		]);
		expect(await problems(addTopic(h.db, editor, { name: { sv: 'Väder', en: 'climate' } }))).toEqual([
			'nameEn:topicExists'
		]);
		// Principles' names are taken too.
		expect(
			await problems(addTopic(h.db, admin, { name: { sv: 'deltagande', en: 'PARTICIPATION' } }))
		).toEqual(['nameSv:topicExists', 'nameEn:topicExists']);
		// "Ekonomi!" is another name but the same key: it gets a number.
		expect(await addTopic(h.db, admin, { name: { sv: 'Ekonomi', en: 'Economy' } })).toBe('ekonomi');
		expect(await addTopic(h.db, admin, { name: { sv: 'Ekonomi!', en: 'Economy!' } })).toBe('ekonomi-2');
	});

	it('says which name is missing or too long', async () => {
		expect(await problems(addTopic(h.db, editor, { name: { sv: ' ', en: '' } }))).toEqual([
			'nameSv:required',
			'nameEn:required'
		]);
		expect(await problems(addTopic(h.db, editor, { name: { sv: 'Bra namn', en: 'x'.repeat(61) } }))).toEqual([
			'nameEn:tooLong'
		]);
		expect(await addTopic(h.db, editor, { name: { sv: 'å'.repeat(60), en: 'a'.repeat(60) } })).toMatch(
			/^a+$/
		);
		expect(
			await problems(renameTopic(h.db, editor, 'culture', { sv: 'Kultur och idrott', en: '\u0000' }))
		).toEqual(['nameEn:required']);
		// Every problem at once: a name taken in one language, none given in the other.
		expect(await problems(addTopic(h.db, editor, { name: { sv: 'klimat', en: '' } }))).toEqual([
			'nameSv:topicExists',
			'nameEn:required'
		]);
		expect(
			await problems(
				addTopic(h.db, editor, {
					name: { sv: '', en: 'Sport' },
					description: { sv: 'x'.repeat(501) }
				})
			)
		).toEqual(['nameSv:required', 'descriptionSv:tooLong']);
	});

	it('renames a topic but keeps its key, so filters and article tags keep working', async () => {
		const before = await inspiration('theme=health');
		await renameTopic(h.db, editor, 'health', { sv: 'Folkhälsa', en: 'Public health' });
		const after = await inspiration('theme=health');
		expect(after.total).toBe(before.total);
		expect(after.items[0]!.themes.find((t) => t.key === 'health')?.name).toBe('Folkhälsa');
		const en = await inspiration('theme=health', 'en');
		expect(en.items[0]!.themes.find((t) => t.key === 'health')?.name).toBe('Public health');
		const row = await lastAudit('topic.rename');
		expect(row).toMatchObject({ actorId: editor.id, subject: 'topic:health' });
		expect(row?.before).toEqual({ name: { sv: 'Hälsa', en: 'Health' } });
		expect(row?.after).toEqual({ name: { sv: 'Folkhälsa', en: 'Public health' } });
		// A change of case only is a rename of the topic itself, not a clash with itself.
		await renameTopic(h.db, editor, 'health', { sv: 'folkhälsa', en: 'Public health' });
		expect((await listThemes(h.db, 'sv')).find((t) => t.key === 'health')?.name).toBe('folkhälsa');
	});

	it('refuses to rename a principle, an unknown topic, or to another topic’s name', async () => {
		expect(
			await problems(renameTopic(h.db, admin, 'participation', { sv: 'Delaktighet', en: 'Involvement' }))
		).toEqual(['topic:principleFixed']);
		expect((await listThemes(h.db, 'sv'))[0]!.name).toBe('Deltagande');
		expect(await problems(renameTopic(h.db, editor, 'no-such', { sv: 'Ny', en: 'New' }))).toEqual([
			'topic:unknownTopic'
		]);
		expect(await problems(renameTopic(h.db, editor, 'culture', { sv: 'Klimat', en: 'Arts' }))).toEqual([
			'nameSv:topicExists'
		]);
	});

	it('merges a topic into another: the survivor’s listing counts the moved articles', async () => {
		const health = await inspiration('theme=health');
		const urbanisation = await inspiration('theme=urbanisation');
		const revision = Number(await readRevision(h.db));
		expect(health.total).toBe(1);
		expect(urbanisation.total).toBe(2);

		const result = await mergeTopics(h.db, editor, 'health', 'urbanisation');
		expect(result).toMatchObject({
			articles: 1,
			moved: { content: 1 },
			from: { sv: 'folkhälsa', en: 'Public health' },
			into: { sv: 'Urbanisering', en: 'Urbanisation' }
		});
		expect(Number(await readRevision(h.db))).toBe(revision + 1);
		const merged = await inspiration('theme=urbanisation');
		expect(merged.total).toBe(3);
		expect(merged.facets.theme.find((f) => f.value === 'urbanisation')?.count).toBe(3);
		expect(merged.items.map((a) => a.slug)).toEqual(expect.arrayContaining(health.items.map((a) => a.slug)));
		// The merged topic is gone: from the filter, the theme list and the editors' list.
		expect((await inspiration('')).facets.theme.map((f) => f.value)).not.toContain('health');
		await expect(inspiration('theme=health')).rejects.toThrow(ValidationError);
		expect((await listTopicsForEditing(h.db, editor)).map((t) => t.key)).not.toContain('health');
		const row = await lastAudit('topic.merge');
		expect(row).toMatchObject({ actorId: editor.id, subject: 'topic:health' });
		expect(row?.before).toMatchObject({
			from: { key: 'health', name: { sv: 'folkhälsa', en: 'Public health' } },
			into: { key: 'urbanisation' },
			links: { content: [{ articleId: expect.any(Number), position: expect.any(Number) }] }
		});
		expect(row?.after).toEqual({ into: 'urbanisation', moved: result.moved });
		expect(row?.after).toMatchObject({ moved: { content: 1 } });
	});

	it('keeps one link where an article had both topics, at the more prominent position', async () => {
		// The demo article tagged participation, globalisation, migration, urbanisation (in that order).
		const [tagged] = await h.db
			.select({ id: articleTheme.articleId })
			.from(articleTheme)
			.where(eq(articleTheme.themeKey, 'globalisation'));
		const id = tagged!.id;
		const [{ slug } = { slug: '' }] = await h.db
			.select({ slug: article.slug })
			.from(article)
			.where(eq(article.id, id));
		const themesOf = async () =>
			(await inspiration('theme=urbanisation')).items.find((a) => a.slug === slug)!.themes.map((t) => t.key);
		expect(await themesOf()).toEqual(['participation', 'globalisation', 'migration', 'urbanisation']);
		// A saved version of the article names the topic too.
		await h.db.insert(articleRevision).values({
			articleId: id,
			action: 'save',
			snapshot: { slug, themes: ['participation', 'globalisation', 'urbanisation', 'migration'] }
		});

		expect(await mergeTopics(h.db, admin, 'globalisation', 'urbanisation')).toMatchObject({ articles: 1 });
		expect(await themesOf()).toEqual(['participation', 'urbanisation', 'migration']);
		const links = await h.db
			.select()
			.from(articleTheme)
			.where(and(eq(articleTheme.articleId, id), eq(articleTheme.themeKey, 'urbanisation')));
		expect(links).toHaveLength(1);
		expect((await inspiration('theme=urbanisation')).total).toBe(3);
		const [saved] = await h.db
			.select({ snapshot: articleRevision.snapshot })
			.from(articleRevision)
			.where(eq(articleRevision.articleId, id))
			.orderBy(desc(articleRevision.id))
			.limit(1);
		expect(saved!.snapshot).toEqual({ slug, themes: ['participation', 'urbanisation', 'migration'] });
	});

	it('moves the partnerships and partner profiles that carried the merged topic too', async () => {
		// Before the modules' hooks, a merge moved articles only: a partnership or a profile kept
		// (or lost, by the delete) a topic that no longer existed.
		const key = await addTopic(h.db, editor, { name: { sv: 'Vatten', en: 'Water' } });
		const [p] = await h.db.select({ id: partnership.id }).from(partnership).limit(1);
		const [profile] = await h.db
			.select({ id: partnerProfile.id, themes: partnerProfile.themes })
			.from(partnerProfile)
			.limit(1);
		await h.db.insert(partnershipTheme).values({ partnershipId: p!.id, themeKey: key });
		await h.db
			.update(partnerProfile)
			.set({ themes: [key, ...profile!.themes.filter((t) => t !== 'climate')] })
			.where(eq(partnerProfile.id, profile!.id));

		const result = await mergeTopics(h.db, editor, key, 'climate');
		expect(result.moved).toEqual({ content: 0, partnerships: 1, partnerSearch: 1 });
		expect(result.articles).toBe(0);
		const themesOf = await h.db
			.select({ key: partnershipTheme.themeKey })
			.from(partnershipTheme)
			.where(eq(partnershipTheme.partnershipId, p!.id));
		expect(themesOf.map((t) => t.key)).toContain('climate');
		expect(themesOf.map((t) => t.key)).not.toContain(key);
		const [moved] = await h.db
			.select({ themes: partnerProfile.themes })
			.from(partnerProfile)
			.where(eq(partnerProfile.id, profile!.id));
		expect(moved!.themes[0]).toBe('climate');
		expect(moved!.themes).not.toContain(key);
		const row = await lastAudit('topic.merge');
		expect(row?.after).toEqual({ into: 'climate', moved: { content: 0, partnerships: 1, partnerSearch: 1 } });
		expect(row?.before).toMatchObject({
			links: { partnerships: expect.any(Array), partnerSearch: expect.any(Array) }
		});
	});

	it('never merges a principle away; a topic may be merged into a principle', async () => {
		expect(await problems(mergeTopics(h.db, editor, 'participation', 'culture'))).toEqual([
			'topic:principleFixed'
		]);
		expect(await problems(mergeTopics(h.db, editor, 'culture', 'culture'))).toEqual(['into:sameTopic']);
		expect(await problems(mergeTopics(h.db, editor, 'no-such', 'nor-this'))).toEqual([
			'topic:unknownTopic',
			'into:unknownTopic'
		]);
		// Nothing chosen in the form.
		expect(await problems(mergeTopics(h.db, editor, '', ''))).toEqual(['topic:required', 'into:required']);
		expect((await listThemes(h.db, 'sv')).slice(0, 4).map((t) => t.key)).toEqual([
			'participation',
			'transparency',
			'accountability',
			'non-discrimination'
		]);
		const participation = (await inspiration('theme=participation')).total;
		const culture = (await inspiration('theme=culture')).items.map((a) => a.slug);
		expect(culture).toHaveLength(1);
		expect(await mergeTopics(h.db, editor, 'culture', 'participation')).toMatchObject({ articles: 1 });
		const after = await inspiration('theme=participation');
		// The article already carried participation: no new article, no duplicate tag.
		expect(after.total).toBe(participation);
		const card = after.items.find((a) => a.slug === culture[0]);
		expect(card?.themes.map((t) => t.key)).toEqual(['participation']);
		expect((await listThemes(h.db, 'sv'))[0]).toMatchObject({ key: 'participation', name: 'Deltagande' });
	});

	it('lets only one of two editors adding the same name at once succeed', async () => {
		const results = await Promise.allSettled([
			addTopic(h.db, editor, { name: { sv: 'Samtidighet', en: 'Concurrency' } }),
			addTopic(h.db, admin, { name: { sv: 'samtidighet', en: 'concurrency' } })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
		expect(refused.reason).toBeInstanceOf(ValidationError);
	});

	it('saves any name or refuses it with a ValidationError, never anything else', async () => {
		const text = fc.oneof(
			fc.string({ maxLength: 70 }),
			fc.string({ maxLength: 70, unit: 'binary' }),
			fc.string({ maxLength: 70, unit: 'grapheme' }),
			fc.constantFrom('', ' ', '\u0000', '\ud800', 'Klimat', 'x'.repeat(61), '\u200b', '\t\n')
		);
		await fc.assert(
			fc.asyncProperty(text, text, async (sv, en) => {
				try {
					const key = await addTopic(h.db, editor, { name: { sv, en } });
					expect(key).toMatch(/^[a-z][a-z0-9-]{0,39}$/);
					// What was saved is found by its key and can be filtered on.
					const saved = (await listTopicsForEditing(h.db, editor)).find((t) => t.key === key);
					expect(saved?.name.sv.length).toBeGreaterThan(0);
					expect((await inspiration(`theme=${key}`)).total).toBe(0);
				} catch (e) {
					if (!(e instanceof ValidationError)) throw e;
					expect(e.problems.length).toBeGreaterThan(0);
				}
			}),
			{ numRuns: 60 }
		);
	});
});
