import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { ValidationError } from '../kernel/errors.ts';
import { fold, searchWords } from '../kernel/fold.ts';
import { readQuery } from '../kernel/input.ts';
import { anOrganization } from '../test/factories/organizations.ts';
import { anOrganizationWithStaff, aProfile } from '../test/factories/partner-search.ts';
import { partnerProfile } from '../partner-search/schema.ts';
import { anArticle } from '../test/factories/content.ts';
import { rowsOf } from '../test/rows.ts';
import { searchSite, siteSearchQuery } from './search.ts';

// The site's one search crosses modules (articles, partnerships, organizations, profiles, goals):
// each is asked through the page's own composition, on the demo's data.

describe('folding', () => {
	it('lowers case and drops the accents people leave out, as the database does', () => {
		expect(fold('Hörby Göteborgs Stad ÅÄÖ é ñ')).toBe('horby goteborgs stad aao e n');
		expect(searchWords('  Hörby–Peja, hörby! a ')).toEqual(['horby', 'peja']);
		// A decomposed "ö" (as some keyboards send it) folds like the composed one.
		expect(fold('Ho\u0308rby')).toBe('horby');
	});
});

describe.each(testDatabases)('the site search on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(() => h?.close());

	it('finds Hörby without its accent: the municipality and its partnership with Peja', async () => {
		const r = await searchSite(h.db, 'sv', 'horby', undefined, 1);
		expect(r.corrected).toBeNull();
		expect(r.organizations.hits[0]).toMatchObject({ name: 'Hörby kommun', countryName: 'Sverige' });
		expect(r.partnerships.hits.map((p) => p.slug)).toContain('horby-peja');
		// The stemmer keeps "horby" and "Hörby" apart; the texts are found without the accent too.
		expect(r.articles).toMatchObject({ lang: 'sv' });
		expect(r.articles.hits.map((a) => a.snippet).join(' ')).toContain('Hörby kommun');
		// Words are matched across the members' names: one in each.
		const both = await searchSite(h.db, 'en', 'hörby peja', undefined, 1);
		expect(both.partnerships.hits.map((p) => p.slug)).toEqual(['horby-peja']);
		expect(both.total).toBe(
			both.goals.total +
				both.articles.total +
				both.partnerships.total +
				both.organizations.total +
				both.profiles.total
		);
	});

	it('finds a word after punctuation or a dash as a word of its own', async () => {
		// "Peja kommun (Pejë)": the name in parentheses, accent and all.
		const r = await searchSite(h.db, 'sv', 'peje', undefined, 1);
		expect(r.corrected).toBeNull();
		expect(r.organizations.hits.map((o) => o.name)).toContain('Peja kommun (Pejë)');
	});

	it('finds a word after a line break; an endless run of letters neither stops a save nor a search', async () => {
		const staffed = await anOrganizationWithStaff(h.db, {
			name: { sv: `Norrvikens råd ${'x'.repeat(3000)}`, en: 'Norrvik Council' }
		});
		await aProfile(h.db, staffed, { offer: { sv: 'Vi delar gärna med oss.\nSkolvalsguider och annat.' } });
		const byLine = await searchSite(h.db, 'sv', 'skolvalsguid', undefined, 1);
		expect(byLine.profiles.hits.map((p) => p.organization)).toEqual([`Norrvikens råd ${'x'.repeat(3000)}`]);
		// … and offered as the correction of a typo.
		const typo = await searchSite(h.db, 'sv', 'skolvalsguidr', undefined, 1);
		expect(typo.corrected).toBe('skolvalsguider');
		expect(typo.profiles.total).toBe(1);
		const byName = await searchSite(h.db, 'sv', 'norrvikens', undefined, 1);
		expect(byName.organizations.total).toBe(1);
		expect((await searchSite(h.db, 'sv', 'x'.repeat(40), undefined, 1)).organizations.total).toBe(0);
	});

	it('offers the target a word belongs to, on either site', async () => {
		const sv = await searchSite(h.db, 'sv', 'korruption', undefined, 1);
		expect(sv.goals.hits).toContainEqual(
			expect.objectContaining({ kind: 'target', code: '16.5', title: 'Minska korruption och mutor' })
		);
		const en = await searchSite(h.db, 'en', 'korruption', undefined, 1);
		const target = en.goals.hits.find((g) => g.kind === 'target' && g.code === '16.5');
		// Found by its Swedish words, shown in English.
		expect(target?.title).not.toBe('Minska korruption och mutor');
		expect(target?.title).toMatch(/corruption/i);
		// A target's number is that target alone, written as on the goal pages or with a capital.
		for (const q of ['16.5', '16.A']) {
			const byNumber = await searchSite(h.db, 'sv', q, undefined, 1);
			expect(byNumber.goals.hits.map((g) => (g.kind === 'target' ? g.code : g.goal))).toEqual([
				q.toLowerCase()
			]);
		}
		const goal = await searchSite(h.db, 'sv', 'jämställdhet', undefined, 1);
		expect(goal.goals.hits[0]).toMatchObject({ kind: 'goal', goal: 5, title: 'Jämställdhet' });
		expect(goal.goals.hits[0]).toHaveProperty('colour', expect.stringMatching(/^#[0-9A-F]{6}$/i));
		// The goal first, then its targets (those whose short title holds the word before the rest).
		const kinds = goal.goals.hits.map((g) => g.kind);
		expect(kinds.slice(1)).toEqual(kinds.slice(1).map(() => 'target'));
		expect(kinds.length).toBeGreaterThan(1);
	});

	it('a Swedish word on the English site finds the Swedish texts and says which language they are in', async () => {
		const r = await searchSite(h.db, 'en', 'medborgardialogen', undefined, 1);
		expect(r.articles.lang).toBe('sv');
		expect(r.articles.total).toBeGreaterThan(0);
		expect(r.articles.hits[0]!.snippet).toMatch(/<mark>/);
		// An English word stays in English.
		const en = await searchSite(h.db, 'en', 'dialogue', undefined, 1);
		expect(en.articles.lang).toBe('en');
		expect(en.articles.total).toBeGreaterThan(0);
	});

	it('looks words up in indexes that write straight into themselves, with no pending list to read through', async () => {
		// A GIN index's pending list is read whole by every lookup until a vacuum merges it: the typo
		// list, remade whole after a change, took 11 ms a lookup with 198 pending pages, 5 ms without.
		const options = await rowsOf<{ name: string; options: string[] | null }>(
			h.db,
			sql`select c.relname as name, c.reloptions as options from pg_class c join pg_am a on a.oid = c.relam
				where a.amname = 'gin' and (c.relname like '%words_idx' or c.relname = 'search_word_trgm_idx')
				order by c.relname`
		);
		expect(options).toEqual(
			[
				'organization_words_idx',
				'partner_profile_words_idx',
				'partnership_words_idx',
				'sdg_target_words_idx',
				'search_word_trgm_idx'
			].map((name) => ({ name, options: ['fastupdate=false'] }))
		);
	});

	it('tolerates a typo in a name, and says the matches are near ones', async () => {
		const r = await searchSite(h.db, 'sv', 'hörbu', undefined, 1);
		expect(r.corrected).toBe('horby');
		// Only when nothing matched whole: a name found whole shows no near ones beside it.
		const whole = await searchSite(h.db, 'sv', 'hörby', undefined, 1);
		expect(whole.corrected).toBeNull();
		expect(whole.goals).toMatchObject({ total: 0 });
		expect(r.organizations.hits.map((o) => o.name)).toContain('Hörby kommun');
	});

	it('corrects typos against the words of public texts only, as soon as a text is saved', async () => {
		const article = (slug: string, title: string, status: 'published' | 'draft') =>
			anArticle(h.db, {
				slug,
				status,
				translations: { sv: { title, teaser: 'En kort ingress.', body: '<p>Text.</p>' } }
			});
		// A word of the demo's articles, one letter off: the articles that hold it, as near matches.
		const dialogue = await searchSite(h.db, 'sv', 'medborgardialg', undefined, 1);
		expect(dialogue.corrected).toBe('medborgardialog');
		expect(dialogue.articles.total).toBeGreaterThan(0);
		// A target's word with two letters off still offers the target.
		const corruption = await searchSite(h.db, 'sv', 'korupton', undefined, 1);
		expect(corruption.corrected).toBe('korruption');
		expect(corruption.goals.hits.map((g) => (g.kind === 'target' ? g.code : g.goal))).toContain('16.5');
		// A word first written a moment ago is known at once; a draft's words are never offered.
		await article('fjallvandring-i-test', 'Fjällvandringsledarna möts', 'published');
		await article('hemligt-utkast-i-test', 'Hemlighetsmakeriets utkast', 'draft');
		const fresh = await searchSite(h.db, 'sv', 'fjallvandringsledrna', undefined, 1);
		expect(fresh.corrected).toBe('fjallvandringsledarna');
		expect(fresh.articles.hits.map((a) => a.slug)).toEqual(['fjallvandring-i-test']);
		const draft = await searchSite(h.db, 'sv', 'hemlighetsmakriets', undefined, 1);
		expect(draft.corrected).toBeNull();
		expect(draft.total).toBe(0);
	});

	it('finds listed profiles by their organization and by what they offer, never hidden ones', async () => {
		const listed = await anOrganizationWithStaff(h.db, {
			name: { sv: 'Kvarnbyns distriktsråd', en: 'Kvarnby District Council' }
		});
		await aProfile(h.db, listed, { offer: { sv: 'Vi delar erfarenheter av deltagande budgetering.' } });
		const hidden = await anOrganizationWithStaff(h.db, { name: { sv: 'Kvarnbyns gömda råd', en: 'Hidden' } });
		const hiddenId = await aProfile(h.db, hidden);
		await h.db.update(partnerProfile).set({ status: 'hidden' }).where(eq(partnerProfile.id, hiddenId));
		const byName = await searchSite(h.db, 'sv', 'kvarnbyns', undefined, 1);
		expect(byName.profiles.hits.map((p) => p.organization)).toEqual(['Kvarnbyns distriktsråd']);
		const byOffer = await searchSite(h.db, 'sv', 'budgetering', undefined, 1);
		expect(byOffer.profiles.hits.map((p) => p.organization)).toContain('Kvarnbyns distriktsråd');
		expect(byOffer.profiles.hits[0]!.offer.text).toContain('deltagande budgetering');
	});

	it('shows a few of each kind with the whole count, and all of one kind a page at a time', async () => {
		for (let i = 0; i < 8; i++) await anOrganization(h.db, { name: `Sjöstrands råd ${i}` });
		const overview = await searchSite(h.db, 'sv', 'sjostrands', undefined, 1);
		expect(overview.organizations.total).toBe(8);
		expect(overview.organizations.hits.length).toBeLessThan(8);
		const all = await searchSite(h.db, 'sv', 'sjostrands', 'organizations', 1);
		expect(all.organizations.hits).toHaveLength(8);
		expect(all.kind).toBe('organizations');
		expect(all.pages).toBe(1);
	});

	it('nothing to search finds nothing; an unknown kind is a clear error', async () => {
		const r = await searchSite(h.db, 'sv', ' – ', undefined, 1);
		expect(r.total).toBe(0);
		expect(() => readQuery(new URLSearchParams('q=x&kind=people'), siteSearchQuery)).toThrow(ValidationError);
	});
});
