import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor, type TestActor } from '../../test/actors.ts';
import { aReportSpace, aSpace } from '../../test/factories/dialogue.ts';
import { employ } from '../../test/factories/partner-search.ts';
import { problems } from '../../test/problems.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { ForbiddenError } from '../../kernel/errors.ts';
import { mapReportCategory, mapReportSetup } from '../schema.ts';
import { submitReport } from './commands.ts';
import { reportSetupForm, saveReportSetup } from './setup.ts';

// Setting up reports on a map: whoever runs the space chooses review, privacy, the area (a
// Swedish municipality's outline or a box), districts and categories; a category in use stays.

describe.each(testDatabases)('the reports set-up on $name', (database) => {
	let h: DatabaseHandle;
	let runner: TestActor;
	let stranger: TestActor;

	beforeAll(async () => {
		h = await database.open();
		runner = await anActor(h.db, 'reader');
		stranger = await anActor(h.db, 'reader');
	});
	afterAll(async () => {
		await h?.close();
	});

	const form = (extra: Record<string, unknown> = {}) => ({
		privacy: 'grid',
		gridMeters: '250',
		municipality: '1440',
		districts: 'Nödinge; 57,8906; 12,0697\nÄlvängen; 57.9580; 12.1206',
		categoryKey: ['', ''],
		categorySv: ['Trasig gatubelysning', ''],
		categoryEn: ['Broken street light', ''],
		categoryHelpSv: ['', ''],
		categoryHelpEn: ['', ''],
		...extra
	});

	it('keeps an SMS keyword in capitals, one space to a keyword, and refuses one that is not a word', async () => {
		const first = await aSpace(h.db, { opens: ['reports'] });
		const second = await aSpace(h.db, { opens: ['reports'] });
		const editor = await anActor(h.db, 'editor');
		const keyword = `ale${Date.now() % 100000}`;
		await saveReportSetup(h.db, editor, first.slug, form({ smsKeyword: keyword }));
		const [setup] = await h.db.select().from(mapReportSetup).where(eq(mapReportSetup.spaceId, first.id));
		expect(setup!.smsKeyword).toBe(keyword.toUpperCase());
		expect(
			await problems(saveReportSetup(h.db, editor, second.slug, form({ smsKeyword: keyword.toUpperCase() })))
		).toEqual(['smsKeyword:reportSetupSmsKeywordTaken']);
		expect(
			await problems(saveReportSetup(h.db, editor, second.slug, form({ smsKeyword: 'två ord' })))
		).toEqual(['smsKeyword:reportSetupSmsKeyword']);
	});

	it('lets whoever runs a space start taking reports, with the municipality’s box and new categories', async () => {
		const space = await aSpace(h.db, { opens: ['reports'] });
		await employ(h.db, runner, space.organizationId!);
		await expect(saveReportSetup(h.db, stranger, space.slug, form())).rejects.toBeInstanceOf(ForbiddenError);
		await saveReportSetup(h.db, runner, space.slug, form());
		const [setup] = await h.db.select().from(mapReportSetup).where(eq(mapReportSetup.spaceId, space.id));
		expect(setup).toMatchObject({
			review: false,
			privacy: 'grid',
			gridMeters: 250,
			municipalityCode: '1440'
		});
		// Ale lies around 57.9° N, 12.1° E: the box comes from its outline.
		const [w, s, e, n] = setup!.bbox;
		expect(w).toBeLessThan(12.1);
		expect(e).toBeGreaterThan(12.1);
		expect(s).toBeLessThan(57.95);
		expect(n).toBeGreaterThan(57.9);
		expect(setup!.districts).toEqual([
			{ name: 'Nödinge', lat: 57.8906, lon: 12.0697 },
			{ name: 'Älvängen', lat: 57.958, lon: 12.1206 }
		]);
		const categories = await h.db
			.select()
			.from(mapReportCategory)
			.where(eq(mapReportCategory.spaceId, space.id));
		expect(categories.map((c) => [c.key, c.title])).toEqual([
			['trasig-gatubelysning', { sv: 'Trasig gatubelysning', en: 'Broken street light' }]
		]);
		const again = await reportSetupForm(h.db, runner, space.slug, 'sv');
		expect(again.values.categories).toMatchObject([{ key: 'trasig-gatubelysning', used: 0 }]);
		expect(again.values.districts).toBe('Nödinge; 57.8906; 12.0697\nÄlvängen; 57.958; 12.1206');
	});

	it('renames a category in place, removes an unused one, and keeps one with reports', async () => {
		const space = await aReportSpace(h.db, { review: false });
		await employ(h.db, runner, space.organizationId!);
		const keys = ['standing-water', 'waste'];
		await submitReport(
			h.db,
			runner,
			space.slug,
			{
				reportCategory: 'waste',
				reportDescription: 'Sopor vid marknaden varje kväll.',
				reportDistrict: 'Jetis',
				reportPrecision: 'district'
			},
			{ locale: 'sv' }
		);
		// Removing the category with a report is refused and nothing changes.
		expect(
			await problems(
				saveReportSetup(
					h.db,
					runner,
					space.slug,
					form({
						municipality: undefined,
						west: '110.33',
						south: '-7.84',
						east: '110.42',
						north: '-7.76',
						categoryKey: keys,
						categorySv: ['Vatten', ''],
						categoryEn: ['Water', ''],
						categoryHelpSv: ['', ''],
						categoryHelpEn: ['', '']
					})
				)
			)
		).toEqual(['categorySv:reportSetupCategoryInUse']);
		await saveReportSetup(
			h.db,
			runner,
			space.slug,
			form({
				municipality: undefined,
				west: '110.33',
				south: '-7.84',
				east: '110.42',
				north: '-7.76',
				categoryKey: [...keys, ''],
				categorySv: ['', 'Avfall och sopor', 'Igensatt avlopp'],
				categoryEn: ['', 'Waste', ''],
				categoryHelpSv: ['', '', ''],
				categoryHelpEn: ['', '', '']
			})
		);
		const categories = await h.db
			.select({ key: mapReportCategory.key, title: mapReportCategory.title })
			.from(mapReportCategory)
			.where(eq(mapReportCategory.spaceId, space.id))
			.orderBy(asc(mapReportCategory.position));
		expect(categories).toEqual([
			{ key: 'waste', title: { sv: 'Avfall och sopor', en: 'Waste' } },
			{ key: 'igensatt-avlopp', title: { sv: 'Igensatt avlopp' } }
		]);
	});

	it('names each bad part of the form', async () => {
		const space = await aSpace(h.db);
		await employ(h.db, runner, space.organizationId!);
		expect(
			await problems(
				saveReportSetup(
					h.db,
					runner,
					space.slug,
					form({
						municipality: undefined,
						west: '12',
						east: '11',
						south: '57',
						north: '58',
						districts: 'Nödinge; norr; 12',
						categorySv: ['', ''],
						categoryEn: ['', '']
					})
				)
			)
		).toEqual([
			'west:reportSetupInvalidBox',
			'districts:reportSetupBadDistrict',
			'categorySv:reportSetupNoCategory'
		]);
		expect(
			await problems(saveReportSetup(h.db, runner, space.slug, form({ municipality: undefined })))
		).toEqual(['municipality:reportSetupNoArea']);
		expect(await problems(saveReportSetup(h.db, runner, space.slug, form({ municipality: '9999' })))).toEqual(
			['municipality:reportSetupUnknownMunicipality']
		);
		expect(await problems(saveReportSetup(h.db, runner, space.slug, form({ privacy: 'exact' })))).toEqual([
			'privacy:invalid'
		]);
	});
});
