import { asc, eq, exists, inArray } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import type { LocalizedText } from '../../kernel/localized.ts';
import { organization, type OrganizationKind } from '../../organizations/schema.ts';
import { partnership, partnershipMember, type PartnershipStatus } from '../../partnerships/schema.ts';
import { frameworkOf, type Framework } from '../queries.ts';
import { result } from '../schema.ts';

/** What an IATI activity says of a partnership besides its results. */
export interface ActivityFacts {
	slug: string;
	status: PartnershipStatus;
	startYear: number | null;
	endYear: number | null;
	/** When it was registered: the planned start when no year is known. */
	createdAt: Date;
	summary: LocalizedText;
	members: { name: LocalizedText; kind: OrganizationKind; swedish: boolean }[];
	framework: Framework;
}

async function factsOf(db: Database, where: ReturnType<typeof eq>): Promise<ActivityFacts[]> {
	const rows = await db
		.select({
			id: partnership.id,
			slug: partnership.slug,
			status: partnership.status,
			startYear: partnership.startYear,
			endYear: partnership.endYear,
			createdAt: partnership.createdAt,
			summary: partnership.summary
		})
		.from(partnership)
		.where(where)
		.orderBy(asc(partnership.slug));
	if (!rows.length) return [];
	const members = await db
		.select({
			partnershipId: partnershipMember.partnershipId,
			role: partnershipMember.role,
			name: organization.name,
			kind: organization.kind
		})
		.from(partnershipMember)
		.innerJoin(organization, eq(organization.id, partnershipMember.organizationId))
		.where(
			inArray(
				partnershipMember.partnershipId,
				rows.map((r) => r.id)
			)
		)
		.orderBy(asc(partnershipMember.partnershipId), asc(partnershipMember.organizationId));
	const membersOf = Map.groupBy(members, (m) => m.partnershipId);
	const facts: ActivityFacts[] = [];
	// One partnership at a time: the programme's file for thousands stays within one connection.
	for (const { id, ...r } of rows) {
		const own = (membersOf.get(id) ?? []).toSorted(
			(a, b) => Number(b.role === 'swedish') - Number(a.role === 'swedish')
		);
		facts.push({
			...r,
			members: own.map((m) => ({ name: m.name, kind: m.kind, swedish: m.role === 'swedish' })),
			framework: await frameworkOf(db, id)
		});
	}
	return facts;
}

/** One partnership's activity, or undefined when there is no such partnership. */
export async function partnershipActivity(db: Database, slug: string): Promise<ActivityFacts | undefined> {
	const [found] = await factsOf(db, eq(partnership.slug, slug));
	return found;
}

/** Every partnership that has a framework, by address. */
export async function programmeActivities(db: Database): Promise<ActivityFacts[]> {
	return factsOf(
		db,
		exists(db.select({ one: result.id }).from(result).where(eq(result.partnershipId, partnership.id)))
	);
}
