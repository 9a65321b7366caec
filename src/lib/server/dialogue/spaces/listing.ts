import { and, asc, desc, eq, exists, inArray, or, sql, type SQL } from 'drizzle-orm';
import { alias, QueryBuilder } from 'drizzle-orm/pg-core';
import type { Database } from '../../kernel/database.ts';
import { ValidationError, type FieldProblem } from '../../kernel/errors.ts';
import { pick, type LocalizedText } from '../../kernel/localized.ts';
import { subquery } from '../../kernel/sql.ts';
import { organization } from '../../organizations/schema.ts';
import { partnership, partnershipMember } from '../../partnerships/schema.ts';
import { theme } from '../../taxonomy/schema.ts';
import { unknownFilterTags } from '../../taxonomy/known.ts';
import {
	dialogueGoal,
	dialoguePhase,
	dialogueSpace,
	dialogueTarget,
	dialogueTheme,
	proposal,
	type InputKind,
	type ParticipationLevel,
	type PhaseKind,
	type SpaceStatus
} from '../schema.ts';
import { publicProposalStatuses, type SpaceFilter } from './input.ts';

/**
 * The list of spaces (`/dialogue`, the API, the CSV): its filters, a page of spaces with their
 * owner, phases and figures, and what the filters offer. The pieces a row is read with are shared
 * with one space's page (queries.ts).
 */

export interface SpaceOwnerRef {
	kind: 'organization' | 'partnership';
	slug: string;
	name: string;
	countries: string[];
}

export interface PhaseRef {
	kind: PhaseKind;
	startsOn: string;
	endsOn: string;
	opens: InputKind[];
}

export interface SpaceRow {
	id: number;
	slug: string;
	title: string;
	/** The language the title is shown in (another than the page's when it has none in that one). */
	titleLang: string;
	level: ParticipationLevel;
	status: SpaceStatus;
	owner: SpaceOwnerRef;
	phases: PhaseRef[];
	/** The kinds of input open today (none unless the space is open). */
	openNow: InputKind[];
	themes: { key: string; name: string }[];
	goals: number[];
	targets: string[];
	proposals: number;
	supports: number;
	createdAt: string;
}

export interface SpacePage {
	rows: SpaceRow[];
	total: number;
	page: number;
	pages: number;
	perPage: number;
}

const qb = new QueryBuilder();
const one = sql`1`;
const o = alias(organization, 'o');
const m = alias(partnershipMember, 'm');

/** The language `pick` takes a text in (for the `lang` of text shown in another language). */
export function pickedLanguage(text: LocalizedText, locale: string): string {
	if (text[locale]) return locale;
	return ['sv', 'en', ...Object.keys(text)].find((l) => text[l]) ?? locale;
}

/** Today in Sweden, as the phases' dates are written. */
export function today(now = new Date()): string {
	return now.toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
}

/** The kinds of input a space opens today: those of its current phases, while it is open. */
export function openNow(status: SpaceStatus, phases: readonly PhaseRef[], day = today()): InputKind[] {
	if (status !== 'open') return [];
	const open = new Set(phases.filter((p) => p.startsOn <= day && day <= p.endsOn).flatMap((p) => p.opens));
	return (['proposals', 'supports', 'comments'] as const).filter((k) => open.has(k));
}

/** The filters as a condition on `dialogue_space`; each is served by an index. */
export function spaceConditions(filter: Omit<SpaceFilter, 'page'>): SQL {
	const where: SQL[] = [eq(dialogueSpace.status, filter.status)];
	const orgBySlug = (slug: string) => qb.select({ id: o.id }).from(o).where(eq(o.slug, slug));
	if (filter.organization) {
		// The organization's own spaces, and those of the partnerships it is a member of.
		where.push(
			or(
				inArray(dialogueSpace.organizationId, orgBySlug(filter.organization)),
				exists(
					qb
						.select({ one })
						.from(m)
						.innerJoin(o, eq(o.id, m.organizationId))
						.where(and(eq(m.partnershipId, dialogueSpace.partnershipId), eq(o.slug, filter.organization)))
				)
			)!
		);
	}
	if (filter.partnership) {
		where.push(
			inArray(
				dialogueSpace.partnershipId,
				qb.select({ id: partnership.id }).from(partnership).where(eq(partnership.slug, filter.partnership))
			)
		);
	}
	if (filter.country) {
		where.push(
			or(
				inArray(
					dialogueSpace.organizationId,
					qb.select({ id: o.id }).from(o).where(eq(o.country, filter.country))
				),
				exists(
					qb
						.select({ one })
						.from(m)
						.innerJoin(o, eq(o.id, m.organizationId))
						.where(and(eq(m.partnershipId, dialogueSpace.partnershipId), eq(o.country, filter.country)))
				)
			)!
		);
	}
	if (filter.theme) {
		where.push(
			exists(
				qb
					.select({ one })
					.from(dialogueTheme)
					.where(and(eq(dialogueTheme.spaceId, dialogueSpace.id), eq(dialogueTheme.themeKey, filter.theme)))
			)
		);
	}
	if (filter.goal) {
		where.push(
			exists(
				qb
					.select({ one })
					.from(dialogueGoal)
					.where(and(eq(dialogueGoal.spaceId, dialogueSpace.id), eq(dialogueGoal.goal, filter.goal)))
			)
		);
	}
	if (filter.target) {
		where.push(
			exists(
				qb
					.select({ one })
					.from(dialogueTarget)
					.where(and(eq(dialogueTarget.spaceId, dialogueSpace.id), eq(dialogueTarget.target, filter.target)))
			)
		);
	}
	return and(...where)!;
}

type OwnerJson = {
	kind: 'organization' | 'partnership';
	slug: string;
	names: LocalizedText[];
	countries: string[];
};

/** The owner: an organization, or a partnership named by its members (Swedish first). */
export const ownerOf = subquery<OwnerJson | null>(
	sql`select case when ${dialogueSpace.organizationId} is not null then (
			select json_build_object('kind', 'organization', 'slug', ${organization.slug},
				'names', json_build_array(${organization.name}), 'countries', json_build_array(${organization.country}))
			from ${organization} where ${organization.id} = ${dialogueSpace.organizationId})
		else (
			select json_build_object('kind', 'partnership', 'slug', min(${partnership.slug}),
				'names', json_agg(${organization.name} order by ${partnershipMember.role} desc, ${organization.id}),
				'countries', json_agg(distinct ${organization.country}))
			from ${partnership}
			join ${partnershipMember} on ${partnershipMember.partnershipId} = ${partnership.id}
			join ${organization} on ${organization.id} = ${partnershipMember.organizationId}
			where ${partnership.id} = ${dialogueSpace.partnershipId})
		end`
);
export const phasesOf = subquery<PhaseRef[] | null>(
	sql`select json_agg(json_build_object('kind', ${dialoguePhase.kind}, 'startsOn', ${dialoguePhase.startsOn},
			'endsOn', ${dialoguePhase.endsOn}, 'opens', ${dialoguePhase.opens}) order by ${dialoguePhase.position})
		from ${dialoguePhase} where ${dialoguePhase.spaceId} = ${dialogueSpace.id}`
);
export const themesOf = subquery<{ key: string; name: LocalizedText }[] | null>(
	sql`select json_agg(json_build_object('key', ${theme.key}, 'name', ${theme.name}) order by ${theme.position})
		from ${dialogueTheme} join ${theme} on ${theme.key} = ${dialogueTheme.themeKey}
		where ${dialogueTheme.spaceId} = ${dialogueSpace.id}`
);
export const goalsOf = subquery<number[] | null>(
	sql`select json_agg(${dialogueGoal.goal} order by ${dialogueGoal.goal}) from ${dialogueGoal}
		where ${dialogueGoal.spaceId} = ${dialogueSpace.id}`
);
export const targetsOf = subquery<string[] | null>(
	sql`select json_agg(${dialogueTarget.target} order by ${dialogueTarget.target}) from ${dialogueTarget}
		where ${dialogueTarget.spaceId} = ${dialogueSpace.id}`
);
export const publicProposal = and(
	eq(proposal.spaceId, dialogueSpace.id),
	inArray(proposal.status, [...publicProposalStatuses]),
	eq(proposal.hidden, false)
);
export const figuresOf = subquery<{ proposals: number; supports: number } | null>(
	sql`select json_build_object('proposals', count(*), 'supports', coalesce(sum(${proposal.supportCount}), 0))
		from ${proposal} where ${publicProposal}`
);

export const ownerRef = (owner: OwnerJson | null, locale: string): SpaceOwnerRef => ({
	kind: owner?.kind ?? 'organization',
	slug: owner?.slug ?? '',
	name: (owner?.names ?? []).map((n) => pick(n, locale)).join(' – '),
	countries: [...new Set(owner?.countries ?? [])].sort()
});

/** A page of spaces, newest first. */
export async function listSpaces(
	db: Database,
	locale: string,
	filter: SpaceFilter,
	perPage: number
): Promise<SpacePage> {
	const rows = await db
		.select({
			id: dialogueSpace.id,
			slug: dialogueSpace.slug,
			title: dialogueSpace.title,
			level: dialogueSpace.participationLevel,
			status: dialogueSpace.status,
			createdAt: dialogueSpace.createdAt,
			owner: ownerOf,
			phases: phasesOf,
			themes: themesOf,
			goals: goalsOf,
			targets: targetsOf,
			figures: figuresOf,
			total: sql<number>`(count(*) over ())::int`
		})
		.from(dialogueSpace)
		.where(spaceConditions(filter))
		.orderBy(desc(dialogueSpace.createdAt), desc(dialogueSpace.id))
		.limit(perPage)
		.offset((filter.page - 1) * perPage);
	const total = rows[0]?.total ?? 0;
	const day = today();
	return {
		rows: rows.map((r) => ({
			id: r.id,
			slug: r.slug,
			title: pick(r.title, locale),
			titleLang: pickedLanguage(r.title, locale),
			level: r.level,
			status: r.status,
			owner: ownerRef(r.owner, locale),
			phases: r.phases ?? [],
			openNow: openNow(r.status, r.phases ?? [], day),
			themes: (r.themes ?? []).map((t) => ({ key: t.key, name: pick(t.name, locale) })),
			goals: r.goals ?? [],
			targets: r.targets ?? [],
			proposals: Number(r.figures?.proposals ?? 0),
			supports: Number(r.figures?.supports ?? 0),
			createdAt: r.createdAt.toISOString()
		})),
		total,
		page: filter.page,
		pages: Math.max(1, Math.ceil(total / perPage)),
		perPage
	};
}

/** The list as the page and the API ask for it: a theme or target the filter names must exist. */
export async function findSpaces(
	db: Database,
	locale: string,
	filter: SpaceFilter,
	perPage: number
): Promise<SpacePage> {
	const problems = (await unknownFilterTags(db, filter)) as FieldProblem<'dialogue'>[];
	if (problems.length) throw new ValidationError(problems, 'dialogue');
	return listSpaces(db, locale, filter, perPage);
}

const targetKey = (code: string) => {
	const [goal, sub] = code.split('.');
	return [Number(goal), /^\d+$/.test(sub!) ? Number(sub) : 100 + sub!.charCodeAt(0)] as const;
};
const byTarget = (a: string, b: string) => {
	const [ka, kb] = [targetKey(a), targetKey(b)];
	return ka[0] - kb[0] || ka[1] - kb[1];
};

/** What the list's filters offer: owners of listed spaces, their countries and their targets. */
export async function spaceFilterOptions(db: Database, locale: string) {
	const listed = inArray(dialogueSpace.status, ['open', 'closed', 'archived']);
	const [organizations, partnerships, targets] = await Promise.all([
		db
			.selectDistinct({ slug: organization.slug, name: organization.name, country: organization.country })
			.from(dialogueSpace)
			.innerJoin(organization, eq(organization.id, dialogueSpace.organizationId))
			.where(listed),
		db
			.select({ slug: partnership.slug, owner: ownerOf })
			.from(dialogueSpace)
			.innerJoin(partnership, eq(partnership.id, dialogueSpace.partnershipId))
			.where(listed)
			.orderBy(asc(partnership.slug)),
		db
			.selectDistinct({ code: dialogueTarget.target })
			.from(dialogueTarget)
			.innerJoin(dialogueSpace, eq(dialogueSpace.id, dialogueTarget.spaceId))
			.where(listed)
	]);
	const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, locale);
	const owners = partnerships.map((p) => ({ ...ownerRef(p.owner, locale), slug: p.slug }));
	return {
		organizations: organizations.map((x) => ({ slug: x.slug, name: pick(x.name, locale) })).sort(byName),
		partnerships: [...new Map(owners.map((p) => [p.slug, { slug: p.slug, name: p.name }])).values()].sort(
			byName
		),
		countries: [
			...new Set([...organizations.map((x) => x.country), ...owners.flatMap((p) => p.countries)])
		].sort(),
		/** Targets that listed spaces carry, in the goals' order ("16.7" before "16.a"). */
		targets: targets.map((t) => t.code).sort(byTarget)
	};
}
