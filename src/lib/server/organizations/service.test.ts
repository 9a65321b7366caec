import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { testDatabases } from '../test/databases.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { auditLog } from '../kernel/schema.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { user } from '../accounts/schema.ts';
import { organization } from './schema.ts';
import {
	createOrganization,
	organizationFormValues,
	parseOrganizationForm,
	updateOrganization
} from './service.ts';

const form = (fields: Record<string, string>) => {
	const data = new FormData();
	for (const [k, v] of Object.entries(fields)) data.append(k, v);
	return organizationFormValues(data);
};
const ghanzi = {
	name_sv: 'Ghanzi distriktsråd',
	name_en: 'Ghanzi District Council',
	kind: 'district',
	country: 'bw',
	lat: '-21,70',
	lon: '21.65'
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
	const editor = { id: 'org-editor', role: 'editor' as const };
	const author = { id: 'org-author', role: 'author' as const };
	beforeAll(async () => {
		h = await database.open();
		await h.db.insert(user).values([
			{ id: editor.id, name: 'Eda', email: 'eda@example.se', role: 'editor' },
			{ id: author.id, name: 'Alf', email: 'alf@example.se', role: 'author' }
		]);
	});
	afterAll(async () => {
		await h?.close();
	});

	it('lets editors add and move a partner, audited, and nobody else', async () => {
		const input = parseOrganizationForm(
			form({ ...ghanzi, name_sv: 'Kgalagadi distriktsråd', name_en: 'Kgalagadi District Council' })
		);
		await expect(createOrganization(h.db, author, input)).rejects.toThrow(ForbiddenError);
		const slug = await createOrganization(h.db, editor, input);
		expect(slug).toBe('kgalagadi-distriktsrad');
		const [row] = await h.db.select().from(organization).where(eq(organization.slug, slug));
		expect(row).toMatchObject({ country: 'BW', reference: false, lat: -21.7 });
		await updateOrganization(h.db, editor, row!.id, { ...input, lat: -24.5, lon: 21.9 });
		const [moved] = await h.db.select().from(organization).where(eq(organization.id, row!.id));
		expect(moved!.lat).toBe(-24.5);
		const logged = await h.db
			.select({ action: auditLog.action })
			.from(auditLog)
			.where(eq(auditLog.subject, `organization:${row!.id}`));
		expect(logged.map((l) => l.action).sort()).toEqual(['organization.create', 'organization.update']);
		// The reference municipalities are not edited here.
		const [ale] = await h.db.select().from(organization).where(eq(organization.slug, 'ale-kommun'));
		await expect(updateOrganization(h.db, editor, ale!.id, input)).rejects.toThrow(NotFoundError);
	});
});
