import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testDatabases } from '../test/databases.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { dataPath } from '../kernel/data-files.ts';
import { localStore } from '../media/store.ts';
import { getPartnership } from '../partnerships/queries.ts';
import { getArticle } from '../content/queries.ts';
import { demoReportArticle } from '../content/demo.ts';
import { eq } from 'drizzle-orm';
import { latestArticles } from '../content/queries.ts';
import { article } from '../content/schema.ts';
import { addDemoDocuments, addDemoIllustrations, addDemoReportSummary } from './demo.ts';

/** What a PDF says of itself: its pages, whether it is tagged, its language and title. */
function describePdf(bytes: Buffer) {
	const text = bytes.toString('latin1');
	return {
		pages: text.match(/\/Type \/Page\b/g)?.length ?? 0,
		tagged: /\/StructTreeRoot/.test(text) && /\/Marked true/.test(text),
		lang: /\/Lang \(([^)]*)\)/.exec(text)?.[1] ?? null
	};
}

describe('the demo documents as files', () => {
	it('are real reports of several pages, tagged for screen readers, in a stated language', () => {
		const files = readdirSync(dataPath('demo', 'documents')).filter((f) => f.endsWith('.pdf'));
		expect(files.sort()).toEqual([
			'ale-ghanzi.pdf',
			'horby-peja.pdf',
			'kalmar-cape-winelands.pdf',
			'programme-results.en.pdf',
			'programme-results.sv.pdf',
			'vasterbotten-yogyakarta.pdf'
		]);
		for (const file of files) {
			const pdf = describePdf(readFileSync(dataPath('demo', 'documents', file)));
			expect(pdf.pages, file).toBeGreaterThanOrEqual(3);
			expect(pdf.tagged, file).toBe(true);
			expect(pdf.lang, file).toBe(file.endsWith('.sv.pdf') ? 'sv-SE' : 'en-GB');
		}
	});
});

describe.each(testDatabases)('the demo documents on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(async () => {
		await h?.close();
	});

	it('gives each demo partnership its results report from the library, once', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'demo-docs-'));
		const store = localStore(dir);
		expect(await addDemoDocuments(h.db, store)).toBe(4);
		expect(await addDemoDocuments(h.db, store)).toBe(0);
		const p = (await getPartnership(h.db, 'en', 'horby-peja'))!;
		expect(p.documents).toHaveLength(1);
		expect(p.documents[0]!.title).toBe('Results report 2015–2017 (demo)');
		expect(p.documents[0]!.href).toMatch(/^\/media\/[0-9a-f]{32}\/horby-peja\.pdf$/);
		const stored = await store.get(p.documents[0]!.href.split('/')[2] + '/document.pdf');
		expect(stored).not.toBeNull();
	});

	it("attaches the summary of the demo's results to the results report article in each language, once", async () => {
		const store = localStore(mkdtempSync(path.join(tmpdir(), 'demo-summary-')));
		expect(await addDemoReportSummary(h.db, store)).toBe(true);
		expect(await addDemoReportSummary(h.db, store)).toBe(false);
		const sv = (await getArticle(h.db, 'sv', demoReportArticle))!;
		const en = (await getArticle(h.db, 'en', demoReportArticle))!;
		expect(sv.body).toMatch(
			/<a href="\/media\/[0-9a-f]{32}\/programme-results-sv\.pdf"[^>]*>Resultat i demopartnerskapen<\/a> <span class="file-meta">\(PDF, \d+\skB\)<\/span>/
		);
		expect(sv.body).toContain('Siffrorna i den är påhittade');
		expect(en.body).toMatch(/\/programme-results-en\.pdf"[^>]*>Results in the demo partnerships<\/a>/);
	});

	it('gives each demo article and partnership its illustration with a description in both languages, once', async () => {
		const store = localStore(mkdtempSync(path.join(tmpdir(), 'demo-pictures-')));
		expect(await addDemoIllustrations(h.db, store)).toBe(12);
		expect(await addDemoIllustrations(h.db, store)).toBe(0);
		// A picture an editor takes away stays away.
		await h.db.update(article).set({ leadImageId: null }).where(eq(article.slug, 'tidsresemetodiken'));
		expect(await addDemoIllustrations(h.db, store)).toBe(0);
		expect((await getArticle(h.db, 'sv', 'tidsresemetodiken'))!.image).toBeNull();
		const cards = await latestArticles(h.db, 'sv', 20);
		expect(cards.length).toBeGreaterThanOrEqual(8);
		for (const card of cards.filter((c) => c.slug !== 'tidsresemetodiken')) {
			expect(card.image?.alt, card.slug).toMatch(/^Illustration: /);
			expect(card.image?.srcset, card.slug).toMatch(/\/media\/[0-9a-f]{32}\/\d+\.webp \d+w/);
		}
		const horby = (await getPartnership(h.db, 'en', 'horby-peja'))!;
		expect(horby.image?.alt).toBe(
			'Illustration: two groups of people in blue circles, joined by a dashed arc with a speech bubble above it.'
		);
		expect(horby.image?.width).toBe(1200);
		// Each size the page offers is stored.
		const key = horby.image!.src.split('/')[2]!;
		expect(await store.get(`${key}/${horby.image!.src.split('/')[3]}`)).not.toBeNull();
	});
});
