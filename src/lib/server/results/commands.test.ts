import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { and, desc, eq } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { anActor, anonymous, everyRole, type TestActor } from '../test/actors.ts';
import { aPartnership, type TestPartnership } from '../test/factories/partnerships.ts';
import { aFramework } from '../test/factories/results.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { auditLog } from '../kernel/schema.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { contentVersion } from '../kernel/content-version.ts';
import type { Role } from '#lib/roles.ts';
import { replaceFramework } from './commands.ts';
import { frameworkValues, type FrameworkValues } from './input.ts';
import { frameworkOf } from './queries.ts';
import { resultActivity } from './schema.ts';
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

		beforeAll(async () => {
			h = await database.open();
			people = await everyRole(h.db);
			coordinator = await anActor(h.db, 'reader');
			ours = await aPartnership(h.db, { coordinators: [coordinator.id], status: 'active' });
			theirs = await aPartnership(h.db);
			await aFramework(h.db, ours.id);
		});
		afterAll(async () => {
			await h?.close();
		});

		const stored = async (p: TestPartnership) => frameworkValues(await frameworkOf(h.db, p.id));

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

		it('imports its own file back unchanged: the same framework, the same file, audited and public', async () => {
			const before = await stored(ours);
			const xml = await partnershipIatiXml(h.db, ours.slug);
			const version = contentVersion();
			const replaced = await importIatiFramework(h.db, coordinator, ours.slug, xml);
			expect(replaced).toEqual({ results: 3, indicators: 3, unlinkedActivities: 2, leftOut: [] });
			expect(contentVersion()).not.toBe(version);
			expect(await stored(ours)).toEqual(before);
			expect(await partnershipIatiXml(h.db, ours.slug)).toBe(xml);
			// The plan's activities stay, without the results they were linked to.
			const activities = await h.db
				.select()
				.from(resultActivity)
				.where(eq(resultActivity.partnershipId, ours.id));
			expect(activities.map((a) => a.resultId)).toEqual([null, null]);
			const [row] = await h.db
				.select()
				.from(auditLog)
				.where(
					and(eq(auditLog.action, 'results.replaceFramework'), eq(auditLog.subject, `partnership:${ours.id}`))
				)
				.orderBy(desc(auditLog.id))
				.limit(1);
			expect(row?.actorId).toBe(coordinator.id);
			expect(row?.after).toMatchObject({ results: 3, indicators: 3, source: 'iati' });
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
					const xml = await partnershipIatiXml(h.db, theirs.slug);
					expect(xsdProblems(xml)).toEqual([]);
					await importIatiFramework(h.db, people.editor, theirs.slug, xml);
					expect(await partnershipIatiXml(h.db, theirs.slug)).toBe(xml);
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
