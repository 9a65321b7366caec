import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { and, desc, eq } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { anActor, anonymous, everyRole, type TestActor } from '../test/actors.ts';
import { aPartnership, type TestPartnership } from '../test/factories/partnerships.ts';
import { aFramework, keptTotals, type TestFramework } from '../test/factories/results.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { auditLog } from '../kernel/schema.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { contentVersion } from '../kernel/content-version.ts';
import type { Role } from '#lib/roles.ts';
import { replaceFramework } from './commands.ts';
import { frameworkValues, type FrameworkValues } from './input.ts';
import { frameworkOf, type Result } from './queries.ts';
import { resultActivity } from './schema.ts';
import { annualReport } from './reports/schema.ts';
import { partnershipIatiXml, programmeIatiXml } from './iati/export.ts';
import { importIatiFramework } from './iati/import.ts';
import { aFrameworkValues } from './iati/arbitraries.ts';
import { xsdProblems } from './iati/xsd.ts';
import { readIati } from './iati/read.ts';
import { resultRuleProblems } from './iati/rules.ts';

const ruleProblems = (xml: string) => {
	const read = readIati(xml);
	return read.ok ? read.activities.flatMap(resultRuleProblems) : [read.code];
};

describe.each(testDatabases)(
	'a partnership’s framework, replaced and published as IATI, on $name',
	(database) => {
		let h: DatabaseHandle;
		let people: Record<Role, TestActor>;
		let coordinator: TestActor;
		let ours: TestPartnership;
		let theirs: TestPartnership;
		let plan: TestFramework;

		beforeAll(async () => {
			h = await database.open();
			people = await everyRole(h.db);
			coordinator = await anActor(h.db, 'reader');
			ours = await aPartnership(h.db, { coordinators: [coordinator.id], status: 'active' });
			theirs = await aPartnership(h.db);
			plan = await aFramework(h.db, ours.id);
		});
		afterAll(async () => {
			await h?.close();
		});

		const stored = async (p: TestPartnership) => frameworkValues(await frameworkOf(h.db, p.id));
		/** Every result's, indicator's and period's id, depth first. */
		const idsOf = async (p: TestPartnership) => {
			const walk = (rs: readonly Result[]): string[] =>
				rs.flatMap((r) => [
					`r${r.id}`,
					...r.indicators.flatMap((i) => [`i${i.id}`, ...i.periods.map((x) => `p${x.id}`)]),
					...walk(r.children)
				]);
			return walk((await frameworkOf(h.db, p.id)).results);
		};
		const linksOf = async (p: TestPartnership) =>
			(
				await h.db
					.select({ resultId: resultActivity.resultId })
					.from(resultActivity)
					.where(eq(resultActivity.partnershipId, p.id))
					.orderBy(resultActivity.id)
			).map((a) => a.resultId);

		it('publishes the framework as an IATI file valid against the 2.03 schema and the result rules', async () => {
			const xml = await partnershipIatiXml(h.db, ours.slug);
			expect(xsdProblems(xml)).toEqual([]);
			expect(ruleProblems(xml)).toEqual([]);
			expect(xml).toContain(`<iati-identifier>SE-ON-0000000000-${ours.slug}</iati-identifier>`);
			expect(xml).toContain('<dimension name="sex" value="female"/>');
			expect(xml).toContain('<pld:data-source xml:lang="sv">Närvarolistor</pld:data-source>');
			// The outcome hangs under the impact (result 1), the output under the outcome (result 2).
			expect(xml.match(/<result [^>]*>/g)).toEqual([
				'<result type="3" pld:principle="participation">',
				'<result type="2" pld:parent="1" pld:principle="transparency">',
				'<result type="1" pld:parent="2" pld:principle="accountability">'
			]);
			await expect(partnershipIatiXml(h.db, 'no-such-partnership')).rejects.toThrow(NotFoundError);
		});

		it('imports its own file back unchanged: the same framework, ids and links, the same file, audited and public', async () => {
			const before = await stored(ours);
			const ids = await idsOf(ours);
			const xml = await partnershipIatiXml(h.db, ours.slug);
			const version = contentVersion();
			const replaced = await importIatiFramework(h.db, coordinator, ours.slug, xml);
			expect(replaced).toEqual({
				results: 3,
				indicators: 3,
				kept: 3,
				added: 0,
				removed: 0,
				unlinkedActivities: 0,
				leftOut: []
			});
			expect(contentVersion()).not.toBe(version);
			expect(await stored(ours)).toEqual(before);
			expect(await idsOf(ours)).toEqual(ids);
			expect(await partnershipIatiXml(h.db, ours.slug)).toBe(xml);
			// The plan's activities keep the results they are linked to.
			expect(await linksOf(ours)).toEqual([plan.outcome, plan.impact]);
			const [row] = await h.db
				.select()
				.from(auditLog)
				.where(
					and(eq(auditLog.action, 'results.replaceFramework'), eq(auditLog.subject, `partnership:${ours.id}`))
				)
				.orderBy(desc(auditLog.id))
				.limit(1);
			expect(row?.actorId).toBe(coordinator.id);
			expect(row?.after).toMatchObject({ results: 3, indicators: 3, kept: 3, source: 'iati' });
		});

		it('refuses, from a file or a form, a change to the figures of a year whose report is sent, where it is', async () => {
			await h.db.insert(annualReport).values({ partnershipId: ours.id, year: 2024, status: 'submitted' });
			try {
				const before = await stored(ours);
				const xml = await partnershipIatiXml(h.db, ours.slug);
				// The outcome's rising count: its 2024 actual is 45, its 2025 target 60.
				const locked = xml.replace('<actual value="45"', '<actual value="46"');
				expect(locked).not.toBe(xml);
				const refused = await importIatiFramework(h.db, coordinator, ours.slug, locked).catch(
					(e: unknown) => e
				);
				expect(refused).toBeInstanceOf(ValidationError);
				expect((refused as ValidationError).problems).toEqual([
					{
						field: 'result[2]/indicator[1]/period[1]',
						code: 'lockedYear',
						params: { year: '2024', result: '1.1', indicator: '1' }
					}
				]);
				// Leaving out the output (its 2024 figures with it) is refused at the outcome above it.
				const values = structuredClone(before);
				values.results[0]!.children[0]!.children = [];
				const gone = await replaceFramework(h.db, people.editor, ours.slug, 'form', () => ({ values })).catch(
					(e: unknown) => e
				);
				expect((gone as ValidationError).problems).toEqual([
					{
						field: 'results.0.children.0',
						code: 'lockedYear',
						params: { year: '2024', result: '1.1.1', indicator: '1' }
					}
				]);
				expect(await stored(ours)).toEqual(before);
				// An open year may change.
				const open = xml.replace('<target value="60"', '<target value="61"');
				expect(open).not.toBe(xml);
				await importIatiFramework(h.db, coordinator, ours.slug, open);
				expect(
					(await stored(ours)).results[0]!.children[0]!.indicators[0]!.periods[1]!.targets[0]!.value
				).toBe('61');
				await importIatiFramework(h.db, coordinator, ours.slug, xml);
			} finally {
				await h.db.delete(annualReport).where(eq(annualReport.partnershipId, ours.id));
			}
		});

		it('matches by place: a reordered result is the result at that place changed, its links stay there', async () => {
			const other = await aPartnership(h.db);
			const values = await stored(ours);
			const outcome = values.results[0]!.children[0]!;
			const named = (en: string) => ({ ...outcome, title: { en }, children: [] });
			values.results[0]!.children = [named('A'), named('B')];
			await replaceFramework(h.db, people.editor, other.slug, 'form', () => ({ values }));
			const [a, b] = (await frameworkOf(h.db, other.id)).results[0]!.children;
			await h.db.insert(resultActivity).values({
				partnershipId: other.id,
				resultId: b!.id,
				title: { en: 'Serves B' },
				end: '2025-06-30'
			});
			values.results[0]!.children.reverse();
			const swapped = await replaceFramework(h.db, people.editor, other.slug, 'form', () => ({ values }));
			expect(swapped).toMatchObject({ kept: 3, added: 0, removed: 0, unlinkedActivities: 0 });
			// The activity still points at place 1.2, which now holds what was 1.1.
			const after = (await frameworkOf(h.db, other.id)).results[0]!.children;
			expect(after.map((r) => [r.id, r.title.en])).toEqual([
				[a!.id, 'B'],
				[b!.id, 'A']
			]);
			expect(await linksOf(other)).toEqual([b!.id]);
			values.results[0]!.children.pop();
			const removed = await replaceFramework(h.db, people.editor, other.slug, 'form', () => ({ values }));
			expect(removed).toMatchObject({ results: 2, kept: 2, added: 0, removed: 1, unlinkedActivities: 1 });
			expect(await linksOf(other)).toEqual([null]);
		});

		it('lets a coordinator replace their own framework and editors any; nobody else', async () => {
			const xml = await partnershipIatiXml(h.db, ours.slug);
			await expect(importIatiFramework(h.db, coordinator, theirs.slug, xml)).rejects.toThrow(ForbiddenError);
			await expect(importIatiFramework(h.db, people.author, ours.slug, xml)).rejects.toThrow(ForbiddenError);
			await expect(importIatiFramework(h.db, people.reader, ours.slug, xml)).rejects.toThrow(ForbiddenError);
			await expect(importIatiFramework(h.db, anonymous, ours.slug, xml)).rejects.toMatchObject({
				signInRequired: true
			});
			await expect(importIatiFramework(h.db, people.editor, 'no-such-partnership', xml)).rejects.toThrow(
				NotFoundError
			);
			await importIatiFramework(h.db, people.editor, theirs.slug, xml);
			expect((await stored(theirs)).results[0]!.title).toEqual({
				sv: 'Fler invånare påverkar besluten',
				en: 'More residents influence decisions'
			});
		});

		it('refuses a file it cannot save whole, naming each element, and keeps the framework as it was', async () => {
			const before = await stored(ours);
			const xml = (await partnershipIatiXml(h.db, ours.slug))
				.replace('measure="1"', 'measure="NDP"')
				.replace('pld:principle="transparency"', 'pld:principle="no-such-principle"')
				.replace('code="16.7" vocabulary-uri', 'code="16.99" vocabulary-uri');
			const refused = await importIatiFramework(h.db, coordinator, ours.slug, xml).catch((e: unknown) => e);
			expect(refused).toBeInstanceOf(ValidationError);
			expect((refused as ValidationError).problems).toEqual([
				{ field: 'result[2]/indicator[1]/@measure', code: 'unknownMeasure', params: { value: 'NDP' } }
			]);
			const fixed = xml.replace('measure="NDP"', 'measure="Unit"');
			const unknown = await importIatiFramework(h.db, coordinator, ours.slug, fixed).catch((e: unknown) => e);
			expect((unknown as ValidationError).problems).toEqual([
				{ field: 'result[1]/reference', code: 'unknownSdgTarget', params: { value: '16.99' } },
				{ field: 'result[2]/@principle', code: 'unknownPrinciple', params: { value: 'no-such-principle' } }
			]);
			expect(await stored(ours)).toEqual(before);
		});

		it('refuses values the standard would refuse when a framework is saved from a form', async () => {
			const values = structuredClone(await stored(ours)) as FrameworkValues & {
				results: { indicators: { measure: string }[] }[];
			};
			const rising = values.results[0]!.children[0]!.indicators[0]!;
			rising.periods[0]!.targets[0]!.value = 'about fifty';
			const refused = await replaceFramework(h.db, coordinator, ours.slug, 'form', () => ({ values })).catch(
				(e: unknown) => e
			);
			expect((refused as ValidationError).problems).toEqual([
				{ field: 'results.0.children.0.indicators.0.periods.0.targets.0.value', code: 'notNumeric' }
			]);
		});

		it('stores any framework so that its file reads back the same', async () => {
			await fc.assert(
				fc.asyncProperty(aFrameworkValues, async (values) => {
					await replaceFramework(h.db, people.editor, theirs.slug, 'form', () => ({ values }));
					expect(await stored(theirs)).toEqual(values);
					// The totals the dashboard reads kept up with the change, whatever it added, kept or removed.
					const totals = await keptTotals(h.db, theirs.id);
					expect(totals.kept).toEqual(totals.expected);
					const ids = await idsOf(theirs);
					const xml = await partnershipIatiXml(h.db, theirs.slug);
					expect(xsdProblems(xml)).toEqual([]);
					const again = await importIatiFramework(h.db, people.editor, theirs.slug, xml);
					expect(again).toMatchObject({ added: 0, removed: 0 });
					expect(await partnershipIatiXml(h.db, theirs.slug)).toBe(xml);
					// Nothing changed, so every result, indicator and period keeps its id.
					expect(await idsOf(theirs)).toEqual(ids);
				}),
				{ numRuns: 8 }
			);
		});

		it('publishes the programme: one activity for each partnership with a framework, valid', async () => {
			const none = await aPartnership(h.db);
			const xml = await programmeIatiXml(h.db);
			expect(xsdProblems(xml)).toEqual([]);
			expect(ruleProblems(xml)).toEqual([]);
			expect(xml).toContain(`-${ours.slug}</iati-identifier>`);
			expect(xml).toContain(`-${theirs.slug}</iati-identifier>`);
			expect(xml).not.toContain(`-${none.slug}</iati-identifier>`);
		});
	}
);
