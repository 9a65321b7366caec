import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { pick, type LocalizedText } from '../../kernel/localized.ts';
import { mayOn, type Actor } from '../../kernel/policy.ts';
import { sanitizeRichText } from '../../kernel/sanitize.ts';
import { subquery } from '../../kernel/sql.ts';
import { organizationMember } from '../../organizations/schema.ts';
import { partnershipAccess } from '../../partnerships/schema.ts';
import { sdgTarget } from '../../taxonomy/schema.ts';
import {
	dialogueSpace,
	dialogueTarget,
	dialogueTeam,
	dialoguePhase,
	proposal,
	type InputKind,
	type ModerationMode,
	type ProposalStatus,
	type Requirements,
	type SpaceStatus,
	type SpaceTeamRole
} from '../schema.ts';
import { standingFields, standingOf, type Standing } from '../participation.ts';
import { dialoguePolicy, type SpaceActors } from '../policy.ts';
import {
	proposalPageSize,
	publicProposalStatuses,
	type ProposalListFilter,
	type SpaceOwner
} from './input.ts';
import {
	goalsOf,
	openNow,
	ownerOf,
	ownerRef,
	phasesOf,
	pickedLanguage,
	publicProposal,
	themesOf,
	today,
	type SpaceRow
} from './listing.ts';
import { targetInLanguage } from '../../taxonomy/goals.ts';

/** Reads of one space: who runs it (for the policy), its page, its proposals. */

// ---------------------------------------------------------------------------------------------
// The one reader of a space: its row, who runs and serves it (for the policy), the input today's
// phases open, and on request the asker's standing (the participation gate) and one of its
// proposals. Every page, command and queue that needs a space reads it here, in one query.

const runnersSql = (partnershipId: SQL | number | null, organizationId: SQL | number | null) =>
	sql`select coalesce(json_agg(distinct r.user_id), '[]'::json) from (
		select ${partnershipAccess.userId} as user_id from ${partnershipAccess}
			where ${partnershipAccess.partnershipId} = ${partnershipId} and ${partnershipAccess.role} = 'coordinator'
		union all
		select ${organizationMember.userId} from ${organizationMember}
			where ${organizationMember.organizationId} = ${organizationId}
	) r`;

/** Who runs a space and its team, as select fields of a query on `dialogue_space`. */
export const actorColumns = {
	runners: subquery<string[]>(
		runnersSql(sql`${dialogueSpace.partnershipId}`, sql`${dialogueSpace.organizationId}`)
	),
	team: subquery<{ userId: string; role: SpaceTeamRole }[]>(
		sql`select coalesce(json_agg(json_build_object('userId', ${dialogueTeam.userId}, 'role', ${dialogueTeam.role})), '[]'::json)
			from ${dialogueTeam} where ${dialogueTeam.spaceId} = ${dialogueSpace.id}`
	)
};

export interface SpaceRecord {
	id: number;
	slug: string;
	title: LocalizedText;
	status: SpaceStatus;
	/** The languages input and answers are in, the main one first. */
	languages: string[];
	moderation: ModerationMode;
	requirements: Requirements;
	supportThreshold: number;
	supportWindowDays: number;
	answerDays: number;
	flagsToHide: number;
	/** The input the phases running on the day read open (the gate also asks the status). */
	opens: InputKind[];
	actors: SpaceActors;
	/** The asker's standing here; null unless asked for (`standingOf`) by someone signed in. */
	standing: Standing | null;
	/** The proposal asked for (`proposal`), null when the space has no such proposal. */
	proposal: { id: number; status: ProposalStatus; hidden: boolean } | null;
}

/** A space by its address or id (404 when there is none), in one query. */
export async function readSpace(
	db: Database | Transaction,
	by: { slug: string } | { id: number },
	options: { standingOf?: Actor; proposal?: number; day?: string } = {}
): Promise<SpaceRecord> {
	const s = dialogueSpace;
	const day = options.day ?? today();
	const asker = options.standingOf;
	const [row] = await db
		.select({
			id: s.id,
			slug: s.slug,
			title: s.title,
			status: s.status,
			languages: s.languages,
			moderation: s.moderation,
			requirements: s.requirements,
			supportThreshold: s.supportThreshold,
			supportWindowDays: s.supportWindowDays,
			answerDays: s.answerDays,
			flagsToHide: s.flagsToHide,
			opens: subquery<InputKind[] | null>(
				sql`select jsonb_agg(distinct o) from ${dialoguePhase}, jsonb_array_elements_text(${dialoguePhase.opens}) o
					where ${dialoguePhase.spaceId} = ${s.id} and ${dialoguePhase.startsOn} <= ${day} and ${dialoguePhase.endsOn} >= ${day}`
			),
			...actorColumns,
			...(asker
				? standingFields(asker.id, sql`${s.id}`)
				: {
						standingEmailVerified: sql<boolean | null>`null`,
						standingBlocked: sql<boolean>`false`,
						standingResident: sql<boolean>`false`
					}),
			proposal:
				options.proposal === undefined
					? sql<null>`null`
					: subquery<{ id: number; status: ProposalStatus; hidden: boolean } | null>(
							sql`select json_build_object('id', ${proposal.id}, 'status', ${proposal.status}, 'hidden', ${proposal.hidden})
								from ${proposal} where ${proposal.id} = ${options.proposal} and ${proposal.spaceId} = ${s.id}`
						)
		})
		.from(s)
		.where('slug' in by ? eq(s.slug, by.slug) : eq(s.id, by.id));
	if (!row) throw new NotFoundError('Dialogue space');
	const { runners, team, standingEmailVerified, standingBlocked, standingResident, ...space } = row;
	return {
		...space,
		languages: space.languages.length ? space.languages : ['sv'],
		opens: space.opens ?? [],
		actors: { runners, team },
		standing: asker ? standingOf({ standingEmailVerified, standingBlocked, standingResident }) : null,
		proposal: space.proposal ?? null
	};
}

/** A space as the policy sees it: who runs it and its moderators and answerers. */
export async function spaceActors(db: Database | Transaction, spaceId: number): Promise<SpaceActors> {
	return (await readSpace(db, { id: spaceId })).actors;
}

/** Who would run a space of this owner (for a space not made yet). */
export async function ownerActors(db: Database | Transaction, owner: SpaceOwner): Promise<SpaceActors> {
	const [row] = await db
		.select({
			runners: subquery<string[]>(
				runnersSql(
					'partnershipId' in owner ? owner.partnershipId : null,
					'organizationId' in owner ? owner.organizationId : null
				)
			)
		})
		.from(sql`(select 1) as one`);
	return { runners: row?.runners ?? [], team: [] };
}

// ---------------------------------------------------------------------------------------------
// One space

export interface SpaceDetail extends SpaceRow {
	description: string;
	descriptionLang: string;
	languages: string[];
	moderation: 'pre' | 'post';
	requirements: Record<InputKind, 'verified-email' | 'verified-resident'>;
	supportThreshold: number;
	supportWindowDays: number;
	answerDays: number;
	targetTexts: { code: string; title: string; text: string; lang: string }[];
	/** Public proposals by status, and their supports. */
	byStatus: Partial<Record<ProposalStatus, number>>;
	/** Whoever asks may set the space up (its owner's people, editors). */
	canRun: boolean;
	/** Whoever asks answers or moderates here (the space's work page). */
	canWork: boolean;
	updatedAt: string;
}

/**
 * One space with what its page shows, or a 404: a draft is shown only to whoever runs it.
 */
export async function getSpace(
	db: Database,
	locale: string,
	slug: string,
	actor: Actor
): Promise<SpaceDetail> {
	const [r] = await db
		.select({
			id: dialogueSpace.id,
			slug: dialogueSpace.slug,
			title: dialogueSpace.title,
			description: dialogueSpace.description,
			languages: dialogueSpace.languages,
			level: dialogueSpace.participationLevel,
			status: dialogueSpace.status,
			moderation: dialogueSpace.moderation,
			requirements: dialogueSpace.requirements,
			supportThreshold: dialogueSpace.supportThreshold,
			supportWindowDays: dialogueSpace.supportWindowDays,
			answerDays: dialogueSpace.answerDays,
			createdAt: dialogueSpace.createdAt,
			updatedAt: dialogueSpace.updatedAt,
			owner: ownerOf,
			phases: phasesOf,
			themes: themesOf,
			goals: goalsOf,
			...actorColumns,
			targets: subquery<{ code: string; title: LocalizedText; text: LocalizedText }[] | null>(
				sql`select json_agg(json_build_object('code', ${sdgTarget.code}, 'title', ${sdgTarget.title}, 'text', ${sdgTarget.text}) order by ${sdgTarget.goal}, ${sdgTarget.position})
					from ${dialogueTarget} join ${sdgTarget} on ${sdgTarget.code} = ${dialogueTarget.target}
					where ${dialogueTarget.spaceId} = ${dialogueSpace.id}`
			),
			byStatus: subquery<{ status: ProposalStatus; n: number; supports: number }[] | null>(
				sql`select json_agg(json_build_object('status', s.status, 'n', s.n, 'supports', s.supports)) from (
					select ${proposal.status} as status, count(*) as n, sum(${proposal.supportCount}) as supports
					from ${proposal} where ${publicProposal} group by ${proposal.status}) s`
			)
		})
		.from(dialogueSpace)
		.where(eq(dialogueSpace.slug, slug));
	if (!r) throw new NotFoundError('dialogue space');
	const actors = actor ? { runners: r.runners, team: r.team } : null;
	const may = async (rule: (typeof dialoguePolicy)[keyof typeof dialoguePolicy]) =>
		actors ? mayOn(actor, rule, actors) : false;
	const canRun = await may(dialoguePolicy.runSpace);
	const canWork = canRun || (await may(dialoguePolicy.answer)) || (await may(dialoguePolicy.moderate));
	if (r.status === 'draft' && !canRun) throw new NotFoundError('dialogue space');
	const phases = r.phases ?? [];
	const counts = r.byStatus ?? [];
	const targets = r.targets ?? [];
	return {
		id: r.id,
		slug: r.slug,
		title: pick(r.title, locale),
		titleLang: pickedLanguage(r.title, locale),
		descriptionLang: pickedLanguage(r.description, locale),
		// Stored sanitised; sanitised again on the way out.
		description: sanitizeRichText(pick(r.description, locale)),
		languages: r.languages,
		level: r.level,
		status: r.status,
		moderation: r.moderation,
		requirements: r.requirements,
		supportThreshold: r.supportThreshold,
		supportWindowDays: r.supportWindowDays,
		answerDays: r.answerDays,
		owner: ownerRef(r.owner, locale),
		phases,
		openNow: openNow(r.status, phases),
		themes: (r.themes ?? []).map((t) => ({ key: t.key, name: pick(t.name, locale) })),
		goals: r.goals ?? [],
		targets: targets.map((t) => t.code),
		targetTexts: targets.map((t) => targetInLanguage(t, locale)),
		byStatus: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])),
		proposals: counts.reduce((sum, c) => sum + Number(c.n), 0),
		supports: counts.reduce((sum, c) => sum + Number(c.supports ?? 0), 0),
		canRun,
		canWork,
		createdAt: r.createdAt.toISOString(),
		updatedAt: r.updatedAt.toISOString()
	};
}

export interface ProposalRow {
	id: number;
	title: string;
	/** The language it is written in. */
	language: string;
	status: ProposalStatus;
	supportCount: number;
	commentCount: number;
	createdAt: string;
}

/** A page of a space's public proposals, newest or most supported first, by status if asked. */
export async function spaceProposals(
	db: Database,
	spaceId: number,
	filter: ProposalListFilter
): Promise<{ rows: ProposalRow[]; total: number; page: number; pages: number }> {
	const rows = await db
		.select({
			id: proposal.id,
			title: proposal.title,
			language: proposal.language,
			status: proposal.status,
			supportCount: proposal.supportCount,
			commentCount: proposal.commentCount,
			createdAt: proposal.createdAt,
			total: sql<number>`(count(*) over ())::int`
		})
		.from(proposal)
		.where(
			and(
				eq(proposal.spaceId, spaceId),
				filter.status
					? eq(proposal.status, filter.status)
					: inArray(proposal.status, [...publicProposalStatuses]),
				eq(proposal.hidden, false)
			)
		)
		.orderBy(
			...(filter.sort === 'supported'
				? [desc(proposal.supportCount), desc(proposal.createdAt)]
				: [desc(proposal.createdAt)]),
			desc(proposal.id)
		)
		.limit(proposalPageSize)
		.offset((filter.page - 1) * proposalPageSize);
	const total = rows[0]?.total ?? 0;
	return {
		rows: rows.map(({ total: _, createdAt, ...r }) => ({ ...r, createdAt: createdAt.toISOString() })),
		total,
		page: filter.page,
		pages: Math.max(1, Math.ceil(total / proposalPageSize))
	};
}
