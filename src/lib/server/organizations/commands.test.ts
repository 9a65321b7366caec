import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { testDatabases } from '../test/databases.ts';
import { everyRole, anonymous, type TestActor } from '../test/actors.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import type { Role } from '#lib/roles.ts';
import { auditLog } from '../kernel/schema.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { contentVersion } from '../kernel/content-version.ts';
import { organization } from './schema.ts';
import { parseOrganizationForm } from './input.ts';
import { createOrganization, updateOrganization } from './commands.ts';

const ghanzi = {
	name_sv: 'Ghanzi distriktsråd',
	name_en: 'Ghanzi District Council',
	kind: 'district',
	country: 'bw',
	lat: '-21,70',
	lon: '21.65'
};

const form = (fields: Record<string, string>) => {
	const data = new FormData();
	for (const [k, v] of Object.entries(fields)) data.append(k, v);
	return data;
};

describe('the organization form', () => {
	it('refuses points off the globe, unknown countries and missing names, each by name', () => {
		expect(parseOrganizationForm(form(ghanzi))).toMatchObject({ country: 'BW', lat: -21.7, lon: 21.65 });
		try {
			parseOrganizationForm(
				form({ ...ghanzi, name_en: ' ', country: 'ZZ', lat: '91', lon: '-180.5', kind: 'planet' })
			);
			expect.unreachable();
		} catch (e) {
			expect((e as ValidationError).problems.map((p) => p.code).sort()).toEqual(
				[
					'invalidCountry',
					'invalidLatitude',
					'invalidLongitude',
					'invalidOrganizationKind',
					'required'
				].sort()
			);
		}
	});
	it('answers any input with a parsed organization or a ValidationError', () => {
		fc.assert(
			fc.property(
				fc.record({
					name_sv: fc.string({ maxLength: 200 }),
					name_en: fc.string({ maxLength: 200 }),
					kind: fc.string({ maxLength: 12 }),
					country: fc.string({ maxLength: 3 }),
					lat: fc.oneof(fc.string({ maxLength: 10 }), fc.double().map(String)),
					lon: fc.oneof(fc.string({ maxLength: 10 }), fc.double().map(String))
				}),
				(values) => {
					try {
						const o = parseOrganizationForm(form(values));
						expect(Math.abs(o.lat)).toBeLessThanOrEqual(90);
						expect(Math.abs(o.lon)).toBeLessThanOrEqual(180);
					} catch (e) {
						expect(e).toBeInstanceOf(ValidationError);
					}
				}
			)
		);
	});
});

describe.each(testDatabases)('international partners on $name', (database) => {
	let h: DatabaseHandle;
	let people: Record<Role, TestActor>;
	beforeAll(async () => {
		h = await database.open();
		people = await everyRole(h.db);
	});
	afterAll(async () => {
		await h?.close();
	});

	it('lets editors add and move a partner, audited and public at once, and nobody else', async () => {
		const kgalagadi = form({
			...ghanzi,
			name_sv: 'Kgalagadi distriktsråd',
			name_en: 'Kgalagadi District Council'
		});
		for (const who of [anonymous, people.reader, people.author]) {
			await expect(createOrganization(h.db, who, kgalagadi)).rejects.toThrow(ForbiddenError);
		}
		const version = contentVersion();
		const slug = await createOrganization(h.db, people.editor, kgalagadi);
		expect(slug).toBe('kgalagadi-distriktsrad');
		expect(contentVersion()).not.toBe(version);
		const [row] = await h.db.select().from(organization).where(eq(organization.slug, slug));
		expect(row).toMatchObject({ country: 'BW', reference: false, lat: -21.7 });
		// A second one of the same name gets an address of its own.
		expect(await createOrganization(h.db, people.admin, kgalagadi)).toBe('kgalagadi-distriktsrad-2');

		await updateOrganization(h.db, people.editor, {
			...ghanzi,
			name_sv: 'Kgalagadi distriktsråd',
			name_en: 'Kgalagadi District Council',
			id: String(row!.id),
			lat: '-24,5',
			lon: '21.9'
		});
		const [moved] = await h.db.select().from(organization).where(eq(organization.id, row!.id));
		expect(moved!.lat).toBe(-24.5);
		const logged = await h.db
			.select({ action: auditLog.action, actorId: auditLog.actorId })
			.from(auditLog)
			.where(eq(auditLog.subject, `organization:${row!.id}`));
		expect(logged.map((l) => l.action).sort()).toEqual(['organization.create', 'organization.update']);
		expect(logged.every((l) => l.actorId === people.editor.id)).toBe(true);
		await expect(updateOrganization(h.db, people.author, { ...ghanzi, id: String(row!.id) })).rejects.toThrow(
			ForbiddenError
		);
		// The reference municipalities are not edited here; a tampered id is named.
		const [ale] = await h.db.select().from(organization).where(eq(organization.slug, 'ale-kommun'));
		await expect(updateOrganization(h.db, people.editor, { ...ghanzi, id: String(ale!.id) })).rejects.toThrow(
			NotFoundError
		);
		await expect(updateOrganization(h.db, people.editor, { ...ghanzi, id: '01' })).rejects.toMatchObject({
			problems: [{ field: 'id', code: 'unknownOrganization' }]
		});
	});
});
