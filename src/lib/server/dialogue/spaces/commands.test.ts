import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor, anonymous, everyRole, type TestActor } from '../../test/actors.ts';
import { anOrganization, type TestOrganization } from '../../test/factories/organizations.ts';
import { aPartnership, type TestPartnership } from '../../test/factories/partnerships.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { ForbiddenError, ValidationError } from '../../kernel/errors.ts';
import { auditLog } from '../../kernel/schema.ts';
import { contentVersion } from '../../kernel/content-version.ts';
import type { Role } from '#lib/roles.ts';
import { dialogueSpace } from '../schema.ts';
import { newSpaceFormValues, type SpaceFormValues } from './input.ts';
import { createSpace, saveSpace } from './commands.ts';
import { getSpace } from './queries.ts';
import { ownerOptions, spaceForEditing } from './pickers.ts';

describe.each(testDatabases)('setting up dialogue spaces on $name', (database) => {
	let h: DatabaseHandle;
	let people: Record<Role, TestActor>;
	let staff: TestActor;
	let colleague: TestActor;
	let coordinator: TestActor;
	let member: TestActor;
	let org: TestOrganization;
	let ps: TestPartnership;

	beforeAll(async () => {
		h = await database.open();
		people = await everyRole(h.db);
		staff = await anActor(h.db, 'reader', { name: 'Stina Personal' });
		colleague = await anActor(h.db, 'reader', { name: 'Kalle Kollega' });
		coordinator = await anActor(h.db, 'reader', { name: 'Kim Samordnare' });
		member = await anActor(h.db, 'reader', { name: 'Mo Medlem' });
		org = await anOrganization(h.db, { country: 'SE', members: [staff.id, colleague.id] });
		ps = await aPartnership(h.db, { coordinators: [coordinator.id], members: [member.id] });
	});
	afterAll(async () => {
		await h?.close();
	});

	const form = (overrides: Partial<SpaceFormValues> = {}): SpaceFormValues => ({
		...newSpaceFormValues(),
		owner: `organization:${org.id}`,
		title: { sv: 'Vår nya park', en: 'Our new park' },
		description: { sv: '<p>Hur vill du ha parken?</p><script>alert(1)</script>', en: '' },
		status: 'open',
		phases: [
			{ kind: 'information', from: '2026-01-01', to: '2026-01-31', opens: [] },
			{ kind: 'input', from: '2026-02-01', to: '2026-03-31', opens: ['proposals', 'supports'] },
			// A blank row of the form.
			{ kind: '', from: '', to: '', opens: [] }
		],
		themes: ['participation'],
		targets: ['11.7'],
		...overrides
	});

	it('lets the organization’s staff open a space for it: saved, sanitised, audited, not public', async () => {
		const version = contentVersion();
		const slug = await createSpace(h.db, staff, form());
		expect(slug).toBe('var-nya-park');
		expect(contentVersion()).toBe(version);
		const space = await getSpace(h.db, 'sv', slug, anonymous);
		expect(space).toMatchObject({
			title: 'Vår nya park',
			status: 'open',
			level: 'consultation',
			owner: { kind: 'organization', slug: org.slug },
			goals: [11],
			targets: ['11.7']
		});
		expect(space.description).toBe('<p>Hur vill du ha parken?</p>');
		expect(space.phases.map((p) => [p.kind, p.startsOn, p.endsOn, p.opens])).toEqual([
			['information', '2026-01-01', '2026-01-31', []],
			['input', '2026-02-01', '2026-03-31', ['proposals', 'supports']]
		]);
		const logged = await h.db
			.select()
			.from(auditLog)
			.where(eq(auditLog.subject, `dialogue_space:${space.id}`));
		expect(logged.map((l) => [l.action, l.actorId])).toEqual([['dialogue.space.create', staff.id]]);
		// The same title again gets an address of its own.
		expect(await createSpace(h.db, colleague, form())).toBe('var-nya-park-2');
	});

	it('lets a partnership’s coordinator open one for it, but not a member or an outsider', async () => {
		const forPartnership = form({
			owner: `partnership:${ps.id}`,
			title: { sv: 'Samtal i partnerskapet', en: '' }
		});
		const slug = await createSpace(h.db, coordinator, forPartnership);
		expect((await getSpace(h.db, 'sv', slug, anonymous)).owner.kind).toBe('partnership');
		for (const who of [member, staff, people.author]) {
			await expect(createSpace(h.db, who, forPartnership)).rejects.toThrow(ForbiddenError);
		}
		await expect(createSpace(h.db, coordinator, form())).rejects.toThrow(ForbiddenError);
		await expect(createSpace(h.db, anonymous, form())).rejects.toMatchObject({ signInRequired: true });
		// Editors may open one for any owner.
		await createSpace(h.db, people.editor, forPartnership);
		// What each may choose from.
		expect((await ownerOptions(h.db, coordinator, 'sv')).map((o) => o.value)).toEqual([
			`partnership:${ps.id}`
		]);
		expect((await ownerOptions(h.db, staff, 'sv')).map((o) => o.value)).toEqual([`organization:${org.id}`]);
		expect(await ownerOptions(h.db, member, 'sv')).toEqual([]);
		const everyOwner = await ownerOptions(h.db, people.editor, 'sv');
		expect(everyOwner.length).toBeGreaterThan(300);
		// Each partnership by its members' names, as for its coordinator (the editor's list was once nameless).
		const label = (options: { value: string; label: string }[]) =>
			options.find((o) => o.value === `partnership:${ps.id}`)?.label;
		expect(label(everyOwner)).toMatch(/ – /);
		expect(label(everyOwner)).toBe(label(await ownerOptions(h.db, coordinator, 'sv')));
	});

	it('names every bad field at once and writes nothing', async () => {
		const before = await h.db.select({ id: dialogueSpace.id }).from(dialogueSpace);
		const bad = form({
			owner: '',
			title: { sv: '', en: '' },
			level: 'everything',
			supportThreshold: 'femtio',
			phases: [
				{ kind: 'input', from: '2026-03-01', to: '2026-02-01', opens: ['proposals'] },
				{ kind: 'decision', from: '2026-02-30', to: '2026-03-01', opens: [] },
				{ kind: '', from: '2026-04-01', to: '', opens: [] }
			],
			targets: ['99.9']
		});
		const error = await createSpace(h.db, staff, bad).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ValidationError);
		expect(Object.fromEntries((error as ValidationError).problems.map((p) => [p.field, p.code]))).toEqual({
			owner: 'spaceOwnerRequired',
			title_sv: 'required',
			level: 'spaceInvalidLevel',
			support_threshold: 'spaceInvalidNumber',
			phase_0: 'spacePhaseOrder',
			phase_1: 'spacePhaseDates',
			phase_2: 'spaceInvalidPhase',
			targets: 'unknownTarget'
		});
		await expect(createSpace(h.db, staff, form({ owner: 'organization:999999999' }))).rejects.toMatchObject({
			problems: [{ field: 'owner', code: 'spaceUnknownOwner' }]
		});
		expect(await h.db.select({ id: dialogueSpace.id }).from(dialogueSpace)).toHaveLength(before.length);
	});

	it('saves the form over a space for whoever runs it, with a team from the owner’s people', async () => {
		const slug = await createSpace(h.db, staff, form({ title: { sv: 'Biblioteket', en: '' } }));
		const opened = await spaceForEditing(h.db, colleague, slug, 'sv');
		expect(opened.ownerLabel).toBe(org.name.sv);
		expect(opened.people.map((p) => p.name)).toEqual(['Kalle Kollega', 'Stina Personal']);
		await saveSpace(h.db, colleague, slug, {
			...opened.values,
			level: 'co-decision',
			moderators: [staff.id],
			answerers: [colleague.id, staff.id]
		});
		const after = await spaceForEditing(h.db, staff, slug, 'sv');
		expect(after.values).toMatchObject({
			level: 'co-decision',
			moderators: [staff.id],
			answerers: expect.arrayContaining([colleague.id, staff.id])
		});
		// Someone not among the owner's people cannot be on the team.
		await expect(
			saveSpace(h.db, staff, slug, { ...after.values, moderators: [people.reader.id] })
		).rejects.toMatchObject({ problems: [{ field: 'moderators', code: 'spaceUnknownPerson' }] });
		// A save made since the form was opened is not overwritten.
		await expect(saveSpace(h.db, staff, slug, opened.values)).rejects.toMatchObject({
			problems: [{ field: 'version', code: 'spaceStaleEdit' }]
		});
		await expect(saveSpace(h.db, staff, slug, { ...after.values, version: '' })).rejects.toMatchObject({
			problems: [{ field: 'version', code: 'spaceVersionMissing' }]
		});
		for (const who of [coordinator, people.author, people.reader]) {
			await expect(saveSpace(h.db, who, slug, after.values)).rejects.toThrow(ForbiddenError);
			await expect(spaceForEditing(h.db, who, slug, 'sv')).rejects.toThrow(ForbiddenError);
		}
		await saveSpace(h.db, people.editor, slug, { ...after.values, status: 'closed' });
		const [row] = await h.db.select().from(dialogueSpace).where(like(dialogueSpace.slug, slug));
		expect(row!.status).toBe('closed');
		const logged = await h.db
			.select()
			.from(auditLog)
			.where(eq(auditLog.subject, `dialogue_space:${row!.id}`));
		expect(logged.map((l) => [l.action, l.actorId])).toEqual([
			['dialogue.space.create', staff.id],
			['dialogue.space.save', colleague.id],
			['dialogue.space.save', people.editor.id]
		]);
	});

	it('never gives a space the address of the page that makes one', async () => {
		const slug = await createSpace(h.db, staff, form({ title: { sv: 'New', en: '' } }));
		expect(slug).toBe('new-dialog');
	});
});
