import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor, type TestActor } from '../../test/actors.ts';
import { aReportSpace } from '../../test/factories/dialogue.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { ForbiddenError, NotFoundError } from '../../kernel/errors.ts';
import { mailOutbox } from '../../kernel/schema.ts';
import { mapReport, mapReportCell, mapReportEvent } from '../schema.ts';
import { problems } from '../../test/problems.ts';
import { changeReportStatus, followReport, submitReport } from './commands.ts';
import { gridCentre, publicPoint } from './place.ts';
import { reportsPage } from './page.ts';
import {
	allPublicReports,
	followsReport,
	publicReportCells,
	publicReports,
	reportDetail,
	medianOf,
	reportFigures,
	reportSpace
} from './queries.ts';

// Reports on a map: where the public point comes from, one stored report per phone id however
// often it is sent, review before publishing, the team's statuses with their mailed notes, and
// that no public read carries the exact point.

describe('the public point', () => {
	it('is the same for every point of a grid square and differs between squares', () => {
		const a = gridCentre(-7.80101, 110.36471, 500);
		const b = gridCentre(-7.80102, 110.36472, 500);
		const far = gridCentre(-7.81, 110.38, 500);
		expect(a).toEqual(b);
		expect(far).not.toEqual(a);
		// The centre is within half a square of the point (500 m ≈ 0.0045° of latitude).
		expect(Math.abs(a.lat - -7.80101)).toBeLessThan(0.0023);
		expect(Math.abs(a.lon - 110.36471)).toBeLessThan(0.0023);
	});

	it('is the district centre where the space shows districts only, or only a district was given', () => {
		const districts = [{ name: 'Jetis', lat: -7.7785, lon: 110.3655 }];
		const setup = { privacy: 'district' as const, gridMeters: 500, districts };
		expect(publicPoint(setup, { lat: -7.78, lon: 110.37, district: 'Jetis', precision: 'exact' })).toEqual({
			lat: -7.7785,
			lon: 110.3655
		});
		expect(
			publicPoint(
				{ ...setup, privacy: 'grid' },
				{ lat: null, lon: null, district: 'Jetis', precision: 'district' }
			)
		).toEqual({ lat: -7.7785, lon: 110.3655 });
		expect(
			publicPoint(
				{ ...setup, privacy: 'grid' },
				{ lat: null, lon: null, district: null, precision: 'approximate' }
			)
		).toBeNull();
	});
});

describe.each(testDatabases)('reports on a map on $name', (database) => {
	let h: DatabaseHandle;
	let reporter: TestActor;
	let stranger: TestActor;
	let moderator: TestActor;
	let space: Awaited<ReturnType<typeof aReportSpace>>;
	const sv = { locale: 'sv' };
	const exact = { reportLat: '-7.80123', reportLon: '110.36789' };
	const form = (extra: Record<string, string> = {}) => ({
		reportCategory: 'standing-water',
		reportDescription: 'Vatten har stått i dikena längs gatan i över en vecka.',
		reportPrecision: 'exact',
		...exact,
		...extra
	});

	beforeAll(async () => {
		h = await database.open();
		reporter = await anActor(h.db, 'reader');
		stranger = await anActor(h.db, 'reader');
		moderator = await anActor(h.db, 'reader');
		space = await aReportSpace(h.db, { team: { [moderator.id]: 'moderator' } });
	});
	afterAll(async () => {
		await h?.close();
	});

	const rowOf = async (id: number) => (await h.db.select().from(mapReport).where(eq(mapReport.id, id)))[0]!;

	it('keeps a reviewed space’s report from the public until the team has looked, and the exact point apart', async () => {
		const { id, repeated } = await submitReport(h.db, reporter, space.slug, form(), sv);
		expect(repeated).toBe(false);
		const row = await rowOf(id);
		expect(row).toMatchObject({
			public: false,
			status: 'new',
			lat: -7.80123,
			lon: 110.36789,
			district: 'Kraton'
		});
		expect(row.publicLat).not.toBe(row.lat);
		expect({ lat: row.publicLat, lon: row.publicLon }).toEqual(gridCentre(-7.80123, 110.36789, 500));

		const rs = await reportSpace(h.db, space.slug, 'sv');
		await expect(reportDetail(h.db, rs, id, stranger)).rejects.toBeInstanceOf(NotFoundError);
		await expect(reportDetail(h.db, rs, id, null)).rejects.toBeInstanceOf(NotFoundError);
		const own = await reportDetail(h.db, rs, id, reporter);
		expect(own.report.exact).toBeNull();
		expect(own.report.own).toBe(true);
		const team = await reportDetail(h.db, rs, id, moderator);
		expect(team.team).toBe(true);
		expect(team.report.exact).toEqual({ lat: -7.80123, lon: 110.36789 });
		expect((await publicReports(h.db, rs, {})).reports.map((r) => r.id)).not.toContain(id);
	});

	it('stores a report sent again with the same phone id once, also when the sendings race', async () => {
		const clientId = randomUUID();
		const results = await Promise.all(
			Array.from({ length: 5 }, () => submitReport(h.db, reporter, space.slug, form({ clientId }), sv))
		);
		const rows = await h.db
			.select({ id: mapReport.id })
			.from(mapReport)
			.where(eq(mapReport.clientId, clientId));
		expect(rows).toHaveLength(1);
		expect(new Set(results.map((r) => r.id))).toEqual(new Set([rows[0]!.id]));
		expect(results.filter((r) => !r.repeated).length).toBeLessThanOrEqual(1);
		const again = await submitReport(h.db, reporter, space.slug, form({ clientId }), sv);
		expect(again).toEqual({ id: rows[0]!.id, repeated: true });
		// Someone else's sending with that id is not told about another person's report.
		expect(await problems(submitReport(h.db, stranger, space.slug, form({ clientId }), sv))).toEqual([
			'form:invalid'
		]);
	});

	it('answers bad places, categories and halves with a message per field, and stores nothing', async () => {
		const before = (await h.db.select({ id: mapReport.id }).from(mapReport)).length;
		expect(
			await problems(
				submitReport(
					h.db,
					reporter,
					space.slug,
					{ reportCategory: 'volcano', reportDescription: 'kort', reportPrecision: 'exact' },
					sv
				)
			)
		).toEqual(['reportDescription:reportDescriptionTooShort', 'reportPlace:reportPlaceMissing']);
		expect(
			await problems(submitReport(h.db, reporter, space.slug, form({ reportCategory: 'volcano' }), sv))
		).toEqual(['reportCategory:reportCategoryMissing']);
		expect(
			await problems(
				submitReport(h.db, reporter, space.slug, form({ reportLat: '59.33', reportLon: '18.06' }), sv)
			)
		).toEqual(['reportLat:reportPointOutside']);
		expect(await problems(submitReport(h.db, reporter, space.slug, form({ reportLon: '' }), sv))).toEqual([
			'reportLon:reportPointHalf'
		]);
		expect(
			await problems(
				submitReport(
					h.db,
					reporter,
					space.slug,
					{
						...form(),
						reportLat: '',
						reportLon: '',
						reportDistrict: 'Atlantis',
						reportPrecision: 'district'
					},
					sv
				)
			)
		).toEqual(['reportDistrict:reportDistrictUnknown']);
		expect((await h.db.select({ id: mapReport.id }).from(mapReport)).length).toBe(before);
	});

	it('takes a district alone and shows its centre; refuses when no phase opens reports', async () => {
		const { id } = await submitReport(
			h.db,
			reporter,
			space.slug,
			{
				reportCategory: 'waste',
				reportDescription: 'Sopor dumpas vid marknaden varje kväll.',
				reportDistrict: 'umbulharjo',
				reportPrecision: 'district'
			},
			sv
		);
		expect(await rowOf(id)).toMatchObject({
			lat: null,
			district: 'Umbulharjo',
			publicLat: -7.8155,
			publicLon: 110.3855
		});
		const closed = await aReportSpace(h.db, { opens: ['comments'] });
		expect(await problems(submitReport(h.db, reporter, closed.slug, form(), sv))).toEqual([
			'form:reportsNotOpen'
		]);
		await expect(submitReport(h.db, null, space.slug, form(), sv)).rejects.toBeInstanceOf(ForbiddenError);
	});

	it('lets only the team change a status, each step public with its note and mailed to the reporter', async () => {
		const { id } = await submitReport(h.db, reporter, space.slug, form(), sv);
		const step = (who: TestActor, status: string, note = 'Hälsocentralen besöker platsen på torsdag.') =>
			changeReportStatus(h.db, who, space.slug, id, { reportStatus: status, reportNote: note }, 'sv');
		await expect(step(stranger, 'verified')).rejects.toBeInstanceOf(ForbiddenError);
		await expect(step(reporter, 'verified')).rejects.toBeInstanceOf(ForbiddenError);
		expect(await problems(step(moderator, 'verified', ''))).toEqual(['reportNote:reportNoteMissing']);

		expect(await step(moderator, 'verified')).toBe('verified');
		const row = await rowOf(id);
		expect(row).toMatchObject({
			public: true,
			status: 'verified',
			note: 'Hälsocentralen besöker platsen på torsdag.'
		});
		expect(row.firstAnsweredAt).not.toBeNull();
		const mails = await h.db.select().from(mailOutbox).where(eq(mailOutbox.recipient, reporter.email));
		const mail = mails.find((m) => m.subject.includes(`${id}`));
		expect(mail?.subject).toBe(`Din rapport ${id}: Bekräftad`);
		expect(mail?.text).toContain('Hälsocentralen besöker platsen på torsdag.');
		expect(mail?.text).toContain(`/dialogue/${space.slug}/reports/${id}`);

		expect(await problems(step(moderator, 'new'))).toEqual(['reportStatus:reportStepNotAllowed']);
		await step(moderator, 'resolved', 'Diket är tömt och rensat.');
		expect((await rowOf(id)).resolvedAt).not.toBeNull();
		const history = await h.db
			.select({ status: mapReportEvent.status, note: mapReportEvent.note })
			.from(mapReportEvent)
			.where(eq(mapReportEvent.reportId, id))
			.orderBy(mapReportEvent.id);
		expect(history.map((e) => e.status)).toEqual(['new', 'verified', 'resolved']);

		const rs = await reportSpace(h.db, space.slug, 'sv');
		const seen = await reportDetail(h.db, rs, id, stranger);
		expect(seen.report.exact).toBeNull();
		expect(seen.report.placeText).toBeNull();
		expect(seen.report.history.map((e) => e.note)).toContain('Diket är tömt och rensat.');
	});

	it('keeps a report refused in review from the public', async () => {
		const { id } = await submitReport(h.db, reporter, space.slug, form(), sv);
		await changeReportStatus(
			h.db,
			moderator,
			space.slug,
			id,
			{ reportStatus: 'rejected', reportNote: 'Dubblett av en tidigare rapport.' },
			'sv'
		);
		expect(await rowOf(id)).toMatchObject({ public: false, status: 'rejected' });
	});

	it('mails followers each new status in the language they followed in, until they stop following', async () => {
		const { id } = await submitReport(h.db, reporter, space.slug, form(), sv);
		const step = (status: string, note: string) =>
			changeReportStatus(h.db, moderator, space.slug, id, { reportStatus: status, reportNote: note }, 'sv');
		// Waiting for review, it is not for others to follow.
		await expect(followReport(h.db, stranger, space.slug, id, true, 'en')).rejects.toBeInstanceOf(
			NotFoundError
		);
		await expect(followReport(h.db, null, space.slug, id, true, 'en')).rejects.toBeInstanceOf(ForbiddenError);
		await step('verified', 'Vi har sett det.');
		await followReport(h.db, stranger, space.slug, id, true, 'en');
		await followReport(h.db, reporter, space.slug, id, true, 'sv');
		expect(await followsReport(h.db, stranger, id)).toBe(true);
		await step('in-progress', 'Puskesmas kommer på torsdag.');
		const to = async (email: string) =>
			(await h.db.select().from(mailOutbox).where(eq(mailOutbox.recipient, email))).filter((m) =>
				m.subject.includes(String(id))
			);
		const followerMails = await to(stranger.email);
		expect(followerMails.map((m) => m.subject)).toEqual([`Report ${id} that you follow: In progress`]);
		expect(followerMails[0]!.text).toContain('Puskesmas kommer på torsdag.');
		// The reporter, following their own report, gets one mail a step, not two.
		expect((await to(reporter.email)).map((m) => m.subject)).toEqual([
			`Din rapport ${id}: Bekräftad`,
			`Din rapport ${id}: Åtgärdas`
		]);
		await followReport(h.db, stranger, space.slug, id, false, 'en');
		await step('resolved', 'Klart.');
		expect(await to(stranger.email)).toHaveLength(1);
	});

	it('shows the public only public reports at their public points, filtered, and counts answers', async () => {
		const open = await aReportSpace(h.db, { review: false });
		const a = await submitReport(h.db, reporter, open.slug, form(), sv);
		const b = await submitReport(
			h.db,
			reporter,
			open.slug,
			form({ reportLat: '-7.79', reportLon: '110.40', reportCategory: 'waste' }),
			sv
		);
		const rs = await reportSpace(h.db, open.slug, 'sv');
		const cells = await publicReportCells(h.db, rs, {});
		expect(cells.reduce((n, c) => n + c.count, 0)).toBe(2);
		for (const c of cells) expect([-7.80123, -7.79]).not.toContain(c.lat);
		expect((await publicReportCells(h.db, rs, { category: 'waste' })).map((c) => c.categoryId)).toEqual([
			open.categories.waste
		]);
		const list = await publicReports(h.db, rs, {});
		expect(list.reports.map((r) => r.id)).toEqual([b.id, a.id]);
		expect(JSON.stringify(list)).not.toContain('110.36789');
		const downloads: number[] = [];
		for await (const batch of allPublicReports(h.db, rs, {}, 1)) downloads.push(...batch.map((r) => r.id));
		expect(downloads).toEqual([a.id, b.id]);
		const boxed = await publicReports(h.db, rs, { box: [110.39, -7.8, 110.41, -7.78] });
		expect(boxed.reports.map((r) => r.id)).toEqual([b.id]);

		expect(await reportFigures(h.db, open.id)).toEqual({
			total: 2,
			answered: 0,
			resolved: 0,
			medianHoursToAnswer: null
		});
		await changeReportStatus(
			h.db,
			moderator,
			open.slug,
			a.id,
			{ reportStatus: 'in-progress', reportNote: 'På gång.' },
			'sv'
		).catch((e) => e);
		// The moderator is not on this space's team: nothing changed.
		expect((await reportFigures(h.db, open.id)).answered).toBe(0);
	});

	it('counts a report placed by words only in the list, not on the map', async () => {
		const open = await aReportSpace(h.db, { review: false });
		await submitReport(h.db, reporter, open.slug, form(), sv);
		await submitReport(
			h.db,
			reporter,
			open.slug,
			{ ...form(), reportLat: '', reportLon: '', reportPlace: 'Bakom moskén vid marknaden' },
			sv
		);
		const page = await reportsPage(h.db, open.slug, {}, null, 'sv');
		expect(page.list.total).toBe(2);
		expect(page.list.reports).toHaveLength(2);
		expect(page.map.points).toBe(1);
		expect(page.figures.total).toBe(2);
	});

	it('keeps the counts the map and the figures read equal to the reports, whichever way they change', async () => {
		// Every space of this file: submitted, reviewed, rejected before and after being public, resolved.
		const kept = async () =>
			(
				await h.db
					.select()
					.from(mapReportCell)
					.where(gt(mapReportCell.reports, 0))
					.orderBy(
						mapReportCell.spaceId,
						mapReportCell.categoryId,
						mapReportCell.status,
						mapReportCell.publicLat
					)
			).map(({ spaceId, categoryId, status, publicLat, publicLon, reports, answered, resolved }) => ({
				spaceId,
				categoryId,
				status,
				publicLat,
				publicLon,
				reports,
				answered,
				resolved
			}));
		const worked = async () => {
			const rows = await h.db.select().from(mapReport).where(eq(mapReport.public, true));
			const cells = new Map<string, Awaited<ReturnType<typeof kept>>[number]>();
			for (const r of rows) {
				const key = [r.spaceId, r.categoryId, r.status, r.publicLat, r.publicLon].join('|');
				const c = cells.get(key) ?? {
					spaceId: r.spaceId,
					categoryId: r.categoryId,
					status: r.status,
					publicLat: r.publicLat,
					publicLon: r.publicLon,
					reports: 0,
					answered: 0,
					resolved: 0
				};
				c.reports++;
				if (r.firstAnsweredAt) c.answered++;
				if (r.resolvedAt) c.resolved++;
				cells.set(key, c);
			}
			return [...cells.values()];
		};
		const sorted = (cells: Awaited<ReturnType<typeof kept>>) =>
			[...cells].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
		const { id } = await submitReport(h.db, reporter, space.slug, form(), sv);
		const step = (status: string) =>
			changeReportStatus(
				h.db,
				moderator,
				space.slug,
				id,
				{ reportStatus: status, reportNote: 'Ett steg.' },
				'sv'
			);
		for (const status of ['verified', 'rejected', 'verified', 'in-progress', 'resolved', 'in-progress']) {
			await step(status);
			expect(sorted(await kept())).toEqual(sorted(await worked()));
		}
		// The median from the kept histogram is the median of the public reports' whole hours.
		const answered = await h.db
			.select({ createdAt: mapReport.createdAt, firstAnsweredAt: mapReport.firstAnsweredAt })
			.from(mapReport)
			.where(and(eq(mapReport.spaceId, space.id), eq(mapReport.public, true)));
		const hours = answered
			.filter((r) => r.firstAnsweredAt)
			.map((r) => Math.floor((r.firstAnsweredAt!.getTime() - r.createdAt.getTime()) / 3_600_000))
			.sort((a, b) => a - b);
		const mid = hours.length / 2;
		const median = hours.length % 2 ? hours[Math.floor(mid)] : (hours[mid - 1]! + hours[mid]!) / 2;
		expect((await reportFigures(h.db, space.id)).medianHoursToAnswer).toBe(median);
		expect(medianOf([])).toBeNull();
		expect(
			medianOf([
				{ hours: 2, reports: 1 },
				{ hours: 10, reports: 2 }
			])
		).toBe(10);
		expect(
			medianOf([
				{ hours: 2, reports: 1 },
				{ hours: 10, reports: 1 }
			])
		).toBe(6);
	});
});
