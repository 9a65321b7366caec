import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../test/databases.ts';
import { anActor } from '../test/actors.ts';
import { anOrganization } from '../test/factories/organizations.ts';
import { aPartnership } from '../test/factories/partnerships.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { landingOf } from './landing.ts';

describe.each(testDatabases)('where people land after signing in, on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(async () => {
		await h?.close();
	});

	it('sends each person where their work is, and nobody to a page they may not see', async () => {
		for (const role of ['admin', 'editor', 'author'] as const) {
			expect(await landingOf(h.db, await anActor(h.db, role))).toBe('/admin');
		}
		expect(await landingOf(h.db, await anActor(h.db, 'reader'))).toBe('/account');

		// The coordinator of one partnership lands on it; of two, on the account that lists them.
		const coordinator = await anActor(h.db, 'reader');
		const first = await aPartnership(h.db, { coordinators: [coordinator.id] });
		expect(await landingOf(h.db, coordinator)).toBe(`/partnerships/${first.slug}`);
		await aPartnership(h.db, { coordinators: [coordinator.id] });
		expect(await landingOf(h.db, coordinator)).toBe('/account');

		// Someone who works for one organization lands on it, even if they are also in a team.
		const member = await anActor(h.db, 'reader');
		const org = await anOrganization(h.db, { members: [member.id] });
		await aPartnership(h.db, { members: [member.id] });
		expect(await landingOf(h.db, member)).toBe(`/organizations/${org.slug}`);
		await anOrganization(h.db, { members: [member.id] });
		expect(await landingOf(h.db, member)).toBe('/account');

		// A team member of one partnership, with no organization, lands on that partnership.
		const teamMember = await anActor(h.db, 'reader');
		const team = await aPartnership(h.db, { members: [teamMember.id] });
		expect(await landingOf(h.db, teamMember)).toBe(`/partnerships/${team.slug}`);
	});
});
