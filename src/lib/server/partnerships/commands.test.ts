import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '#lib/i18n/index.ts';
import { eq } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { anActor, anonymous, everyRole, type TestActor } from '../test/actors.ts';
import type { Actor } from '../kernel/policy.ts';
import { anOrganization } from '../test/factories/organizations.ts';
import { aPartnership, type TestPartnership } from '../test/factories/partnerships.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { auditLog } from '../kernel/schema.ts';
import { ForbiddenError, NotFoundError } from '../kernel/errors.ts';
import { mayOn } from '../kernel/policy.ts';
import { contentVersion } from '../kernel/content-version.ts';
import type { Role } from '#lib/roles.ts';
import { partnershipFormValues, type PartnershipFormValues } from './input.ts';
import { getPartnership } from './queries.ts';
import { partnershipForEditing } from './space/queries.ts';
import { createPartnership, savePartnership } from './commands.ts';
import { partnershipsPolicy } from './policy.ts';
import { ValidationError } from '../kernel/errors.ts';
import { aMediaStore, anImage } from '../test/factories/media.ts';

describe.each(testDatabases)('editing partnerships on $name', (database) => {
	let h: DatabaseHandle;
	let people: Record<Role, TestActor>;
	let coordinator: TestActor;
	let ours: TestPartnership;
	let theirs: TestPartnership;

	beforeAll(async () => {
		h = await database.open();
		people = await everyRole(h.db);
		coordinator = await anActor(h.db, 'reader', { name: 'Kim Samordnare' });
		ours = await aPartnership(h.db, {
			coordinators: [coordinator.id],
			themes: ['culture'],
			targets: ['16.7']
		});
		theirs = await aPartnership(h.db);
	});
	afterAll(async () => {
		await h?.close();
	});

	const opened = async (who: TestActor, slug = ours.slug) =>
		(await partnershipForEditing(h.db, who, slug)).values;

	it('asks one rule who edits a partnership: editors, and a coordinator of this one', async () => {
		const member = await anActor(h.db, 'author');
		const withMember = await aPartnership(h.db, { members: [member.id] });
		const may = (who: Actor, p: TestPartnership) =>
			mayOn(who, partnershipsPolicy.edit, { db: h.db, id: p.id });
		expect(await may(people.editor, theirs)).toBe(true);
		expect(await may(people.admin, theirs)).toBe(true);
		expect(await may(coordinator, ours)).toBe(true);
		expect(await may(coordinator, theirs)).toBe(false);
		expect(await may(member, withMember)).toBe(false);
		expect(await may(people.author, ours)).toBe(false);
		expect(await may(anonymous, ours)).toBe(false);
	});

	it('lets the coordinator edit their own partnership, and nobody else but editors; audited and public', async () => {
		const values = await opened(coordinator);
		expect(values.themes).toEqual(['culture']);
		const changed: PartnershipFormValues = {
			...values,
			summary: { sv: 'Vi fördjupar dialogen med byråden.', en: values.summary.en },
			team: [
				...values.team,
				{ side: 'swedish', role: 'civil-servant', name: 'Ny handläggare', title: { sv: '', en: '' } }
			]
		};
		const version = contentVersion();
		await savePartnership(h.db, coordinator, ours.slug, changed);
		expect(contentVersion()).not.toBe(version);
		const after = (await getPartnership(h.db, 'sv', ours.slug))!;
		expect(after.summary).toBe('Vi fördjupar dialogen med byråden.');
		expect(after.team.map((t) => t.name)).toContain('Ny handläggare');
		expect(after.goals).toEqual([16]);

		await expect(partnershipForEditing(h.db, coordinator, theirs.slug)).rejects.toThrow(ForbiddenError);
		await expect(partnershipForEditing(h.db, coordinator, 'no-such-partnership')).rejects.toThrow(
			NotFoundError
		);
		const fresh = await opened(coordinator);
		for (const who of [people.author, people.reader]) {
			await expect(savePartnership(h.db, who, ours.slug, fresh)).rejects.toThrow(ForbiddenError);
		}
		await expect(savePartnership(h.db, anonymous, ours.slug, fresh)).rejects.toMatchObject({
			signInRequired: true
		});
		const logged = await h.db
			.select()
			.from(auditLog)
			.where(eq(auditLog.subject, `partnership:${ours.id}`));
		expect(logged.map((l) => [l.action, l.actorId])).toEqual([['partnership.save', coordinator.id]]);
	});

	it('refuses a stale save, and keeps a coordinator from changing members', async () => {
		const stale = await opened(coordinator);
		await savePartnership(h.db, people.editor, ours.slug, await opened(people.editor));
		await expect(savePartnership(h.db, coordinator, ours.slug, stale)).rejects.toMatchObject({
			problems: [{ field: 'version', code: 'staleEdit' }]
		});
		// A form without its version (an old page, a hand-made request) is not saved blind.
		const before = (await getPartnership(h.db, 'sv', ours.slug))!.summary;
		const error = await savePartnership(h.db, people.editor, ours.slug, {
			...(await opened(people.editor)),
			summary: { sv: 'Skrivet utan version.', en: '' },
			version: ''
		}).catch((e: unknown) => e);
		expect(error).toMatchObject({ problems: [{ field: 'version', code: 'versionMissing' }] });
		expect((await getPartnership(h.db, 'sv', ours.slug))!.summary).toBe(before);
		// Both conflict messages speak of the partnership, in both languages.
		for (const locale of ['sv', 'en'] as const) {
			const texts = messages(locale).partnerships.errors;
			expect(texts.staleEdit).toMatch(locale === 'sv' ? /partnerskapet/ : /the partnership/);
			expect(texts.versionMissing).toMatch(locale === 'sv' ? /partnerskapet/ : /the partnership/);
		}
		const other = await anOrganization(h.db, { country: 'SE' });
		expect((await partnershipForEditing(h.db, coordinator, ours.slug)).canChangeMembers).toBe(false);
		expect((await partnershipForEditing(h.db, people.editor, ours.slug)).canChangeMembers).toBe(true);
		await savePartnership(h.db, coordinator, ours.slug, {
			...(await opened(coordinator)),
			swedish: [String(other.id)]
		});
		expect((await getPartnership(h.db, 'sv', ours.slug))!.swedish.map((o) => o.id)).toEqual(ours.swedish);
		await savePartnership(h.db, people.editor, ours.slug, {
			...(await opened(people.editor)),
			swedish: [String(other.id)]
		});
		expect((await getPartnership(h.db, 'sv', ours.slug))!.swedish.map((o) => o.id)).toEqual([other.id]);
	});

	it('lets editors create a partnership with members on both sides, and refuses an unknown or wrong-side member', async () => {
		const testby = await anOrganization(h.db, { country: 'SE', name: 'Testby kommun' });
		const kanye = await anOrganization(h.db, { name: 'Kanye District' });
		const other = await anOrganization(h.db, { country: 'SE' });
		const form = (swedish: number, international: number) => ({
			...partnershipFormValues(new FormData()),
			status: 'inception',
			summary: { sv: 'Ett nytt partnerskap.', en: '' },
			swedish: [String(swedish)],
			international: [String(international)],
			phases: {
				inception: { from: '2026', to: '' },
				active: { from: '', to: '' },
				completed: { from: '', to: '' }
			}
		});
		for (const who of [coordinator, people.author, anonymous]) {
			await expect(createPartnership(h.db, who, form(testby.id, kanye.id))).rejects.toThrow(ForbiddenError);
		}
		await expect(createPartnership(h.db, people.editor, form(testby.id, other.id))).rejects.toMatchObject({
			problems: [{ field: 'members', code: 'unknownOrganization' }]
		});
		await expect(createPartnership(h.db, people.editor, form(testby.id, 999_999_999))).rejects.toMatchObject({
			problems: [{ field: 'members', code: 'unknownOrganization' }]
		});
		const slug = await createPartnership(h.db, people.editor, form(testby.id, kanye.id));
		expect(slug).toBe('testby-kanye-district');
		expect(await createPartnership(h.db, people.admin, form(testby.id, kanye.id))).toBe(
			'testby-kanye-district-2'
		);
		const made = (await getPartnership(h.db, 'sv', slug))!;
		expect(made.startYear).toBe(2026);
		expect(made.phases).toEqual([{ phase: 'inception', fromYear: 2026, toYear: null }]);
		const [created] = await h.db
			.select()
			.from(auditLog)
			.where(eq(auditLog.subject, `partnership:${made.id}`));
		expect(created).toMatchObject({
			action: 'partnership.create',
			actorId: people.editor.id,
			after: { slug }
		});
	});

	it('leads the page with a library picture described in the languages of its summary', async () => {
		const media = aMediaStore();
		try {
			const swedishOnly = await anImage(h.db, media.store, people.editor, { width: 1200, height: 675 });
			const both = await anImage(h.db, media.store, people.editor, {
				width: 1200,
				height: 675,
				alt: { sv: 'Byråd och kommun vid ett bord', en: 'Village council and municipality at a table' }
			});
			const values = await opened(coordinator);
			const withSummaries = { ...values, summary: { sv: 'Sammanfattning.', en: 'Summary.' } };
			const refused = await savePartnership(h.db, coordinator, ours.slug, {
				...withSummaries,
				leadImageId: String(swedishOnly.id)
			}).catch((e: unknown) => e);
			expect(refused).toBeInstanceOf(ValidationError);
			expect((refused as ValidationError).problems).toEqual([
				{ field: 'leadImageId', code: 'leadImageAltMissing' }
			]);
			await savePartnership(h.db, coordinator, ours.slug, {
				...withSummaries,
				version: (await opened(coordinator)).version,
				leadImageId: String(both.id)
			});
			const page = (await getPartnership(h.db, 'en', ours.slug))!;
			expect(page.image).toMatchObject({ alt: 'Village council and municipality at a table', width: 1200 });
			expect((await opened(coordinator)).leadImageId).toBe(String(both.id));
		} finally {
			media.remove();
		}
	});
});
