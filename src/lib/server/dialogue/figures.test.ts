import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { aProposal, aSpace } from '../test/factories/dialogue.ts';
import { anOrganization } from '../test/factories/organizations.ts';
import { aPartnership } from '../test/factories/partnerships.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { proposal, type ProposalStatus } from './schema.ts';
import { organizationFigures, spaceFigures } from './figures.ts';

const day = 24 * 60 * 60 * 1000;

describe.each(testDatabases)('answer figures on $name', (database) => {
	let h: DatabaseHandle;

	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(async () => {
		await h?.close();
	});

	/** A proposal that reached the threshold `reachedDaysAgo`, due after `answerDays`, answered after `answeredAfter` days. */
	async function promised(
		spaceId: number,
		options: {
			reachedDaysAgo: number;
			answerDays: number;
			answeredAfter?: number;
			status?: ProposalStatus;
			title?: string;
		}
	) {
		const { id } = await aProposal(h.db, spaceId, null, { title: options.title });
		const reached = new Date(Date.now() - options.reachedDaysAgo * day);
		const answered =
			options.answeredAfter === undefined ? null : new Date(reached.getTime() + options.answeredAfter * day);
		await h.db
			.update(proposal)
			.set({
				status: options.status ?? (answered ? 'answered' : 'to-answer'),
				thresholdReachedAt: reached,
				answerDue: new Date(reached.getTime() + options.answerDays * day),
				firstAnsweredAt: answered
			})
			.where(eq(proposal.id, id));
		return id;
	}

	it('tells the share answered in time, the median days and what is overdue now', async () => {
		const space = await aSpace(h.db);
		await promised(space.id, { reachedDaysAgo: 100, answerDays: 60, answeredAfter: 10 }); // in time
		await promised(space.id, { reachedDaysAgo: 100, answerDays: 60, answeredAfter: 30 }); // in time
		await promised(space.id, { reachedDaysAgo: 100, answerDays: 60, answeredAfter: 80 }); // late
		const late = await promised(space.id, { reachedDaysAgo: 90, answerDays: 60, title: 'Väntar länge' }); // overdue
		const later = await promised(space.id, { reachedDaysAgo: 70, answerDays: 60, title: 'Väntar' }); // overdue
		await promised(space.id, { reachedDaysAgo: 10, answerDays: 60 }); // not due yet: not counted
		await promised(space.id, { reachedDaysAgo: 100, answerDays: 60, status: 'withdrawn' }); // left out
		await aProposal(h.db, space.id, null); // collecting, no deadline

		const figures = await spaceFigures(h.db, space.id);
		expect(figures).toMatchObject({ due: 5, answeredInTime: 2, answered: 3, medianDays: 30, overdue: 2 });
		expect(figures.shareInTime).toBeCloseTo(0.4);
		expect(figures.overdueNow.map((o) => [o.id, o.title, o.spaceSlug])).toEqual([
			[late, 'Väntar länge', space.slug],
			[later, 'Väntar', space.slug]
		]);
		expect(new Date(figures.overdueNow[0]!.answerDue).getTime()).toBeLessThan(Date.now());
	});

	it('says nothing is due yet rather than 0 %', async () => {
		const space = await aSpace(h.db);
		await aProposal(h.db, space.id, null);
		expect(await spaceFigures(h.db, space.id)).toEqual({
			due: 0,
			answeredInTime: 0,
			shareInTime: null,
			answered: 0,
			medianDays: null,
			overdue: 0,
			overdueNow: []
		});
	});

	it('adds up an organization’s own spaces and its partnerships’ spaces, not others’', async () => {
		const org = await anOrganization(h.db, { country: 'SE' });
		const own = await aSpace(h.db, { organizationId: org.id });
		const p = await aPartnership(h.db, { swedish: [org.id] });
		const shared = await aSpace(h.db, { partnershipId: p.id });
		const unrelated = await aSpace(h.db);
		await promised(own.id, { reachedDaysAgo: 50, answerDays: 30, answeredAfter: 4 });
		await promised(shared.id, { reachedDaysAgo: 50, answerDays: 30, answeredAfter: 6 });
		await promised(shared.id, { reachedDaysAgo: 50, answerDays: 30 });
		await promised(unrelated.id, { reachedDaysAgo: 50, answerDays: 30 });
		const figures = await organizationFigures(h.db, org.id);
		expect(figures).toMatchObject({ due: 3, answeredInTime: 2, answered: 2, medianDays: 5, overdue: 1 });
	});
});
