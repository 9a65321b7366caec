import { randomUUID } from 'node:crypto';
import type { Database } from '../../kernel/database.ts';
import {
	partnership,
	partnershipAccess,
	partnershipGoal,
	partnershipMember,
	partnershipPhase,
	partnershipTarget,
	partnershipTheme,
	type PartnershipStatus
} from '../../partnerships/schema.ts';
import { anOrganization } from './organizations.ts';
import { goalOfTarget } from '../../taxonomy/goals.ts';

export interface TestPartnership {
	id: number;
	slug: string;
	swedish: number[];
	international: number[];
}

/**
 * A partnership of its own for a test, with a Swedish and an international member (new
 * organizations unless given by id), an inception phase, and, if asked, tags and people in its
 * space: `coordinators` and `members` are user ids.
 */
export async function aPartnership(
	db: Database,
	options: {
		slug?: string;
		status?: PartnershipStatus;
		summary?: string;
		swedish?: number[];
		international?: number[];
		startYear?: number;
		themes?: string[];
		goals?: number[];
		targets?: string[];
		coordinators?: string[];
		members?: string[];
	} = {}
): Promise<TestPartnership> {
	const swedish = options.swedish ?? [(await anOrganization(db, { country: 'SE' })).id];
	const international = options.international ?? [(await anOrganization(db)).id];
	const slug = options.slug ?? `test-partnership-${randomUUID().slice(0, 8)}`;
	const startYear = options.startYear ?? 2024;
	const [row] = await db
		.insert(partnership)
		.values({
			slug,
			status: options.status ?? 'inception',
			startYear,
			summary: { sv: options.summary ?? 'Ett partnerskap för ett test.' }
		})
		.returning({ id: partnership.id });
	const id = row!.id;
	await db
		.insert(partnershipMember)
		.values([
			...swedish.map((organizationId) => ({ partnershipId: id, organizationId, role: 'swedish' })),
			...international.map((organizationId) => ({ partnershipId: id, organizationId, role: 'international' }))
		]);
	await db
		.insert(partnershipPhase)
		.values({ partnershipId: id, phase: 'inception', fromYear: startYear, toYear: null });
	const goals = [...new Set([...(options.goals ?? []), ...(options.targets ?? []).map(goalOfTarget)])];
	if (options.themes?.length)
		await db
			.insert(partnershipTheme)
			.values(options.themes.map((themeKey) => ({ partnershipId: id, themeKey })));
	if (goals.length)
		await db.insert(partnershipGoal).values(goals.map((goal) => ({ partnershipId: id, goal })));
	if (options.targets?.length)
		await db
			.insert(partnershipTarget)
			.values(options.targets.map((target) => ({ partnershipId: id, target })));
	const access = [
		...(options.coordinators ?? []).map((userId) => ({
			partnershipId: id,
			userId,
			role: 'coordinator' as const
		})),
		...(options.members ?? []).map((userId) => ({ partnershipId: id, userId, role: 'member' as const }))
	];
	if (access.length) await db.insert(partnershipAccess).values(access);
	return { id, slug, swedish, international };
}
