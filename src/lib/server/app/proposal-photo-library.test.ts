import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { and, eq, sql } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { anActor } from '../test/actors.ts';
import { aMediaStore, anImage } from '../test/factories/media.ts';
import { aSpace } from '../test/factories/dialogue.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { ValidationError } from '../kernel/errors.ts';
import type { Actor } from '../kernel/policy.ts';
import { auditLog } from '../kernel/schema.ts';
import { media } from '../media/schema.ts';
import { listMedia, mediaByKeys } from '../media/queries.ts';
import type { MediaStore } from '../media/store.ts';
import { jpegWithGps, png, textNamedJpg } from '../media/test-files.ts';
import { proposal } from '../dialogue/schema.ts';
import { editProposalWithPhoto, servedMedia, submitProposalWithPhoto } from './proposal-photos.ts';
import { proposalForm } from './proposal-photos.fixtures.ts';

// A proposal's photo in the library over its life: decoded and stored with no transaction open, a
// replaced or removed one leaves the library
// (row with the edit, files after it), and its address serves it to everyone only while the
// proposal is public; otherwise to its author, the space's moderators and answerers, uncached.

const sv = { locale: 'sv' };

describe.each(testDatabases)('a proposal’s photo in the library on $name', (database) => {
	let h: DatabaseHandle;
	let store: MediaStore;
	let dir: string;
	let removeStore: () => void;

	async function problems(run: Promise<unknown>): Promise<string[]> {
		const error = await run.then(
			() => null,
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(ValidationError);
		return (error as ValidationError).problems.map((p) => `${p.field}:${String(p.code)}`);
	}
	const created = (r: Awaited<ReturnType<typeof submitProposalWithPhoto>>) => {
		if (!('created' in r)) throw new Error(`expected a new proposal, got ${JSON.stringify(r)}`);
		return r.created;
	};

	beforeAll(async () => {
		h = await database.open();
		({ store, dir, remove: removeStore } = aMediaStore());
	});
	afterAll(async () => {
		await h?.close();
		removeStore?.();
	});

	it('decodes and stores the photo before the transaction: no transaction is open while it does', async () => {
		const writer = await anActor(h.db, 'reader');
		const space = await aSpace(h.db);
		// Transactions open while a file is written: on PGlite (one connection) a query waits
		// behind an open one, so a query that has not answered within 2 s counts as one.
		const openAtPut: (number | 'waiting')[] = [];
		const watched: MediaStore = {
			...store,
			async put(key, body, type) {
				const count = h.db
					.execute(
						sql`select count(*)::int as n from pg_stat_activity
							where datname = current_database() and xact_start is not null and pid <> pg_backend_pid()`
					)
					.then((r) => Number((r as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0));
				const waited = new Promise<'waiting'>((r) => setTimeout(() => r('waiting'), 2000));
				openAtPut.push(await Promise.race([count, waited]));
				return store.put(key, body, type);
			}
		};
		const id = created(
			await submitProposalWithPhoto(
				h.db,
				watched,
				writer,
				space.slug,
				proposalForm(
					'Tak över cykelställen',
					{ bytes: new Uint8Array(await jpegWithGps(1200, 800)), name: 'a.jpg' },
					{ proposalPhotoAlt: 'Tak' }
				),
				sv
			)
		);
		await editProposalWithPhoto(
			h.db,
			watched,
			writer,
			space.slug,
			id,
			proposalForm(
				'Tak över cykelställen',
				{ bytes: await png(640, 480), name: 'b.png' },
				{ proposalPhotoAlt: 'Ritning' }
			)
		);
		// Three widths of the JPEG, two of the PNG: every one written with no transaction open.
		expect(openAtPut).toEqual([0, 0, 0, 0, 0]);
	});

	it('takes a replaced or removed photo out of the library: its row in the edit, its files after', async () => {
		const writer = await anActor(h.db, 'reader');
		const space = await aSpace(h.db);
		const alt = { proposalPhotoAlt: 'En bild' };
		const id = created(
			await submitProposalWithPhoto(
				h.db,
				store,
				writer,
				space.slug,
				proposalForm('Tak över cykelställen', { bytes: await png(400, 300), name: 'a.png' }, alt),
				sv
			)
		);
		const photoRow = async () => {
			const [p] = await h.db.select({ mediaId: proposal.mediaId }).from(proposal).where(eq(proposal.id, id));
			if (p?.mediaId == null) return null;
			return (await h.db.select().from(media).where(eq(media.id, p.mediaId)))[0] ?? null;
		};
		const storedKeys = () => readdirSync(dir);
		const first = (await photoRow())!;
		const edit = (form: FormData) => editProposalWithPhoto(h.db, store, writer, space.slug, id, form);

		// A refused replacement leaves the old photo as it was, and no file of the new one.
		const before = storedKeys().length;
		await problems(edit(proposalForm('Tak över cykelställen', { bytes: textNamedJpg, name: 'x.jpg' }, alt)));
		expect((await photoRow())?.id).toBe(first.id);
		expect(storedKeys()).toHaveLength(before);

		await edit(proposalForm('Tak över cykelställen', { bytes: await png(500, 300), name: 'b.png' }, alt));
		const second = (await photoRow())!;
		expect(second.id).not.toBe(first.id);
		expect(await h.db.select().from(media).where(eq(media.id, first.id))).toEqual([]);
		expect(storedKeys()).not.toContain(first.storageKey);
		expect(storedKeys()).toContain(second.storageKey);
		const [removal] = await h.db
			.select({ actorId: auditLog.actorId, before: auditLog.before })
			.from(auditLog)
			.where(and(eq(auditLog.action, 'media.delete'), eq(auditLog.subject, `media:${first.id}`)));
		expect(removal).toMatchObject({ actorId: writer.id, before: { storageKey: first.storageKey } });

		// When the edit itself fails after the old photo's row was removed, both stay.
		await h.db.execute(
			sql.raw(`create function refuse_test_edit() returns trigger language plpgsql as $$
			begin if new.title = 'Fel i sista steget' then raise exception 'refused by the test'; end if; return new; end $$`)
		);
		await h.db.execute(
			sql.raw(
				`create trigger refuse_test_edit before update on proposal for each row execute function refuse_test_edit()`
			)
		);
		try {
			const failed = await edit(proposalForm('Fel i sista steget', undefined, { removePhoto: 'yes' })).catch(
				(e: unknown) => e
			);
			expect(String((failed as Error).cause ?? failed)).toContain('refused by the test');
		} finally {
			await h.db.execute(sql.raw('drop trigger refuse_test_edit on proposal'));
			await h.db.execute(sql.raw('drop function refuse_test_edit()'));
		}
		expect((await photoRow())?.id).toBe(second.id);
		expect(storedKeys()).toContain(second.storageKey);

		// Removed with the tick: the row and the files go.
		await edit(proposalForm('Tak över cykelställen', undefined, { removePhoto: 'yes' }));
		expect(await photoRow()).toBeNull();
		expect(await h.db.select().from(media).where(eq(media.id, second.id))).toEqual([]);
		expect(storedKeys()).not.toContain(second.storageKey);
	});

	it('serves a proposal’s photo to everyone only while the proposal is public', async () => {
		const [writer, moderator, answerer, other] = await Promise.all(
			['reader', 'reader', 'reader', 'reader'].map(() => anActor(h.db, 'reader'))
		);
		const editor = await anActor(h.db, 'editor');
		const space = await aSpace(h.db, {
			moderation: 'pre',
			team: { [moderator!.id]: 'moderator', [answerer!.id]: 'answerer' }
		});
		const id = created(
			await submitProposalWithPhoto(
				h.db,
				store,
				writer!,
				space.slug,
				proposalForm(
					'Tak över cykelställen',
					{ bytes: await png(400, 300), name: 'a.png' },
					{ proposalPhotoAlt: 'Tak' }
				),
				sv
			)
		);
		const [{ storageKey }] = (await h.db
			.select({ storageKey: media.storageKey })
			.from(media)
			.innerJoin(proposal, eq(proposal.mediaId, media.id))
			.where(eq(proposal.id, id))) as [{ storageKey: string }];
		/** What `/media/<key>/320.webp` answers `who`: its Cache-Control, or 404. */
		const served = async (who: Actor) =>
			(await servedMedia(h.db, storageKey, '320.webp', async () => who))?.cacheControl ?? 404;
		const everyone = async () =>
			Promise.all([null, writer!, moderator!, answerer!, editor, other!].map((who) => served(who)));

		// In screening: its author, the space's moderators and answerers, and editors; kept by no cache.
		const restricted = ['private, no-store', 'private, no-store', 'private, no-store', 'private, no-store'];
		expect(await everyone()).toEqual([404, ...restricted, 404]);

		// Published: everyone, asked for again on every use (a moderator may hide it).
		await h.db.update(proposal).set({ status: 'collecting' }).where(eq(proposal.id, id));
		expect(await everyone()).toEqual(Array(6).fill('public, no-cache'));

		// Hidden by a moderator: as in screening.
		await h.db
			.update(proposal)
			.set({ hidden: true, hiddenReason: 'Personuppgifter' })
			.where(eq(proposal.id, id));
		expect(await everyone()).toEqual([404, ...restricted, 404]);

		// The library's own images stay cached for a year, without asking who reads them.
		const image = await anImage(h.db, store, editor);
		let asked = false;
		const own = await servedMedia(h.db, image.storageKey, '320.webp', async () => ((asked = true), null));
		expect(own?.cacheControl).toBe('public, max-age=31536000, immutable');
		expect(asked).toBe(false);

		// Not the staff's to reuse: the library lists the editor's image, never the photo, and an
		// article cannot name it.
		const listed = await listMedia(h.db, editor);
		expect(listed.items.map((i) => i.storageKey)).toContain(image.storageKey);
		expect(listed.items.map((i) => i.storageKey)).not.toContain(storageKey);
		expect([...(await mediaByKeys(h.db, [storageKey, image.storageKey])).keys()]).toEqual([image.storageKey]);

		// Its proposal gone (its space deleted): nobody's to see, though the file is still stored.
		await h.db.delete(proposal).where(eq(proposal.id, id));
		expect(await everyone()).toEqual(Array(6).fill(404));
	});
});
