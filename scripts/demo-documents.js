// @ts-nocheck -- a generator run by hand over the demo JSON files; its output is what is checked (app/demo.test.ts).
// npm run demo:documents — writes the demo's PDFs into data/demo/documents from the demo's own
// data: for each partnership a results report in English (its working language: the
// partnership, its results and indicators year by year, and its yearly reports), and for the
// programme a summary of the four partnerships' results in Swedish and in English, which the
// IQA article links. Everything in them is the demo's fictional content, and each says so on
// its first page. Tagged PDFs (headings, paragraphs, tables with header cells; page numbers as
// artifacts) with a title and a language, so screen readers can read them. The files are
// committed; run this again after changing the demo data. The output is the same on every run.
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';

const dir = path.join('data', 'demo');
const read = (name) => JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8'));
const partnerships = read('partnerships');
const organizations = new Map(read('organizations').map((o) => [o.key, o]));
const frameworks = new Map(read('results').frameworks.map((f) => [f.partnership, f]));
const reports = read('reports').reports;
/** A fixed date, so that running the script again writes the same bytes. */
const made = new Date('2026-12-01T00:00:00Z');

const texts = {
	sv: {
		programmeTitle: 'Resultat i demopartnerskapen',
		programmeSubject: 'En sammanställning av de fyra demopartnerskapens resultat och årsrapporter',
		demo: 'Ett demonstrationsdokument. Det är gjort av plattformens demodata: alla siffror och texter i det är påhittade för att visa hur en sammanställning kan se ut. Inga verkliga personer nämns.',
		contents: 'Innehåll',
		method: 'Så har siffrorna räknats',
		methodText:
			'Varje partnerskap följer sina resultat med indikatorer: ett utgångsvärde, ett mål för varje år och det värde som uppnåddes. En indikator räknas som uppnådd ett år när värdet nådde målet (eller stannade under det, för indikatorer där lägre är bättre). Principbedömningarna kommer från partnerskapens årsrapporter, på en skala från 1 till 4.',
		overview: 'Översikt',
		partnership: 'Partnerskap',
		period: 'År',
		resultsCount: 'Resultat',
		indicatorsCount: 'Indikatorer',
		reached: 'Uppnådda mål senaste året',
		principles: 'Principbedömningar (1–4) per år',
		principle: 'Princip',
		indicator: 'Indikator',
		baseline: 'Utgångsvärde',
		target: 'Mål',
		actual: 'Uppnått',
		year: 'År',
		page: 'Sida {n} av {total}',
		names: {
			participation: 'Deltagande',
			transparency: 'Transparens',
			accountability: 'Ansvarsutkrävande',
			'non-discrimination': 'Icke-diskriminering'
		},
		latest: 'Indikatorerna {year}'
	},
	en: {
		programmeTitle: 'Results in the demo partnerships',
		programmeSubject: "A summary of the four demo partnerships' results and yearly reports",
		demo: "A demonstration document. It was made from the platform's demo data: every figure and text in it is invented to show what a summary can look like. No real person is named.",
		contents: 'Contents',
		method: 'How the figures were counted',
		methodText:
			'Each partnership follows its results with indicators: a baseline, a target for each year and the value reached. An indicator counts as reached in a year when its value met the target (or stayed below it, for indicators where lower is better). The assessments of the principles come from the partnerships’ yearly reports, on a scale from 1 to 4.',
		overview: 'Overview',
		partnership: 'Partnership',
		period: 'Years',
		resultsCount: 'Results',
		indicatorsCount: 'Indicators',
		reached: 'Targets reached in the latest year',
		principles: 'Assessments of the principles (1–4) by year',
		principle: 'Principle',
		indicator: 'Indicator',
		baseline: 'Baseline',
		target: 'Target',
		actual: 'Reached',
		year: 'Year',
		page: 'Page {n} of {total}',
		names: {
			participation: 'Participation',
			transparency: 'Transparency',
			accountability: 'Accountability',
			'non-discrimination': 'Non-discrimination'
		},
		latest: 'The indicators in {year}'
	}
};
const levels = { impact: 'Impact', outcome: 'Outcome', output: 'Output' };

const plain = (html) =>
	html
		.replace(/<\/p>\s*<p>/g, '\n\n')
		.replace(/<[^>]+>/g, '')
		.replace(/&amp;/g, '&')
		.trim();
const nameOf = (key, lang) => organizations.get(key)?.name[lang] ?? key;
const title = (p, lang) => p.members.map((k) => nameOf(k, lang)).join(' – ');
/** Every result of a framework, depth first, with its depth. */
function* allResults(results, depth = 0) {
	for (const r of results) {
		yield { result: r, depth };
		yield* allResults(r.children ?? [], depth + 1);
	}
}
/** A value as written: a number with its unit, or a qualitative indicator's words. */
const unit = (indicator, point, lang = 'en') => {
	const value = point?.value;
	if (value === undefined || value === null) return point?.comment?.[lang] ?? '–';
	return indicator.measure === 'percentage' ? `${value} %` : String(value);
};
/** Whether a period's value met its target (lower is better where the indicator descends). */
const reached = (indicator, period) => {
	const actual = Number(period.actual?.value);
	const target = Number(period.target?.value);
	if (!Number.isFinite(actual) || !Number.isFinite(target)) return null;
	return indicator.ascending === false ? actual <= target : actual >= target;
};

/** A tagged A4 document with a title, a language and a root structure, written to `file`. */
function open(file, { title, subject, lang }) {
	const doc = new PDFDocument({
		size: 'A4',
		margins: { top: 64, bottom: 72, left: 64, right: 64 },
		bufferPages: true,
		tagged: true,
		displayTitle: true,
		lang,
		pdfVersion: '1.7',
		info: {
			Title: title,
			Subject: subject,
			Author: 'Partnerskap för lokal demokrati (demo)',
			CreationDate: made,
			ModDate: made
		}
	});
	doc.pipe(createWriteStream(path.join(dir, 'documents', file)));
	const root = doc.struct('Document');
	doc.addStructure(root);
	const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
	const say = (text, type = 'P', style = {}) => {
		doc
			.font(style.font ?? 'Helvetica')
			.fontSize(style.size ?? 10.5)
			.fillColor(style.color ?? '#1b1f24')
			.text(text, doc.page.margins.left, undefined, {
				width,
				structParent: root,
				structType: type,
				lineGap: 2,
				...style.options
			});
		doc.moveDown(style.after ?? 0.6);
	};
	return {
		doc,
		h1: (text) => say(text, 'H1', { font: 'Helvetica-Bold', size: 22, after: 0.5 }),
		h2: (text) => {
			if (doc.y > doc.page.height - 160) doc.addPage();
			say(text, 'H2', { font: 'Helvetica-Bold', size: 15, after: 0.4, color: '#0b4f8a' });
		},
		h3: (text) => say(text, 'H3', { font: 'Helvetica-Bold', size: 11.5, after: 0.3 }),
		p: (text, style) => say(text, 'P', style),
		table: (header, rows, columnStyles) => {
			if (doc.y > doc.page.height - 140) doc.addPage();
			doc.font('Helvetica').fontSize(9.5).fillColor('#1b1f24');
			doc.table({
				structParent: root,
				columnStyles,
				defaultStyle: { border: 0.5, borderColor: '#8a939c', padding: 4 },
				data: [
					header.map((text) => ({
						text,
						type: 'TH',
						font: { src: 'Helvetica-Bold' },
						backgroundColor: '#e8eef4'
					})),
					...rows.map((row) =>
						row.map((text, i) => (i === 0 ? { text, type: 'TH', scope: 'Row' } : { text }))
					)
				]
			});
			doc.moveDown(0.8);
		},
		/** Page numbers and the running title, marked as artifacts (not read as content). */
		finish: (footer, pageText) => {
			root.end();
			const { start, count } = doc.bufferedPageRange();
			for (let i = start; i < start + count; i++) {
				doc.switchToPage(i);
				const bottom = doc.page.margins.bottom;
				doc.page.margins.bottom = 0;
				doc.markContent('Artifact', { type: 'Pagination' });
				doc
					.font('Helvetica')
					.fontSize(8.5)
					.fillColor('#4a545e')
					.text(
						`${footer} · ${pageText.replace('{n}', i + 1).replace('{total}', count)}`,
						doc.page.margins.left,
						doc.page.height - 44,
						{ width, lineBreak: false }
					);
				doc.endMarkedContent();
				doc.page.margins.bottom = bottom;
			}
			doc.end();
		}
	};
}

/** A partnership's results report, in English. */
function partnershipReport(p) {
	const t = texts.en;
	const framework = frameworks.get(p.slug);
	const years = reports.filter((r) => r.partnership === p.slug).sort((a, b) => a.year - b.year);
	const span = years.length ? `${years[0].year}–${years.at(-1).year}` : '';
	const name = title(p, 'en');
	const w = open(`${p.slug}.pdf`, {
		title: `Results report ${span}: ${name}`,
		subject: `The demo partnership ${name}: results, indicators and yearly reports`,
		lang: 'en-GB'
	});
	w.h1(`Results report ${span}`);
	w.p(name, { font: 'Helvetica-Bold', size: 14, after: 1 });
	w.p(t.demo, { color: '#7a2e0e', after: 1.2 });
	w.h2('1. The partnership');
	for (const para of plain(p.summary.en + '</p><p>' + p.description.en).split('\n\n')) w.p(para);
	w.p(
		`Began ${p.startYear}${p.endYear ? `, ended ${p.endYear}` : ', still active'}. Global Goals: ${p.goals.join(', ')}; targets ${p.targets.join(', ')}.`
	);

	w.h2('2. Results and indicators');
	w.p(
		'The results framework follows the Logical Framework Approach: an impact the partnership works towards, the outcomes that lead to it and the outputs it delivers. Each indicator has a baseline, a target for each year and the value reached.'
	);
	for (const { result, depth } of allResults(framework?.results ?? [])) {
		w.h3(
			`${levels[result.level] ?? result.level}${depth ? ` (level ${depth + 1})` : ''}: ${result.title.en}`
		);
		if (result.description?.en) w.p(result.description.en);
		for (const indicator of result.indicators ?? []) {
			w.p(
				`Indicator: ${indicator.title.en}${indicator.dataSource ? `. Source: ${indicator.dataSource.en}` : ''}.`,
				{ font: 'Helvetica-Oblique' }
			);
			const rows = [
				[`${t.baseline} ${indicator.baseline?.year ?? ''}`.trim(), '–', unit(indicator, indicator.baseline)]
			];
			for (const period of indicator.periods ?? []) {
				rows.push([String(period.year), unit(indicator, period.target), unit(indicator, period.actual)]);
			}
			w.table([t.year, t.target, t.actual], rows, [110, '*', '*']);
		}
	}

	w.h2('3. The years in brief');
	for (const year of years) {
		w.h3(String(year.year));
		w.p(year.lessons.en);
		w.p(`Plans: ${year.plans.en}`);
		const principles = Object.entries(year.principles ?? {});
		if (principles.length) {
			w.table(
				[t.principle, 'Assessment (1–4)', 'What happened'],
				principles.map(([key, value]) => [t.names[key] ?? key, String(value.score ?? '–'), value.text.en]),
				[110, 80, '*']
			);
		}
	}
	w.finish(`${name} · demo`, t.page);
}

/** The programme's summary of the four partnerships, in one language. */
function programmeSummary(lang) {
	const t = texts[lang];
	const w = open(`programme-results.${lang}.pdf`, {
		title: t.programmeTitle,
		subject: t.programmeSubject,
		lang: lang === 'sv' ? 'sv-SE' : 'en-GB'
	});
	w.h1(t.programmeTitle);
	w.p(t.programmeSubject, { size: 13, after: 1 });
	w.p(t.demo, { color: '#7a2e0e', after: 1.2 });
	w.h2(t.method);
	w.p(t.methodText);

	const summaries = partnerships.map((p) => {
		const framework = frameworks.get(p.slug);
		const all = [...allResults(framework?.results ?? [])];
		const indicators = all.flatMap(({ result }) => result.indicators ?? []);
		const latest = Math.max(
			0,
			...indicators.flatMap((i) => (i.periods ?? []).filter((x) => x.actual).map((x) => x.year))
		);
		const judged = indicators
			.map((i) => (i.periods ?? []).find((x) => x.year === latest))
			.map((period, k) => (period ? reached(indicators[k], period) : null))
			.filter((x) => x !== null);
		const years = reports.filter((r) => r.partnership === p.slug).map((r) => r.year);
		return { p, all, indicators, latest, judged, years };
	});
	w.h2(t.overview);
	w.table(
		[t.partnership, t.period, t.resultsCount, t.indicatorsCount, t.reached],
		summaries.map((s) => [
			title(s.p, lang),
			s.years.length ? `${Math.min(...s.years)}–${Math.max(...s.years)}` : '–',
			String(s.all.length),
			String(s.indicators.length),
			s.judged.length ? `${s.judged.filter(Boolean).length} / ${s.judged.length} (${s.latest})` : '–'
		]),
		['*', 60, 50, 60, 90]
	);

	for (const s of summaries) {
		w.doc.addPage();
		w.h2(title(s.p, lang));
		w.p(s.p.summary[lang]);
		w.h3(t.latest.replace('{year}', String(s.latest)));
		w.table(
			[t.indicator, t.baseline, t.target, t.actual],
			s.indicators.map((i) => {
				const period = (i.periods ?? []).find((x) => x.year === s.latest);
				return [
					i.title[lang],
					unit(i, i.baseline, lang),
					unit(i, period?.target, lang),
					unit(i, period?.actual, lang)
				];
			}),
			['*', 90, 90, 90]
		);
		const years = reports.filter((r) => r.partnership === s.p.slug).sort((a, b) => a.year - b.year);
		const keys = [...new Set(years.flatMap((r) => Object.keys(r.principles ?? {})))];
		if (keys.length) {
			w.h3(t.principles);
			w.table(
				[t.principle, ...years.map((r) => String(r.year))],
				keys.map((k) => [t.names[k] ?? k, ...years.map((r) => String(r.principles?.[k]?.score ?? '–'))]),
				['*', ...years.map(() => 60)]
			);
		}
		const last = years.at(-1);
		if (last) w.p(last.lessons[lang]);
	}
	w.finish(`${t.programmeTitle} · demo`, t.page);
}

for (const p of partnerships) partnershipReport(p);
programmeSummary('sv');
programmeSummary('en');
console.log(`Wrote ${partnerships.length + 2} documents to ${path.join(dir, 'documents')}.`);
