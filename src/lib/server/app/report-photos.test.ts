import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import sharp from 'sharp';
import { count, eq } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { anActor, type TestActor } from '../test/actors.ts';
import { aMediaStore } from '../test/factories/media.ts';
import { aReportSpace } from '../test/factories/dialogue.ts';
import { problems } from '../test/problems.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { media } from '../media/schema.ts';
import { readAll, variantObjectKey, type MediaStore } from '../media/store.ts';
import { jpegWithGps, tinyPdf } from '../media/test-files.ts';
import { mapReport } from '../dialogue/schema.ts';
import { changeReportStatus } from '../dialogue/map-reports/commands.ts';
import { reportDetail, reportSpace } from '../dialogue/map-reports/queries.ts';
import { submitReportWithPhoto } from './report-photos.ts';
import { servedMedia } from './proposal-photos.ts';

// A report on a map with a photo: through the media pipeline (no GPS left in it), served only as
// the report allows, and a refused or repeated sending leaves no photo behind.

const sv = { locale: 'sv' };

describe.each(testDatabases)('a report with a photo on $name', (database) => {
	let h: DatabaseHandle;
	let store: MediaStore;
	let dir: string;
	let removeStore: () => void;
	let jpeg: Uint8Array;
	let reporter: TestActor;
	let stranger: TestActor;
	let moderator: TestActor;
	let space: Awaited<ReturnType<typeof aReportSpace>>;

	const files = () => readdirSync(dir, { recursive: true }).length;
	const mediaRows = async () => (await h.db.select({ n: count() }).from(media))[0]!.n;
	const form = (extra: Record<string, unknown> = {}) => ({
		reportCategory: 'waste',
		reportDescription: 'Sopor och plastburkar samlar regnvatten bakom busshållplatsen.',
		reportPrecision: 'approximate',
		reportDistrict: 'Jetis',
		reportPhoto: new File([jpeg as Uint8Array<ArrayBuffer>], 'sopor.jpg', { type: 'image/jpeg' }),
		reportPhotoAlt: 'Plastburkar och sopor i gräset bakom ett väderskydd',
		...extra
	});

	beforeAll(async () => {
		h = await database.open();
		({ store, dir, remove: removeStore } = aMediaStore());
		jpeg = new Uint8Array(await jpegWithGps(1200, 800));
		reporter = await anActor(h.db, 'reader');
		stranger = await anActor(h.db, 'reader');
		moderator = await anActor(h.db, 'reader');
		space = await aReportSpace(h.db, { team: { [moderator.id]: 'moderator' } });
	});
	afterAll(async () => {
		await h?.close();
		removeStore?.();
	});

	it('stores the photo without its GPS, served to the reporter and the team until the report is public', async () => {
		const { id } = await submitReportWithPhoto(h.db, store, reporter, space.slug, form(), sv);
		const [row] = await h.db.select().from(mapReport).where(eq(mapReport.id, id));
		const [item] = await h.db.select().from(media).where(eq(media.id, row!.mediaId!));
		expect(item).toMatchObject({
			origin: 'map-report',
			kind: 'image',
			alt: { sv: 'Plastburkar och sopor i gräset bakom ett väderskydd' }
		});
		const width = item!.variants![0]!;
		const stored = await readAll((await store.get(variantObjectKey(item!.storageKey, width)))!);
		expect((await sharp(stored).metadata()).exif).toBeUndefined();

		const served = (who: TestActor | null) =>
			servedMedia(h.db, item!.storageKey, `${width}.webp`, async () => who);
		expect(await served(null)).toBeNull();
		expect(await served(stranger)).toBeNull();
		expect((await served(reporter))?.cacheControl).toBe('private, no-store');
		expect((await served(moderator))?.cacheControl).toBe('private, no-store');
		const rs = await reportSpace(h.db, space.slug, 'sv');
		expect((await reportDetail(h.db, rs, id, reporter)).report.photo?.alt).toBe(
			'Plastburkar och sopor i gräset bakom ett väderskydd'
		);

		await changeReportStatus(
			h.db,
			moderator,
			space.slug,
			id,
			{ reportStatus: 'verified', reportNote: 'Sett av volontärerna.' },
			'sv'
		);
		expect((await served(null))?.cacheControl).toBe('public, no-cache');
	});

	it('leaves no photo behind when the report is refused, or was sent before', async () => {
		const before = { rows: await mediaRows(), files: files() };
		expect(
			await problems(
				submitReportWithPhoto(
					h.db,
					store,
					reporter,
					space.slug,
					form({ reportLat: '59.3', reportLon: '18.0' }),
					sv
				)
			)
		).toEqual(['reportLat:reportPointOutside']);
		expect(
			await problems(
				submitReportWithPhoto(
					h.db,
					store,
					reporter,
					space.slug,
					form({ reportPhoto: new File([new Uint8Array(tinyPdf())], 'x.jpg') }),
					sv
				)
			)
		).toEqual(['reportPhoto:proposalPhotoType']);
		expect(
			await problems(
				submitReportWithPhoto(h.db, store, reporter, space.slug, form({ reportPhotoAlt: undefined }), sv)
			)
		).toEqual(['reportPhotoAlt:proposalPhotoAltRequired']);
		expect({ rows: await mediaRows(), files: files() }).toEqual(before);

		const clientId = randomUUID();
		const first = await submitReportWithPhoto(h.db, store, reporter, space.slug, form({ clientId }), sv);
		const after = { rows: await mediaRows(), files: files() };
		const sendings = await Promise.all(
			[1, 2, 3].map(() => submitReportWithPhoto(h.db, store, reporter, space.slug, form({ clientId }), sv))
		);
		expect(sendings).toEqual([1, 2, 3].map(() => ({ id: first.id, repeated: true })));
		expect({ rows: await mediaRows(), files: files() }).toEqual(after);
	});
});
