import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { testDatabases } from '../test/databases.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { auditLog } from '../kernel/schema.ts';
import { ForbiddenError, ValidationError } from '../kernel/errors.ts';
import { user } from '../accounts/schema.ts';
import { organization } from '../organizations/schema.ts';
import { partnershipFormValues, parsePartnershipForm, type PartnershipFormValues } from './form.ts';
import {
	createPartnership,
	documentOptions,
	grantAccess,
	loadPartnershipForEditing,
	revokeAccess,
	savePartnership,
	setDocument,
	uploadDocument
} from './editing.ts';
import { tinyPdf } from '../media/test-files.ts';
import { localStore } from '../media/store.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getPartnership } from './queries.ts';

type Actor = { id: string; role: 'admin' | 'editor' | 'author' | 'reader' };

function formData(fields: Record<string, string | string[]>): FormData {
	const data = new FormData();
	for (const [name, value] of Object.entries(fields))
		for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
	return data;
}

describe('the partnership form', () => {
	it('names duplicate members, missing sides, bad years and overlong texts', () => {
		const values = partnershipFormValues(
			formData({
				status: 'active',
				swedish: ['5'],
				international: ['5'],
				summary_sv: 'x'.repeat(601),
				phase_active_from: '2019',
				phase_active_to: '2017',
				phase_inception_from: '19'
			})
		);
		try {
			parsePartnershipForm(values);
			expect.unreachable();
		} catch (e) {
			expect((e as ValidationError).problems).toEqual(
				expect.arrayContaining([
					{ field: 'members', code: 'duplicateMember' },
					{ field: 'summary_sv', code: 'tooLong' },
					{ field: 'phase_active', code: 'yearOrder' },
					{ field: 'phase_inception', code: 'invalidYear' }
				])
			);
		}
	});
	it('turns any posted form into a parsed partnership or a ValidationError, never anything else', () => {
		const field = fc.constantFrom(
			'status',
			'swedish',
			'international',
			'themes',
			'goals',
			'targets',
			'summary_sv',
			'summary_en',
			'description_sv',
			'phase_inception_from',
			'phase_active_to',
			'team_name',
			'team_side',
			'team_role',
			'team_title_sv',
			'version'
		);
		fc.assert(
			fc.property(fc.array(fc.tuple(field, fc.string({ maxLength: 40 })), { maxLength: 30 }), (pairs) => {
				const data = new FormData();
				for (const [k, v] of pairs) data.append(k, v);
				try {
					parsePartnershipForm(partnershipFormValues(data));
				} catch (e) {
					expect(e).toBeInstanceOf(ValidationError);
				}
			})
		);
	});
});

describe.each(testDatabases)('editing partnerships on $name', (database) => {
	let h: DatabaseHandle;
	const editor: Actor = { id: 'ps-editor', role: 'editor' };
	const coordinator: Actor = { id: 'ps-coordinator', role: 'reader' };
	const stranger: Actor = { id: 'ps-stranger', role: 'author' };
	let values: PartnershipFormValues;

	beforeAll(async () => {
		h = await database.open();
		await h.db.insert(user).values([
			{ id: editor.id, name: 'Eva', email: 'eva@example.se', role: 'editor' },
			{ id: coordinator.id, name: 'Kim', email: 'kim@example.se', role: 'reader' },
			{ id: stranger.id, name: 'Sam', email: 'sam@example.se', role: 'author' }
		]);
		await grantAccess(h.db, editor, 'ale-ghanzi', coordinator.id, 'coordinator');
		values = (await loadPartnershipForEditing(h.db, coordinator, 'ale-ghanzi', 'sv')).values;
	});
	afterAll(async () => {
		await h?.close();
	});

	it('lets the coordinator edit their own partnership, and nobody else but editors', async () => {
		const changed = {
			...values,
			summary: { sv: 'Ale och Ghanzi fördjupar dialogen med byråden.', en: values.summary.en },
			team: [
				...values.team,
				{ side: 'swedish', role: 'civil-servant', name: 'Ny handläggare', title: { sv: '', en: '' } }
			]
		};
		await savePartnership(h.db, coordinator, 'ale-ghanzi', parsePartnershipForm(changed));
		const after = (await getPartnership(h.db, 'sv', 'ale-ghanzi'))!;
		expect(after.summary).toBe('Ale och Ghanzi fördjupar dialogen med byråden.');
		expect(after.team.map((t) => t.name)).toContain('Ny handläggare');

		await expect(loadPartnershipForEditing(h.db, coordinator, 'horby-peja', 'sv')).rejects.toThrow(
			ForbiddenError
		);
		await expect(savePartnership(h.db, stranger, 'ale-ghanzi', parsePartnershipForm(values))).rejects.toThrow(
			ForbiddenError
		);
		await expect(
			savePartnership(h.db, null, 'ale-ghanzi', parsePartnershipForm(values))
		).rejects.toMatchObject({
			signInRequired: true
		});
		const logged = await h.db.select().from(auditLog).where(eq(auditLog.action, 'partnership.save'));
		expect(logged.map((l) => l.actorId)).toContain(coordinator.id);
	});

	it('refuses a stale save, and keeps a coordinator from changing members or appointing coordinators', async () => {
		await expect(
			savePartnership(h.db, editor, 'ale-ghanzi', parsePartnershipForm(values))
		).rejects.toMatchObject({
			problems: [{ field: 'version', code: 'staleEdit' }]
		});
		const fresh = (await loadPartnershipForEditing(h.db, coordinator, 'ale-ghanzi', 'sv')).values;
		const [horby] = await h.db
			.select({ id: organization.id })
			.from(organization)
			.where(eq(organization.slug, 'horby-kommun'));
		await savePartnership(
			h.db,
			coordinator,
			'ale-ghanzi',
			parsePartnershipForm({ ...fresh, swedish: [String(horby!.id)] })
		);
		expect((await getPartnership(h.db, 'sv', 'ale-ghanzi'))!.swedish.map((o) => o.slug)).toEqual([
			'ale-kommun'
		]);
		await expect(grantAccess(h.db, coordinator, 'ale-ghanzi', stranger.id, 'coordinator')).rejects.toThrow(
			ForbiddenError
		);
		await grantAccess(h.db, coordinator, 'ale-ghanzi', stranger.id, 'member');
		await revokeAccess(h.db, coordinator, 'ale-ghanzi', stranger.id);
	});

	it('lets a coordinator upload a PDF of their own but not publish a file from the library', async () => {
		const store = localStore(mkdtempSync(path.join(tmpdir(), 'ps-docs-')));
		expect(await documentOptions(h.db, coordinator)).toEqual([]);
		await expect(setDocument(h.db, coordinator, 'ale-ghanzi', 1, true)).rejects.toThrow(ForbiddenError);
		await expect(
			uploadDocument(h.db, store, coordinator, 'ale-ghanzi', {
				bytes: new TextEncoder().encode('inte en pdf'),
				fileName: 'plan.pdf',
				title: {}
			})
		).rejects.toMatchObject({ problems: [{ field: 'file', code: 'fileType' }] });
		await uploadDocument(h.db, store, coordinator, 'ale-ghanzi', {
			bytes: tinyPdf('Arbetsplan 2027'),
			fileName: 'Arbetsplan 2027.pdf',
			title: { sv: 'Arbetsplan 2027' }
		});
		const docs = (await getPartnership(h.db, 'sv', 'ale-ghanzi'))!.documents;
		expect(docs.map((d) => d.title)).toContain('Arbetsplan 2027');
		await expect(
			uploadDocument(h.db, store, stranger, 'ale-ghanzi', { bytes: tinyPdf(), fileName: 'x.pdf', title: {} })
		).rejects.toThrow(ForbiddenError);
		await expect(grantAccess(h.db, editor, 'ale-ghanzi', 'no-such-user', 'member')).rejects.toMatchObject({
			problems: [{ field: 'email', code: 'unknownUser' }]
		});
	});

	it('lets editors create a partnership with members on both sides, and refuses an unknown or wrong-side member', async () => {
		const orgs = await h.db.select({ id: organization.id, slug: organization.slug }).from(organization);
		const id = (slug: string) => String(orgs.find((o) => o.slug === slug)!.id);
		const form = (swedish: string, international: string) =>
			parsePartnershipForm({
				...partnershipFormValues(formData({ status: 'inception', summary_sv: 'Ett nytt partnerskap.' })),
				swedish: [swedish],
				international: [international],
				phases: {
					inception: { from: '2026', to: '' },
					active: { from: '', to: '' },
					completed: { from: '', to: '' }
				}
			});
		await expect(
			createPartnership(h.db, coordinator, form(id('horby-kommun'), id('ghanzi-district-council')))
		).rejects.toThrow(ForbiddenError);
		await expect(
			createPartnership(h.db, editor, form(id('horby-kommun'), id('ale-kommun')))
		).rejects.toMatchObject({
			problems: [{ field: 'members', code: 'unknownOrganization' }]
		});
		const slug = await createPartnership(
			h.db,
			editor,
			form(id('horby-kommun'), id('ghanzi-district-council'))
		);
		expect(slug).toBe('horby-ghanzi-district-council');
		const made = (await getPartnership(h.db, 'sv', slug))!;
		expect(made.startYear).toBe(2026);
		expect(made.phases).toEqual([{ phase: 'inception', fromYear: 2026, toYear: null }]);
	});
});
