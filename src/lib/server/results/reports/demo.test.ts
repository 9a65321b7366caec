import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq, inArray } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { ForbiddenError } from '../../kernel/errors.ts';
import { auditLog } from '../../kernel/schema.ts';
import { partnership } from '../../partnerships/schema.ts';
import { frameworkOf, type Result } from '../queries.ts';
import { addDemoReports } from './demo.ts';
import { missingForSubmission } from './commands.ts';
import { principleKeys, reportFor, reportWithFigures, type Report } from './queries.ts';
import { reportPageView } from './views.ts';
import { annualReport, reportApproval, reportEvent, reportPrinciple } from './schema.ts';

const slugs = ['vasterbotten-yogyakarta', 'kalmar-cape-winelands', 'horby-peja', 'ale-ghanzi'];

const all = (results: Result[]): Result[] => results.flatMap((r) => [r, ...all(r.children)]);

describe.each(testDatabases)('the demo yearly reports on $name', (database) => {
	let h: DatabaseHandle;
	let ids: Map<string, number>;
	/** Each demo partnership's reports, oldest year first. */
	let reports: Map<string, Report[]>;

	const load = async () => {
		reports = new Map();
		for (const [slug, id] of ids) {
			const years = (
				await h.db
					.select({ year: annualReport.year })
					.from(annualReport)
					.where(eq(annualReport.partnershipId, id))
			).map((r) => r.year);
			const found = await Promise.all(years.sort((a, b) => a - b).map((y) => reportFor(h.db, id, y)));
			reports.set(
				slug,
				found.map((r) => r!)
			);
		}
	};
	const latest = () => [...reports].map(([slug, r]) => ({ slug, report: r.at(-1)! }));

	beforeAll(async () => {
		h = await database.open();
		// Until the results module's demo step calls it, the prepared database lacks the reports.
		await addDemoReports(h.db);
		const rows = await h.db
			.select({ id: partnership.id, slug: partnership.slug })
			.from(partnership)
			.where(inArray(partnership.slug, slugs));
		ids = new Map(rows.map((r) => [r.slug, r.id]));
		await load();
	});
	afterAll(async () => {
		await h?.close();
	});

	it('gives each demo partnership a report for each year of its framework, the first two approved', async () => {
		expect([...reports.keys()].sort()).toEqual([...slugs].sort());
		for (const [slug, list] of reports) {
			const f = await frameworkOf(h.db, ids.get(slug)!);
			const years = new Set(
				all(f.results).flatMap((r) =>
					r.indicators.flatMap((i) => i.periods.map((p) => Number(p.end.slice(0, 4))))
				)
			);
			expect(
				list.map((r) => r.year),
				slug
			).toEqual([...years].sort());
			expect(
				list.slice(0, 2).map((r) => r.status),
				slug
			).toEqual(['approved', 'approved']);
		}
	});

	it('shows every state in the latest year: approved, awaiting the partner, returned and a draft', () => {
		const state = Object.fromEntries(latest().map(({ slug, report }) => [report.status, { slug, report }]));
		expect(Object.keys(state).sort()).toEqual(['approved', 'draft', 'returned', 'submitted']);
		// Sent, and approved by the Swedish side only: the partner side is next.
		expect(state.submitted!.report.approvals.map((a) => a.side)).toEqual(['swedish']);
		expect(state.submitted!.report.submittedAt).not.toBeNull();
		expect(state.draft!.report.submittedAt).toBeNull();
		expect(state.draft!.report.history.map((e) => e.action)).toEqual(['created']);
	});

	it('has all three sides approve every approved report, days after it was sent early the next year', () => {
		const approved = [...reports.values()].flat().filter((r) => r.status === 'approved');
		expect(approved).toHaveLength(9);
		for (const r of approved) {
			expect(r.approvals.map((a) => a.side).sort(), `${r.year}`).toEqual([
				'international',
				'programme',
				'swedish'
			]);
			// Nobody real approved a demo report: the page names no one.
			expect(r.approvals.every((a) => a.by === null)).toBe(true);
			const sent = r.submittedAt!;
			expect([sent.getUTCFullYear(), sent.getUTCMonth() + 1 >= 2 && sent.getUTCMonth() + 1 <= 3]).toEqual([
				r.year + 1,
				true
			]);
			const programme = r.approvals.find((a) => a.side === 'programme')!;
			expect(r.approvedAt).toEqual(programme.at);
			expect(programme.at.getTime()).toBeGreaterThan(sent.getTime());
			expect(programme.at.getTime() - sent.getTime()).toBeLessThan(45 * 86_400_000);
			expect(r.history.at(-1)).toMatchObject({ action: 'approved', side: 'programme', by: null });
		}
	});

	it('keeps the staff comment in the history of the returned report, its approvals cleared', () => {
		const returned = latest().find(({ report }) => report.status === 'returned')!.report;
		expect(returned.approvals).toEqual([]);
		const last = returned.history.at(-1)!;
		expect(last).toMatchObject({ action: 'returned', side: null, by: null });
		expect(last.comment).toMatch(/^Thank you for the report\. Before we approve it/);
		expect(returned.history.map((e) => e.action)).toEqual([
			'created',
			'submitted',
			'approved',
			'approved',
			'returned'
		]);
		// One past report was returned once too and approved after its correction.
		const corrected = [...reports.values()]
			.flat()
			.filter((r) => r.status === 'approved' && r.history.some((e) => e.action === 'returned'));
		expect(corrected).toHaveLength(1);
		expect(corrected[0]!.history.find((e) => e.action === 'returned')!.comment).toBeTruthy();
	});

	it('writes every text in Swedish and English, says it is a demo, and scores each principle 1–5', async () => {
		const principles = await principleKeys(h.db);
		expect(principles).toHaveLength(4);
		for (const r of [...reports.values()].flat()) {
			for (const text of [r.lessons, r.plans])
				expect([!!text.sv, !!text.en], `${r.year}`).toEqual([true, true]);
			expect(r.lessons.en).toMatch(/^This is a fictional demo report/);
			expect(r.lessons.sv).toMatch(/^Detta är en påhittad demorapport/);
			expect(r.principles.map((p) => p.principle).sort()).toEqual([...principles].sort());
			for (const p of r.principles) {
				expect([!!p.text.sv, !!p.text.en, !!p.reasoning.sv, !!p.reasoning.en]).toEqual([
					true,
					true,
					true,
					true
				]);
				expect(Number.isInteger(p.score) && p.score! >= 1 && p.score! <= 5).toBe(true);
			}
		}
		// The self-assessments vary: a dashboard of them shows a spread, not one bar.
		const scores = new Set([...reports.values()].flat().flatMap((r) => r.principles.map((p) => p.score)));
		expect(scores.size).toBeGreaterThanOrEqual(3);
	});

	it('lacks nothing a submission needs in every sent report, with the framework’s own actual values', async () => {
		for (const [slug, list] of reports) {
			for (const r of list) {
				const loaded = await reportWithFigures(h.db, ids.get(slug)!, r.year);
				expect(loaded.periods.length, `${slug} ${r.year}`).toBeGreaterThan(0);
				expect(missingForSubmission(r, loaded.principles, loaded.periods), `${slug} ${r.year}`).toEqual([]);
			}
		}
	});

	it('shows an approved report to anyone, with its history, and keeps a draft to the partnership', async () => {
		const approved = latest().find(({ report }) => report.status === 'approved')!;
		const page = await reportPageView(h.db, null, 'en', approved.slug, approved.report.year);
		expect(page.report!.status).toBe('approved');
		expect(page.report!.lessons).toMatch(/^This is a fictional demo report/);
		expect(page.principles.every((p) => p.score !== null && p.text !== '')).toBe(true);
		expect(page.report!.history.map((e) => e.by)).toEqual(page.report!.history.map(() => null));
		const sv = await reportPageView(h.db, null, 'sv', approved.slug, approved.report.year);
		expect(sv.report!.lessons).toMatch(/^Detta är en påhittad demorapport/);

		const draft = latest().find(({ report }) => report.status === 'draft')!;
		await expect(reportPageView(h.db, null, 'en', draft.slug, draft.report.year)).rejects.toBeInstanceOf(
			ForbiddenError
		);
	});

	it('adds nothing on a second run, and only the reports of a partnership that has none', async () => {
		const counts = async () =>
			Promise.all(
				[annualReport, reportPrinciple, reportApproval, reportEvent].map(
					async (t) => (await h.db.select({ n: count() }).from(t))[0]!.n
				)
			);
		const before = await counts();
		expect(await addDemoReports(h.db)).toBe(0);
		expect(await counts()).toEqual(before);

		const horby = ids.get('horby-peja')!;
		const strip = (list: Report[]) =>
			JSON.parse(JSON.stringify(list, (key, value) => (key === 'id' ? undefined : value)));
		const original = strip(reports.get('horby-peja')!);
		await h.db.delete(annualReport).where(eq(annualReport.partnershipId, horby));
		expect(await addDemoReports(h.db)).toBe(1);
		await load();
		expect(strip(reports.get('horby-peja')!)).toEqual(original);
		expect(await counts()).toEqual(before);
		const audit = await h.db.select().from(auditLog).where(eq(auditLog.action, 'results.demo-reports'));
		expect(audit.at(-1)!.after).toEqual({ slugs: ['horby-peja'] });
	});
});
