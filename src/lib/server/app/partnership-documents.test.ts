import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { count, eq } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { anActor, everyRole, type TestActor } from '../test/actors.ts';
import { aPartnership, type TestPartnership } from '../test/factories/partnerships.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { ForbiddenError } from '../kernel/errors.ts';
import { auditLog } from '../kernel/schema.ts';
import { runSystemChange } from '../kernel/write.ts';
import { media } from '../media/schema.ts';
import { localStore } from '../media/store.ts';
import { tinyPdf } from '../media/test-files.ts';
import { getPartnership } from '../partnerships/queries.ts';
import type { Role } from '#lib/roles.ts';
import { uploadPartnershipDocument } from './partnership-documents.ts';

const upload = (bytes: Uint8Array | string, fileName: string, titles: Record<string, string> = {}) => {
	const form = new FormData();
	const part = typeof bytes === 'string' ? bytes : new Uint8Array(bytes);
	form.append('file', new File([part], fileName, { type: 'application/pdf' }));
	for (const [k, v] of Object.entries(titles)) form.append(k, v);
	return form;
};

describe.each(testDatabases)("a partnership's own documents on $name", (database) => {
	let h: DatabaseHandle;
	let people: Record<Role, TestActor>;
	let coordinator: TestActor;
	let ours: TestPartnership;
	const dir = mkdtempSync(path.join(tmpdir(), 'ps-docs-'));
	const store = localStore(dir);
	const libraryCount = async () => (await h.db.select({ n: count() }).from(media))[0]!.n;

	beforeAll(async () => {
		h = await database.open();
		people = await everyRole(h.db);
		coordinator = await anActor(h.db, 'reader');
		ours = await aPartnership(h.db, { coordinators: [coordinator.id] });
	});
	afterAll(async () => {
		await h?.close();
	});

	it('puts a coordinator’s PDF into the library and onto the page, audited by both', async () => {
		await uploadPartnershipDocument(
			h.db,
			store,
			coordinator,
			ours.slug,
			upload(tinyPdf('Arbetsplan 2027'), 'Arbetsplan 2027.pdf', { title_sv: 'Arbetsplan 2027' })
		);
		const docs = (await getPartnership(h.db, 'sv', ours.slug))!.documents;
		expect(docs.map((d) => d.title)).toEqual(['Arbetsplan 2027']);
		const [item] = await h.db.select().from(media).where(eq(media.createdBy, coordinator.id));
		expect(item).toMatchObject({ kind: 'document' });
		const actions = (
			await h.db
				.select({ action: auditLog.action })
				.from(auditLog)
				.where(eq(auditLog.actorId, coordinator.id))
		).map((a) => a.action);
		expect(actions.sort()).toEqual(['media.upload', 'partnership.document.attach']);
	});

	it('refuses what is not a PDF, and anyone who may not edit the partnership, before the library sees it', async () => {
		const before = await libraryCount();
		const files = () => readdirSync(dir, { recursive: true }).length;
		const stored = files();
		await expect(
			uploadPartnershipDocument(h.db, store, coordinator, ours.slug, upload('inte en pdf', 'plan.pdf'))
		).rejects.toMatchObject({ problems: [{ field: 'file', code: 'fileType' }] });
		for (const who of [people.author, await anActor(h.db, 'reader')]) {
			await expect(
				uploadPartnershipDocument(h.db, store, who, ours.slug, upload(tinyPdf(), 'x.pdf'))
			).rejects.toThrow(ForbiddenError);
		}
		await expect(
			uploadPartnershipDocument(h.db, store, coordinator, ours.slug, new FormData())
		).rejects.toMatchObject({ problems: [{ field: 'file', code: 'fileMissing' }] });
		expect(await libraryCount()).toBe(before);
		expect(files()).toBe(stored);
	});

	it('is one change: when the change it is part of fails, neither the file nor the attachment stays', async () => {
		const before = await libraryCount();
		await expect(
			runSystemChange(h.db, async (tx) => {
				await uploadPartnershipDocument(tx, store, people.editor, ours.slug, upload(tinyPdf(), 'y.pdf'));
				throw new Error('the change fails after the upload');
			})
		).rejects.toThrow('the change fails');
		expect(await libraryCount()).toBe(before);
		expect((await getPartnership(h.db, 'sv', ours.slug))!.documents).toHaveLength(1);
	});
});
