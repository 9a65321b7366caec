import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { dialogueSpace, mapReport, mapReportEvent } from '../schema.ts';
import { addDemoReports, demoReportCount, demoReportSpaceSlug } from './demo.ts';
import { gridCentre } from './place.ts';
import { publicReportCells, publicReports, reportFigures, reportSpace } from './queries.ts';
import { reportMap } from './map.ts';

describe.each(testDatabases)('the reports demo on $name', (database) => {
	let h: DatabaseHandle;

	beforeAll(async () => {
		// The prepared database has the demo loaded (test/global-setup.ts), as a start would.
		h = await database.open();
	});
	afterAll(async () => {
		await h?.close();
	});

	it('has Yogyakarta’s reporting space, reviewed, with reports across the city and their answers', async () => {
		const space = await reportSpace(h.db, demoReportSpaceSlug, 'en');
		expect(space).toMatchObject({ review: true, privacy: 'grid', gridMeters: 250 });
		expect(space.categories.map((c) => c.key)).toEqual([
			'standing-water',
			'mosquito-breeding',
			'waste',
			'blocked-drain'
		]);
		expect(space.districts).toHaveLength(14);
		const rows = await h.db
			.select()
			.from(mapReport)
			.where(eq(mapReport.spaceId, space.id))
			.orderBy(asc(mapReport.id));
		expect(rows).toHaveLength(demoReportCount);
		const statuses = new Set(rows.map((r) => r.status));
		for (const s of ['new', 'verified', 'in-progress', 'resolved']) expect(statuses).toContain(s);
		expect(new Set(rows.map((r) => r.district)).size).toBeGreaterThanOrEqual(10);
		for (const r of rows) {
			// Public points are grid centres, never the exact point; a report waiting for review is not public.
			expect({ lat: r.publicLat, lon: r.publicLon }).toEqual(gridCentre(r.lat!, r.lon!, 250));
			expect(r.public).toBe(r.status !== 'new' && r.status !== 'rejected');
			expect(r.createdAt.getTime()).toBeLessThan(Date.now());
			if (r.firstAnsweredAt) expect(r.firstAnsweredAt.getTime()).toBeGreaterThan(r.createdAt.getTime());
		}
		// Each report's history runs from "new" to its status, the last step's note on the report.
		const steps = await h.db
			.select({ reportId: mapReportEvent.reportId, status: mapReportEvent.status, note: mapReportEvent.note })
			.from(mapReportEvent)
			.innerJoin(mapReport, eq(mapReport.id, mapReportEvent.reportId))
			.where(eq(mapReport.spaceId, space.id))
			.orderBy(asc(mapReportEvent.at), asc(mapReportEvent.id));
		for (const r of rows) {
			const own = steps.filter((s) => s.reportId === r.id);
			expect(own[0]!.status).toBe('new');
			expect(own.at(-1)!.status).toBe(r.status);
			expect(own.at(-1)!.note ?? null).toBe(r.note);
		}
		const figures = await reportFigures(h.db, space.id);
		expect(figures.total).toBe(rows.filter((r) => r.public).length);
		expect(figures.answered).toBe(figures.total);
		expect(figures.medianHoursToAnswer).toBeGreaterThan(24);
	});

	it('draws the public reports on the map with the same count as the table', async () => {
		const space = await reportSpace(h.db, demoReportSpaceSlug, 'en');
		const cells = await publicReportCells(h.db, space, {});
		const map = reportMap(space, cells, {}, 'en');
		expect(map.points).toBe((await publicReports(h.db, space, {})).total);
		const marks = [...map.svg.matchAll(/aria-label="(\d+) reports?:/g)].map((m) => Number(m[1]));
		expect(marks.reduce((a, b) => a + b, 0)).toBe(map.points);
		expect(map.svg).toContain('Kotagede');
	});

	it('adds nothing when the space is there already', async () => {
		expect(await addDemoReports(h.db)).toBe(false);
		const [space] = await h.db
			.select({ id: dialogueSpace.id })
			.from(dialogueSpace)
			.where(eq(dialogueSpace.slug, demoReportSpaceSlug));
		expect(space).toBeDefined();
	});
});
