import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launch, open } from './browser.ts';

// The demo's Ale–Ghanzi framework (data/demo/results.json) on the partnership's page: the tree,
// one indicator's figures and progress, breakdowns, in both languages, read without JavaScript.

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

/** The text of each row of an indicator's table, cells joined by " | ". */
const rows = (page: Page, indicator: string) =>
	page
		.locator('.indicator', { has: page.getByRole('heading', { name: indicator }) })
		.locator('table tr')
		.evaluateAll((trs) =>
			trs.map((tr) =>
				[...tr.children].map((c) => (c as HTMLElement).innerText.replace(/\s+/g, ' ').trim()).join(' | ')
			)
		);

/** An indicator's facts, each "term: description". */
const facts = (page: Page, name: string) =>
	page
		.locator('.indicator', { has: page.getByRole('heading', { name }) })
		.locator('dl > div')
		.evaluateAll((pairs) =>
			pairs
				.map(
					(p) => `${p.querySelector('dt')!.textContent}: ${(p.querySelector('dd') as HTMLElement).innerText}`
				)
				.map((t) => t.replace(/\s+/g, ' ').trim())
				.join('\n')
		);

test('the Ale–Ghanzi page sums up its results; their page shows every figure in Swedish, without JavaScript', async () => {
	const { page, context } = await open(browser, { javaScriptEnabled: false });
	// The partnership's page: its results and their progress, and the way to every figure.
	await page.goto('/partnerships/ale-ghanzi');
	const summary = page.locator('section.results-framework');
	expect(await summary.innerText()).toContain('82\u00a0%');
	expect(await summary.locator('.indicator').count()).toBe(0);
	await Promise.all([
		page.waitForEvent('load'),
		summary
			.getByRole('link', { name: 'Alla indikatorer, siffror per år, aktiviteter och milstolpar' })
			.click()
	]);
	expect(page.url()).toMatch(/\/partnerships\/ale-ghanzi\/results$/);
	expect(await page.getByRole('heading', { level: 1 }).innerText()).toMatch(/^Resultat: Ale kommun/);
	const section = page.locator('section.results-framework');
	expect(await section.getByRole('heading', { level: 2 }).textContent()).toBe('Resultat');
	expect(await section.getByRole('heading', { level: 3 }).first().innerText()).toContain(
		'Invånarna i Ale och Ghanzi påverkar besluten om sin närmiljö'
	);
	expect(await section.innerText()).toContain('alla siffror i detta resultatramverk är påhittade');

	// A falling indicator: from 45 days in 2022 toward 21, at 25 now: (45 − 25) / (45 − 21) = 83 %.
	const days = 'Genomsnittligt antal dagar innan en invånares fråga besvaras';
	const dayFacts = await facts(page, days);
	expect(dayFacts).toContain('Mått: Antal');
	expect(dayFacts).toContain('Riktning: Lägre är bättre');
	expect(dayFacts).toContain('Utgångsvärde 2022: 45');
	expect(dayFacts).toContain('Källa: Distriktets ärendelogg');
	expect(dayFacts).toContain('Indikatorns framsteg: 83 %');
	expect(await rows(page, days)).toEqual([
		'Period | Mål | Utfall',
		'2023 | 35 | 38',
		'2024 | 28 | 30',
		'2025 | 21 | 25 Två tjänster var vakanta under hösten.'
	]);

	// Its outcome rolls up four parts (two indicators, two outputs), the rule beside the figure.
	const outcome = page.locator('.result-outcome', {
		has: page.getByRole('heading', { name: 'Invånarna får svar på de frågor de ställer' })
	});
	const outcomeFacts = await outcome
		.locator('.result-facts')
		.first()
		.locator('> div')
		.evaluateAll((pairs) =>
			pairs.map(
				(p) => `${p.querySelector('dt')!.textContent}: ${(p.querySelector('dd') as HTMLElement).innerText}`
			)
		)
		.then((all) => all.join('\n').replace(/[ \t]+/g, ' '));
	expect(outcomeFacts).toContain('Framsteg: 82\u00a0%');
	expect(outcomeFacts).toContain('Medelvärde av 4 av 4 delar');
	expect(outcomeFacts).toContain('Demokratiprincip: Ansvarsutkrävande');

	// Breakdowns by sex and by age group, percentages written as such.
	const share = 'Andel invånare som anser att de kan påverka lokala beslut';
	expect((await rows(page, share)).at(-1)).toBe('2025 | 40 % | 38 % Kvinnor: 36 % Män: 40 %');
	expect((await rows(page, 'Deltagare i bymöten')).at(-1)).toBe(
		'2025 | 650 | 640 Ålder 15-29: 190 Ålder 30-64: 340 Ålder 65+: 110'
	);
	// A qualitative indicator is told in words and counts for no progress.
	const words = await facts(page, 'Hur byråden beskriver sin dialog med distriktet');
	expect(words).toContain('Räknas inte (måttet har inga siffror)');

	const activities = await page.getByRole('list', { name: 'Aktiviteter och milstolpar' }).innerText();
	expect(activities).toContain('Utvecklingsplan med invånarnas prioriteringar antagen (Milstolpe)');
	await context.close();
});

test('in English, with no axe violations in either language', async () => {
	const { page, context } = await open(browser);
	await page.goto('/en/partnerships/ale-ghanzi/results');
	expect(await page.locator('#results-heading').textContent()).toBe('Results');
	const days = "Average number of days before a resident's question is answered";
	const dayFacts = await facts(page, days);
	expect(dayFacts).toContain('Direction: Lower is better');
	expect(dayFacts).toContain('Baseline 2022: 45');
	expect(dayFacts).toContain("Indicator's progress: 83%");
	expect(await rows(page, days)).toEqual([
		'Period | Target | Actual',
		'2023 | 35 | 38',
		'2024 | 28 | 30',
		'2025 | 21 | 25 Two posts were vacant during the autumn.'
	]);
	expect((await rows(page, 'Share of residents who feel they can influence local decisions')).at(-1)).toBe(
		'2025 | 40% | 38% Women: 36% Men: 40%'
	);
	expect(await axeViolations(page)).toEqual([]);
	for (const path of [
		'/partnerships/ale-ghanzi/results',
		'/partnerships/ale-ghanzi',
		'/en/partnerships/ale-ghanzi'
	]) {
		await page.goto(path);
		expect(await axeViolations(page), path).toEqual([]);
	}
	await context.close();
});

test('at 320 px the page does not scroll sideways and its headings go in order', async () => {
	const { page, context } = await open(browser, { width: 320 });
	for (const path of [
		'/partnerships/ale-ghanzi/results',
		'/en/partnerships/vasterbotten-yogyakarta/results',
		'/partnerships/ale-ghanzi'
	]) {
		await page.goto(path);
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		expect(overflow, path).toBeLessThanOrEqual(0);
		const levels = await page.$$eval('main h1, main h2, main h3, main h4, main h5, main h6', (hs) =>
			hs.map((h) => Number(h.tagName[1]))
		);
		expect(levels[0], path).toBe(1);
		if (path.endsWith('/results')) expect(levels.filter((l) => l === 6).length, path).toBeGreaterThan(0);
		for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!, path).toBeLessThanOrEqual(1);
	}
	await context.close();
});
