import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor, anonymous, everyRole, type TestActor } from '../../test/actors.ts';
import { anOrganization } from '../../test/factories/organizations.ts';
import { aPartnership } from '../../test/factories/partnerships.ts';
import { aProposal, aSpace, type TestSpace } from '../../test/factories/dialogue.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { mayOn, type Actor } from '../../kernel/policy.ts';
import type { Role } from '#lib/roles.ts';
import {
	dialogueGoal,
	dialoguePhase,
	dialogueSpace,
	dialogueTarget,
	dialogueTheme,
	proposal
} from '../schema.ts';
import { dialoguePolicy } from '../policy.ts';
import { readSpaceFilter } from './input.ts';
import { findSpaces, openNow, spaceFilterOptions } from './listing.ts';
import { getSpace, spaceActors, spaceProposals } from './queries.ts';

const filter = (query: string) => readSpaceFilter(new URLSearchParams(query));

describe.each(testDatabases)('reading dialogue spaces on $name', (database) => {
	let h: DatabaseHandle;
	let people: Record<Role, TestActor>;
	let staff: TestActor;
	let coordinator: TestActor;
	let member: TestActor;
	let orgSpace: TestSpace;
	let partnershipSpace: TestSpace;
	let draft: TestSpace;
	let closed: TestSpace;
	let partnershipSlug: string;
	let orgSlug: string;

	beforeAll(async () => {
		h = await database.open();
		people = await everyRole(h.db);
		staff = await anActor(h.db, 'reader', { name: 'Stina Personal' });
		coordinator = await anActor(h.db, 'reader', { name: 'Kim Samordnare' });
		member = await anActor(h.db, 'reader', { name: 'Mo Medlem' });
		const org = await anOrganization(h.db, { country: 'SE', members: [staff.id] });
		orgSlug = org.slug;
		// A partnership with a partner in Kosovo, to filter by country.
		const abroad = await anOrganization(h.db, { country: 'XK' });
		const ps = await aPartnership(h.db, {
			international: [abroad.id],
			coordinators: [coordinator.id],
			members: [member.id]
		});
		partnershipSlug = ps.slug;
		orgSpace = await aSpace(h.db, { organizationId: org.id, title: 'Organisationens samtal' });
		partnershipSpace = await aSpace(h.db, { partnershipId: ps.id, title: 'Partnerskapets samtal' });
		draft = await aSpace(h.db, { organizationId: org.id, status: 'draft', title: 'Ett utkast' });
		closed = await aSpace(h.db, { organizationId: org.id, status: 'closed', title: 'Ett avslutat samtal' });
		await h.db.insert(dialogueTheme).values({ spaceId: partnershipSpace.id, themeKey: 'transparency' });
		await h.db.insert(dialogueGoal).values({ spaceId: partnershipSpace.id, goal: 16 });
		await h.db.insert(dialogueTarget).values({ spaceId: partnershipSpace.id, target: '16.7' });
	});
	afterAll(async () => {
		await h?.close();
	});

	it('says who runs a space: the partnership’s coordinators or the organization’s staff, and editors', async () => {
		const ofPartnership = await spaceActors(h.db, partnershipSpace.id);
		expect(ofPartnership.runners).toEqual([coordinator.id]);
		const ofOrganization = await spaceActors(h.db, orgSpace.id);
		expect(ofOrganization.runners).toEqual([staff.id]);
		const runs = (who: Actor, actors: typeof ofOrganization) => mayOn(who, dialoguePolicy.runSpace, actors);
		expect(await runs(coordinator, ofPartnership)).toBe(true);
		expect(await runs(member, ofPartnership)).toBe(false);
		expect(await runs(staff, ofPartnership)).toBe(false);
		expect(await runs(staff, ofOrganization)).toBe(true);
		expect(await runs(people.editor, ofOrganization)).toBe(true);
		expect(await runs(people.author, ofOrganization)).toBe(false);
		expect(await runs(anonymous, ofOrganization)).toBe(false);
		await expect(spaceActors(h.db, 999_999_999)).rejects.toThrow(NotFoundError);
	});

	it('lists open spaces, never drafts, and filters by owner, country, theme, goal and status', async () => {
		const slugs = async (query: string) =>
			(await findSpaces(h.db, 'sv', filter(query), 100)).rows.map((r) => r.slug).sort();
		expect(await slugs(`organization=${orgSlug}`)).toEqual([orgSpace.slug]);
		expect(await slugs(`organization=${orgSlug}&status=closed`)).toEqual([closed.slug]);
		expect(await slugs(`partnership=${partnershipSlug}`)).toEqual([partnershipSpace.slug]);
		expect(await slugs(`partnership=${partnershipSlug}&country=XK`)).toEqual([partnershipSpace.slug]);
		expect(await slugs(`organization=${orgSlug}&country=XK`)).toEqual([]);
		expect(await slugs(`partnership=${partnershipSlug}&theme=transparency&sdg=16.7`)).toEqual([
			partnershipSpace.slug
		]);
		expect(await slugs(`partnership=${partnershipSlug}&sdg=16`)).toEqual([partnershipSpace.slug]);
		expect(await slugs(`partnership=${partnershipSlug}&sdg=11`)).toEqual([]);
		const all = await findSpaces(h.db, 'sv', filter(''), 100);
		expect(all.rows.map((r) => r.slug)).not.toContain(draft.slug);
		expect(all.rows.every((r) => r.status === 'open')).toBe(true);
		// The owner is named as the reader sees it: a partnership by its members, Swedish first.
		const row = (await findSpaces(h.db, 'en', filter(`partnership=${partnershipSlug}`), 10)).rows[0]!;
		expect(row.owner).toMatchObject({ kind: 'partnership', slug: partnershipSlug, countries: ['SE', 'XK'] });
		expect(row.owner.name).toMatch(/^Testkommun .+ – Test District /);
		expect(row.openNow).toEqual(['proposals', 'supports', 'comments']);
		// The filters offer the owners of listed spaces (not of drafts alone), their countries, their targets.
		const options = await spaceFilterOptions(h.db, 'sv');
		expect(options.organizations.map((o) => o.slug)).toContain(orgSlug);
		expect(options.partnerships.map((p) => p.slug)).toContain(partnershipSlug);
		expect(options.countries).toEqual(expect.arrayContaining(['SE', 'XK']));
		expect(options.targets).toContain('16.7');
		expect(options.targets).toEqual(
			[...options.targets].sort((a, b) => Number(a.split('.')[0]) - Number(b.split('.')[0]))
		);
	});

	it('answers an unknown theme or target with a message, and a bad filter with its field', async () => {
		await expect(findSpaces(h.db, 'sv', filter('theme=no-such-theme'), 10)).rejects.toMatchObject({
			problems: [{ field: 'theme', code: 'invalidTheme' }]
		});
		expect(() => filter('status=draft')).toThrow(ValidationError);
		expect(() => filter('status=draft&organization=Not A Slug')).toThrow(
			expect.objectContaining({
				problems: [
					{ field: 'organization', code: 'invalidSlug' },
					{ field: 'status', code: 'invalidSpaceStatus' }
				]
			})
		);
	});

	it('shows a draft only to whoever runs it', async () => {
		for (const who of [anonymous, people.reader, people.author, coordinator]) {
			await expect(getSpace(h.db, 'sv', draft.slug, who)).rejects.toThrow(NotFoundError);
		}
		expect((await getSpace(h.db, 'sv', draft.slug, staff)).canRun).toBe(true);
		expect((await getSpace(h.db, 'sv', draft.slug, people.editor)).status).toBe('draft');
		expect((await getSpace(h.db, 'sv', orgSpace.slug, anonymous)).canRun).toBe(false);
	});

	it('opens input only while the space is open and a phase around today opens it', () => {
		const phases = [
			{ kind: 'information' as const, startsOn: '2026-01-01', endsOn: '2026-01-31', opens: [] },
			{ kind: 'input' as const, startsOn: '2026-02-01', endsOn: '2026-02-28', opens: ['comments' as const] }
		];
		expect(openNow('open', phases, '2026-01-15')).toEqual([]);
		expect(openNow('open', phases, '2026-02-01')).toEqual(['comments']);
		expect(openNow('open', phases, '2026-02-28')).toEqual(['comments']);
		expect(openNow('closed', phases, '2026-02-10')).toEqual([]);
		expect(openNow('open', phases, '2026-03-01')).toEqual([]);
	});

	it('counts the public proposals by status and their supports, and pages them newest or most supported first', async () => {
		const space = await aSpace(h.db);
		const author = await anActor(h.db, 'reader');
		const made: { id: number; supports: number }[] = [];
		for (let i = 0; i < 23; i++) {
			const p = await aProposal(h.db, space.id, author.id, {
				title: `Förslag ${i}`,
				createdAt: new Date(Date.now() - (30 - i) * 60_000)
			});
			const supports = (i * 7) % 11;
			await h.db.update(proposal).set({ supportCount: supports }).where(eq(proposal.id, p.id));
			made.push({ id: p.id, supports });
		}
		await aProposal(h.db, space.id, author.id, { status: 'to-answer' });
		// Not public: in screening, refused, or hidden.
		await aProposal(h.db, space.id, author.id, { status: 'screening' });
		await aProposal(h.db, space.id, author.id, { status: 'refused' });
		const hidden = await aProposal(h.db, space.id, author.id);
		await h.db.update(proposal).set({ hidden: true, supportCount: 100 }).where(eq(proposal.id, hidden.id));

		const detail = await getSpace(h.db, 'sv', space.slug, anonymous);
		expect(detail.byStatus).toEqual({ collecting: 23, 'to-answer': 1 });
		expect(detail.proposals).toBe(24);
		expect(detail.supports).toBe(made.reduce((sum, p) => sum + p.supports, 0));

		const newest = await spaceProposals(h.db, space.id, { sort: 'newest', page: 1 });
		expect(newest.total).toBe(24);
		expect(newest.pages).toBe(2);
		expect(newest.rows).toHaveLength(20);
		const second = await spaceProposals(h.db, space.id, { sort: 'newest', page: 2 });
		expect(second.rows).toHaveLength(4);
		expect(new Set([...newest.rows, ...second.rows].map((r) => r.id)).size).toBe(24);

		const supported = await spaceProposals(h.db, space.id, {
			sort: 'supported',
			page: 1,
			status: 'collecting'
		});
		expect(supported.total).toBe(23);
		const counts = supported.rows.map((r) => r.supportCount);
		expect(counts).toEqual([...counts].sort((a, b) => b - a));
		expect(counts[0]).toBe(Math.max(...made.map((p) => p.supports)));
	});

	it('lists a space’s phases in order with what each opens', async () => {
		const space = await aSpace(h.db, { opens: ['proposals'] });
		await h.db.insert(dialoguePhase).values({
			spaceId: space.id,
			position: 1,
			kind: 'feedback',
			startsOn: '2099-01-01',
			endsOn: '2099-02-01',
			opens: []
		});
		const detail = await getSpace(h.db, 'en', space.slug, anonymous);
		expect(detail.phases.map((p) => [p.kind, p.opens])).toEqual([
			['input', ['proposals']],
			['feedback', []]
		]);
		expect(detail.openNow).toEqual(['proposals']);
		expect(detail.title).toBe('A dialogue for a test');
		expect(detail.titleLang).toBe('en');
	});

	it('shows a text missing in the reader’s language in another, and says which (for its lang attribute)', async () => {
		const space = await aSpace(h.db);
		await h.db
			.update(dialogueSpace)
			.set({ title: { sv: 'Bara på svenska' }, description: { sv: '<p>Hej</p>' } })
			.where(eq(dialogueSpace.id, space.id));
		const detail = await getSpace(h.db, 'en', space.slug, anonymous);
		expect([detail.title, detail.titleLang, detail.descriptionLang]).toEqual(['Bara på svenska', 'sv', 'sv']);
	});
});
