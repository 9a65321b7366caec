import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import sharp from 'sharp';
import { and, count, eq, sql } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { anActor, type TestActor } from '../test/actors.ts';
import { aMediaStore } from '../test/factories/media.ts';
import { aProposal, aSpace } from '../test/factories/dialogue.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { ValidationError } from '../kernel/errors.ts';
import { auditLog } from '../kernel/schema.ts';
import { problemsIn } from '../kernel/http.ts';
import { media } from '../media/schema.ts';
import { readAll, variantObjectKey, type MediaStore } from '../media/store.ts';
import { blackAndWhitePng, jpegWithGps, png, textNamedJpg, tinyPdf } from '../media/test-files.ts';
import { proposal } from '../dialogue/schema.ts';
import { proposalFormValues } from '../dialogue/proposals/input.ts';
import { proposalForEdit, proposalPage } from '../dialogue/proposals/queries.ts';
import { readSpace } from '../dialogue/spaces/queries.ts';
import type { Actor } from '../kernel/policy.ts';
import { ParticipationLimitError } from '../dialogue/proposals/limits.ts';
import { editProposalWithPhoto, submitProposalWithPhoto } from './proposal-photos.ts';
import { proposalForm } from './proposal-photos.fixtures.ts';

// A participant's proposal with a photo, as the form sends it (multipart, a real JPEG): the photo
// through the media pipeline and the proposal in one transaction; every refusal names its field,
// keeps the typed text and leaves neither a proposal nor a media row nor a file behind.

const sv = { locale: 'sv' };

describe.each(testDatabases)('a proposal with a photo on $name', (database) => {
	let h: DatabaseHandle;
	let store: MediaStore;
	let dir: string;
	let removeStore: () => void;
	let jpeg: Uint8Array;

	const files = () => readdirSync(dir, { recursive: true }).length;
	const mediaRows = async () => (await h.db.select({ n: count() }).from(media))[0]!.n;
	const proposalsIn = async (spaceId: number) =>
		(await h.db.select({ n: count() }).from(proposal).where(eq(proposal.spaceId, spaceId)))[0]!.n;
	/** The refusal's problems as field:code. */
	async function problems(run: Promise<unknown>): Promise<string[]> {
		const error = await run.then(
			() => null,
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(ValidationError);
		return (error as ValidationError).problems.map((p) => `${p.field}:${String(p.code)}`);
	}
	/** The proposal's page as `actor` reads it. */
	const pageOf = async (actor: Actor, slug: string, id: number, locale = 'sv') =>
		proposalPage(h.db, actor, await readSpace(h.db, { slug }), id, locale);
	const created = (r: Awaited<ReturnType<typeof submitProposalWithPhoto>>) => {
		if (!('created' in r)) throw new Error(`expected a new proposal, got ${JSON.stringify(r)}`);
		return r.created;
	};

	beforeAll(async () => {
		h = await database.open();
		({ store, dir, remove: removeStore } = aMediaStore());
		jpeg = new Uint8Array(await jpegWithGps(1200, 800));
	});
	afterAll(async () => {
		await h?.close();
		removeStore?.();
	});

	it('saves a JPEG with the proposal: responsive WebP sizes without GPS, its alt text, both audited', async () => {
		const writer = await anActor(h.db, 'reader', { name: 'Cykla Cyklasson' });
		const space = await aSpace(h.db);
		const id = created(
			await submitProposalWithPhoto(
				h.db,
				store,
				writer,
				space.slug,
				proposalForm(
					'Tak över cykelställen',
					{ bytes: jpeg, name: 'IMG_0042.JPG' },
					{
						proposalPhotoAlt: '  Cyklar i regn vid   stationen '
					}
				),
				{ ...sv, ip: '192.0.2.7' }
			)
		);
		const [row] = await h.db.select().from(proposal).where(eq(proposal.id, id));
		expect(row!.mediaId).not.toBeNull();
		const [item] = await h.db.select().from(media).where(eq(media.id, row!.mediaId!));
		// Turned upright by its EXIF (1200 × 800 on its side), in every width it reaches.
		expect(item).toMatchObject({
			kind: 'image',
			createdBy: writer.id,
			alt: { sv: 'Cyklar i regn vid stationen' },
			width: 800,
			height: 1200,
			variants: [320, 640, 800]
		});
		const served = await readAll((await store.get(variantObjectKey(item!.storageKey, 640)))!);
		const meta = await sharp(served).metadata();
		expect(meta.format).toBe('webp');
		expect(meta.exif).toBeUndefined();

		const actions = (
			await h.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.actorId, writer.id))
		).map((a) => a.action);
		expect(actions.sort()).toEqual(['media.upload', 'proposal.submit']);

		// Anyone reading the proposal sees it in its sizes with its alt text.
		const page = await pageOf(null, space.slug, id, 'en');
		expect(page.photo).toEqual({
			storageKey: item!.storageKey,
			variants: [320, 640, 800],
			width: 800,
			height: 1200,
			alt: 'Cyklar i regn vid stationen'
		});

		// Hidden by a moderator: the photo goes with the text.
		await h.db
			.update(proposal)
			.set({ hidden: true, hiddenReason: 'Personuppgifter' })
			.where(eq(proposal.id, id));
		expect((await pageOf(null, space.slug, id)).photo).toBeNull();
		expect((await pageOf(writer, space.slug, id)).photo).toBeNull();
	});

	it('names each bad photo at its field, keeps the typed text, and writes nothing', async () => {
		const writer = await anActor(h.db, 'reader');
		const space = await aSpace(h.db);
		const [rowsBefore, filesBefore] = [await mediaRows(), files()];
		const send = (form: FormData) => submitProposalWithPhoto(h.db, store, writer, space.slug, form, sv);
		const alt = { proposalPhotoAlt: 'En bild' };

		// Not an image, whatever its name says; a PDF is no photo either.
		expect(
			await problems(send(proposalForm('Tak över cykelställen', { bytes: textNamedJpg, name: 'a.jpg' }, alt)))
		).toEqual(['proposalPhoto:proposalPhotoType']);
		expect(
			await problems(send(proposalForm('Tak över cykelställen', { bytes: tinyPdf(), name: 'b.jpg' }, alt)))
		).toEqual(['proposalPhoto:proposalPhotoType']);
		// Over 10 MB.
		const huge = new Uint8Array(10 * 1024 * 1024 + 1);
		huge.set(jpeg.subarray(0, 1024));
		expect(
			await problems(send(proposalForm('Tak över cykelställen', { bytes: huge, name: 'c.jpg' }, alt)))
		).toEqual(['proposalPhoto:proposalPhotoTooLarge']);
		// 120 megapixels in a few kilobytes: refused from its header, with the size in the message.
		const bomb = send(
			proposalForm('Tak över cykelställen', { bytes: blackAndWhitePng(12000, 10000), name: 'd.png' }, alt)
		);
		const error = await bomb.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ValidationError);
		const [shown] = problemsIn(error as ValidationError, 'en');
		expect(shown).toEqual({
			field: 'proposalPhoto',
			message:
				'Image: The image is 12,000 × 10,000 pixels (120 megapixels); the limit is 100 megapixels. Make it smaller and choose it again.'
		});
		// A cut-off JPEG.
		expect(
			await problems(
				send(proposalForm('Tak över cykelställen', { bytes: jpeg.subarray(0, 4000), name: 'e.jpg' }, alt))
			)
		).toEqual(['proposalPhoto:proposalPhotoUnreadable']);

		// A photo without alt text, named together with the text's own problems; an alt text
		// without a photo (left behind after the similar step) is a problem too.
		const noAlt = proposalForm('Tak', { bytes: jpeg, name: 'f.jpg' });
		expect(await problems(send(noAlt))).toEqual([
			'proposalTitle:proposalTitleTooShort',
			'proposalPhotoAlt:proposalPhotoAltRequired'
		]);
		expect(await problems(send(proposalForm('Tak över cykelställen', undefined, alt)))).toEqual([
			'proposalPhoto:proposalPhotoMissing'
		]);
		expect(
			await problems(
				send(
					proposalForm(
						'Tak över cykelställen',
						{ bytes: jpeg, name: 'g.jpg' },
						{ proposalPhotoAlt: 'x'.repeat(301) }
					)
				)
			)
		).toEqual(['proposalPhotoAlt:proposalPhotoAltTooLong']);

		// What the page shows again: the text as typed, and that the photo must be chosen again.
		expect(proposalFormValues(noAlt)).toEqual({
			proposalTitle: 'Tak',
			proposalBody: 'Ett tak över cykelställen vid stationen skulle hålla sadlarna torra hela vintern.',
			proposalPlace: 'Stationen',
			proposalPhotoAlt: '',
			removePhoto: false,
			photoSent: true
		});
		expect(await proposalsIn(space.id)).toBe(0);
		expect(await mediaRows()).toBe(rowsBefore);
		expect(files()).toBe(filesBefore);

		// Nothing was written, so none of it counted against the day's five proposals.
		for (let i = 0; i < 5; i++) {
			created(
				await send(proposalForm(`Tak över cykelställe nummer ${i + 1} av fem`, undefined, { anyway: '1' }))
			);
		}
	});

	it('is one transaction: when the proposal cannot be saved after its photo was, neither stays', async () => {
		const writer = await anActor(h.db, 'reader');
		const space = await aSpace(h.db);
		const [rowsBefore, filesBefore] = [await mediaRows(), files()];
		// The database itself refuses this one proposal's row, after the photo's row and files.
		await h.db.execute(
			sql.raw(`create function refuse_test_proposal() returns trigger language plpgsql as $$
			begin if new.title = 'Fel i sista steget' then raise exception 'refused by the test'; end if; return new; end $$`)
		);
		await h.db.execute(
			sql.raw(
				`create trigger refuse_test_proposal before insert on proposal for each row execute function refuse_test_proposal()`
			)
		);
		try {
			const failed = await submitProposalWithPhoto(
				h.db,
				store,
				writer,
				space.slug,
				proposalForm('Fel i sista steget', { bytes: jpeg, name: 'h.jpg' }, { proposalPhotoAlt: 'En bild' }),
				sv
			).catch((e: unknown) => e);
			// The database's refusal, not the form's: the photo had been decoded and stored by then.
			expect(failed).toBeInstanceOf(Error);
			expect(failed).not.toBeInstanceOf(ValidationError);
			expect(String((failed as Error).cause ?? failed)).toContain('refused by the test');
		} finally {
			await h.db.execute(sql.raw('drop trigger refuse_test_proposal on proposal'));
			await h.db.execute(sql.raw('drop function refuse_test_proposal()'));
		}
		expect(await proposalsIn(space.id)).toBe(0);
		expect(await mediaRows()).toBe(rowsBefore);
		expect(files()).toBe(filesBefore);
	});

	it('stores nothing at the similar step; "send anyway" needs the photo chosen again', async () => {
		const writer = await anActor(h.db, 'reader');
		const other = await anActor(h.db, 'reader');
		const space = await aSpace(h.db);
		await aProposal(h.db, space.id, other.id, { title: 'Tak över cykelställen vid stationen' });
		const [rowsBefore, filesBefore] = [await mediaRows(), files()];
		const photo = { bytes: jpeg, name: 'i.jpg' };
		const alt = { proposalPhotoAlt: 'Cykelställ i regn' };
		const send = (form: FormData) => submitProposalWithPhoto(h.db, store, writer, space.slug, form, sv);

		const first = await send(proposalForm('Tak över cykelställen vid station', photo, alt));
		expect('similar' in first && first.similar.map((s) => s.title)).toEqual([
			'Tak över cykelställen vid stationen'
		]);
		expect([await mediaRows(), files()]).toEqual([rowsBefore, filesBefore]);

		// The page keeps the alt text but cannot keep the file: sent without it, the form asks for it.
		expect(
			await problems(
				send(proposalForm('Tak över cykelställen vid station', undefined, { ...alt, anyway: '1' }))
			)
		).toEqual(['proposalPhoto:proposalPhotoMissing']);
		const id = created(
			await send(proposalForm('Tak över cykelställen vid station', photo, { ...alt, anyway: '1' }))
		);
		expect((await pageOf(null, space.slug, id)).photo?.alt).toBe('Cykelställ i regn');
	});

	it('lets the author replace or remove the photo within the edit window', async () => {
		const writer = await anActor(h.db, 'reader');
		const space = await aSpace(h.db);
		const id = created(
			await submitProposalWithPhoto(
				h.db,
				store,
				writer,
				space.slug,
				proposalForm('Tak över cykelställen'),
				sv
			)
		);
		const edit = (form: FormData, who: TestActor = writer) =>
			editProposalWithPhoto(h.db, store, who, space.slug, id, form);
		const photoOf = async () => (await proposalForEdit(h.db, writer, space.slug, id)).photo;
		expect(await photoOf()).toBeNull();

		await edit(
			proposalForm(
				'Tak över cykelställen',
				{ bytes: await png(640, 480), name: 'ny.png' },
				{ proposalPhotoAlt: 'Ett ritat tak' }
			)
		);
		expect(await photoOf()).toMatchObject({ alt: 'Ett ritat tak', variants: [320, 640] });
		// Kept when the text alone changes.
		await edit(proposalForm('Tak över alla cykelställen'));
		expect((await photoOf())?.alt).toBe('Ett ritat tak');
		// A bad replacement changes nothing, the text included.
		expect(
			await problems(
				edit(
					proposalForm('Något helt annat', { bytes: textNamedJpg, name: 'x.jpg' }, { proposalPhotoAlt: 'X' })
				)
			)
		).toEqual(['proposalPhoto:proposalPhotoType']);
		expect((await proposalForEdit(h.db, writer, space.slug, id)).title).toBe('Tak över alla cykelställen');
		// Removed with the tick.
		await edit(proposalForm('Tak över alla cykelställen', undefined, { removePhoto: 'yes' }));
		expect(await photoOf()).toBeNull();
		const [audit] = await h.db
			.select({ before: auditLog.before, after: auditLog.after })
			.from(auditLog)
			.where(and(eq(auditLog.subject, `proposal:${id}`), eq(auditLog.action, 'proposal.edit')))
			.orderBy(sql`${auditLog.id} desc`)
			.limit(1);
		expect(audit!.after).toMatchObject({ mediaId: null });
		expect(audit!.before).toMatchObject({ mediaId: expect.any(Number) });
	});

	it('counts photos per participant in the database: the eleventh in a day is refused', async () => {
		const writer = await anActor(h.db, 'reader');
		const space = await aSpace(h.db);
		const id = created(
			await submitProposalWithPhoto(
				h.db,
				store,
				writer,
				space.slug,
				proposalForm('Tak över cykelställen'),
				sv
			)
		);
		const small = { bytes: await png(40, 30), name: 'liten.png' };
		const alt = { proposalPhotoAlt: 'En liten bild' };
		for (let i = 0; i < 10; i++) {
			await editProposalWithPhoto(
				h.db,
				store,
				writer,
				space.slug,
				id,
				proposalForm('Tak över cykelställen', small, alt)
			);
		}
		const rowsBefore = await mediaRows();
		const refused = await editProposalWithPhoto(
			h.db,
			store,
			writer,
			space.slug,
			id,
			proposalForm('Tak över cykelställen', small, alt)
		).catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(ParticipationLimitError);
		expect((refused as ParticipationLimitError).kind).toBe('photos');
		expect(await mediaRows()).toBe(rowsBefore);
		// Text without a photo still goes.
		await editProposalWithPhoto(
			h.db,
			store,
			writer,
			space.slug,
			id,
			proposalForm('Tak över cykelställen nu')
		);
	});
});
