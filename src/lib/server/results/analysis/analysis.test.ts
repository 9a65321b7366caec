import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import type { Database, DatabaseHandle } from '../../kernel/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { anActor, anonymous, type TestActor } from '../../test/actors.ts';
import { anOrganization } from '../../test/factories/organizations.ts';
import { aPartnership } from '../../test/factories/partnerships.ts';
import { auditLog } from '../../kernel/schema.ts';
import { annualReport, reportPrinciple } from '../reports/schema.ts';
import { publishAnalysis, saveQuotes } from './commands.ts';
import { addDemoAnalysis } from './demo.ts';
import { analysisSnapshot, publishedVersion, versions } from './queries.ts';
import { draftView, publishedView, quoteFormView } from './views.ts';
import { analysisQuote, analysisVersion } from './schema.ts';
import { field, quoteKey } from './input.ts';

// The yearly analysis from a small known year (2031, which the demo does not touch): two approved
// reports and one submitted; editors choose quotes and publish; a published version stays as it
// was when the reports change afterwards.

const year = 2031;

async function aReport(
	db: Database,
	partnershipId: number,
	status: 'submitted' | 'approved',
	principles: Record<string, { score: number; sv: string; en: string }>
) {
	const [row] = await db
		.insert(annualReport)
		.values({ partnershipId, year, status })
		.returning({ id: annualReport.id });
	await db.insert(reportPrinciple).values(
		Object.entries(principles).map(([principle, p]) => ({
			reportId: row!.id,
			principle,
			score: p.score,
			text: { sv: p.sv, en: p.en }
		}))
	);
	return row!.id;
}

describe.each(testDatabases)('the yearly analysis on $name', (database) => {
	let h: DatabaseHandle;
	let editor: TestActor;
	let first: number;
	let second: number;
	let draftOnly: number;

	beforeAll(async () => {
		h = await database.open();
		const db = h.db;
		editor = await anActor(db, 'editor');
		const ale = await anOrganization(db, { country: 'SE', name: 'Ale kommun' });
		const ghanzi = await anOrganization(db, { country: 'BW', name: 'Ghanzi District' });
		const p1 = await aPartnership(db, { swedish: [ale.id], international: [ghanzi.id], startYear: 2030 });
		const p2 = await aPartnership(db, { startYear: 2030 });
		const p3 = await aPartnership(db, { startYear: 2030 });
		first = await aReport(db, p1.id, 'approved', {
			participation: {
				score: 4,
				sv: 'Medborgarråden växte. Nu deltar unga.',
				en: 'The citizen councils grew. Young people now take part.'
			},
			transparency: { score: 3, sv: 'Budgeten publicerades.', en: 'The budget was published.' }
		});
		second = await aReport(db, p2.id, 'approved', {
			participation: { score: 2, sv: 'Svårt att nå byarna.', en: 'Hard to reach the villages.' }
		});
		draftOnly = await aReport(db, p3.id, 'submitted', {
			participation: { score: 1, sv: 'Inte godkänd.', en: 'Not approved.' }
		});
	});
	afterAll(async () => {
		await h?.close();
	});

	const form = (entries: [string, string][]) => {
		const f = new FormData();
		for (const [k, v] of entries) f.append(k, v);
		return f;
	};

	it('offers editors only the approved reports’ texts, and refuses everyone else', async () => {
		const view = await quoteFormView(h.db, editor, 'en', year);
		const participation = view.principles.find((p) => p.key === 'participation')!;
		expect(participation.texts.map((t) => t.key).sort()).toEqual(
			[quoteKey(first, 'participation'), quoteKey(second, 'participation')].sort()
		);
		expect(participation.texts.find((t) => t.key === quoteKey(first, 'participation'))!.partnership).toBe(
			'Ale kommun – Ghanzi District'
		);
		expect(JSON.stringify(view)).not.toContain('Not approved.');
		for (const role of ['author', 'reader'] as const) {
			const who = await anActor(h.db, role);
			await expect(quoteFormView(h.db, who, 'en', year)).rejects.toBeInstanceOf(ForbiddenError);
			await expect(saveQuotes(h.db, who, year, form([]))).rejects.toBeInstanceOf(ForbiddenError);
			await expect(publishAnalysis(h.db, who, year)).rejects.toBeInstanceOf(ForbiddenError);
		}
		await expect(publishAnalysis(h.db, anonymous, year)).rejects.toMatchObject({ signInRequired: true });
	});

	it('saves the chosen quotes with an excerpt, shows them in the draft, and audits the choice', async () => {
		const key = quoteKey(first, 'participation');
		const saved = await saveQuotes(
			h.db,
			editor,
			year,
			form([
				[field.chosen, key],
				[field.chosen, quoteKey(first, 'transparency')],
				[field.excerpt(key, 'sv'), 'Medborgarråden växte.'],
				// An excerpt of a text not ticked is not a quote.
				[field.excerpt(quoteKey(second, 'participation'), 'en'), 'Hard to reach']
			])
		);
		expect(saved).toBe(2);
		const sv = (await draftView(h.db, editor, 'sv', year)).page;
		const en = (await draftView(h.db, editor, 'en', year)).page;
		const svQuotes = sv.principles.find((p) => p.key === 'participation')!.quotes;
		expect(svQuotes).toEqual([
			expect.objectContaining({
				partnership: 'Ale kommun – Ghanzi District',
				text: 'Medborgarråden växte.',
				score: 4
			})
		]);
		// No English excerpt: the whole English text is quoted.
		expect(en.principles.find((p) => p.key === 'participation')!.quotes[0]!.text).toBe(
			'The citizen councils grew. Young people now take part.'
		);
		expect(en.principles.find((p) => p.key === 'transparency')!.quotes[0]!.text).toBe(
			'The budget was published.'
		);
		const participation = en.principles.find((p) => p.key === 'participation')!;
		expect(participation).toMatchObject({ counts: [0, 1, 0, 1, 0], total: 2, mean: 3 });
		expect(en.partnerships.approvedReports).toBe(2);

		const [row] = await h.db
			.select({ after: auditLog.after })
			.from(auditLog)
			.where(and(eq(auditLog.action, 'results.analysis-quotes-saved'), eq(auditLog.actorId, editor.id)));
		expect(row?.after).toEqual({ quotes: [key, quoteKey(first, 'transparency')] });
	});

	it('refuses a text that is not an approved report’s', async () => {
		const error = await saveQuotes(
			h.db,
			editor,
			year,
			form([[field.chosen, quoteKey(draftOnly, 'participation')]])
		).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ValidationError);
		expect((error as ValidationError).problems).toEqual([{ field: 'chosen', code: 'unknownQuote' }]);
		// The earlier choice stands.
		expect(await h.db.select().from(analysisQuote).where(eq(analysisQuote.year, year))).toHaveLength(2);
	});

	it('publishes numbered versions that stay as they were when the data change', async () => {
		await expect(publishedView(h.db, anonymous, 'en', year)).rejects.toBeInstanceOf(NotFoundError);
		expect(await publishAnalysis(h.db, editor, year)).toBe(1);
		const v1 = await publishedVersion(h.db, year, 1);
		const frozen = structuredClone(v1!.snapshot);

		// After publishing: a text is rewritten, a score changed, a report reopened, the quotes changed.
		await h.db
			.update(reportPrinciple)
			.set({ text: { sv: 'Omskrivet.', en: 'Rewritten.' }, score: 1 })
			.where(and(eq(reportPrinciple.reportId, first), eq(reportPrinciple.principle, 'transparency')));
		await h.db.update(annualReport).set({ status: 'returned' }).where(eq(annualReport.id, second));
		await saveQuotes(h.db, editor, year, form([[field.chosen, quoteKey(first, 'transparency')]]));

		const again = await publishedView(h.db, anonymous, 'en', year, 1);
		expect((await publishedVersion(h.db, year, 1))!.snapshot).toEqual(frozen);
		expect(again.page.principles.find((p) => p.key === 'transparency')!.quotes[0]!.text).toBe(
			'The budget was published.'
		);
		expect(again.page.partnerships.approvedReports).toBe(2);
		// The live draft has moved on.
		const draft = await analysisSnapshot(h.db, year);
		expect(draft.partnerships.approvedReports).toBe(1);
		expect(draft.principles.find((p) => p.key === 'transparency')!.quotes[0]!.text).toEqual({
			sv: 'Omskrivet.',
			en: 'Rewritten.'
		});

		expect(await publishAnalysis(h.db, editor, year)).toBe(2);
		expect((await versions(h.db, year)).map((v) => v.version)).toEqual([2, 1]);
		const latest = await publishedView(h.db, anonymous, 'sv', year);
		expect(latest.version).toBe(2);
		expect(latest.page.principles.find((p) => p.key === 'participation')!.quotes).toEqual([]);
		expect((await publishedView(h.db, anonymous, 'sv', year, 1)).version).toBe(1);
		await expect(publishedView(h.db, anonymous, 'sv', year, 3)).rejects.toBeInstanceOf(NotFoundError);
	});

	it('has nothing to publish for a year without approved reports', async () => {
		const error = await publishAnalysis(h.db, editor, 2032).catch((e: unknown) => e);
		expect((error as ValidationError).problems).toEqual([{ field: 'form', code: 'nothingToPublish' }]);
		expect(await versions(h.db, 2032)).toEqual([]);
	});

	it('publishes the demo analysis of the latest approved demo year once, with a quote per principle', async () => {
		// The demo's latest approved year, before this file's 2031 reports: take those away first,
		// and any analysis the demo already published when the test database was made.
		await h.db.delete(annualReport).where(eq(annualReport.year, year));
		await h.db.delete(analysisVersion);
		await h.db.delete(analysisQuote);
		const demoYear = await addDemoAnalysis(h.db);
		expect(demoYear).toBe(2024);
		const page = (await publishedView(h.db, anonymous, 'en', 2024)).page;
		expect(page.principles.every((p) => p.quotes.length === 1)).toBe(true);
		expect(page.partnerships.approvedReports).toBeGreaterThan(0);
		expect(await addDemoAnalysis(h.db)).toBeNull();
		expect((await versions(h.db, 2024)).map((v) => v.version)).toEqual([1]);
	});
});
