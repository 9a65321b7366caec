import {
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	serial,
	smallint,
	text,
	timestamp
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { pick, type LocalizedText } from '../kernel/localized.ts';
import { wordsColumn, wordsIndex } from '../kernel/fold.ts';
import { organization } from '../organizations/schema.ts';
import { user } from '../accounts/schema.ts';
import { sdgGoal, sdgTarget } from '../taxonomy/schema.ts';
import { media } from '../media/schema.ts';

export { partnershipStatuses, teamRoles } from '../../partnership-values.ts';
export type { PartnershipStatus, TeamRole } from '../../partnership-values.ts';
import type { PartnershipStatus, TeamRole } from '../../partnership-values.ts';

/** What the site's search looks in besides the members' names: the summary in both languages. */
const searched = [`"summary"->>'sv'`, `"summary"->>'en'`];

/** A Swedish municipality or region working with a local government abroad. */
export const partnership = pgTable(
	'partnership',
	{
		id: serial('id').primaryKey(),
		slug: text('slug').notNull().unique(),
		status: text('status').$type<PartnershipStatus>().notNull(),
		startYear: smallint('start_year'),
		endYear: smallint('end_year'),
		summary: jsonb('summary').$type<LocalizedText>().notNull(),
		/** Sanitised HTML per language. */
		description: jsonb('description').$type<LocalizedText>().notNull().default({}),
		/** The picture on its page: a library image with alt text in both languages. */
		leadImageId: integer('lead_image_id').references(() => media.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		/** The words of the summary in both languages without accents, for the site's search (kernel/fold.ts). */
		words: wordsColumn(...searched)
	},
	(t) => [
		index('partnership_status_idx').on(t.status),
		// The media library's "used on" and deleting a file (on delete set null) look up by it.
		index('partnership_lead_image_idx').on(t.leadImageId),
		wordsIndex('partnership_words_idx', t.words),
		// The list's order (newest start first): the site search's overview walks it (search.ts).
		index('partnership_newest_idx').on(sql`${t.startYear} desc nulls last`, sql`${t.id} desc`)
	]
);

export const partnershipMember = pgTable(
	'partnership_member',
	{
		partnershipId: integer('partnership_id')
			.notNull()
			.references(() => partnership.id, { onDelete: 'cascade' }),
		organizationId: integer('organization_id')
			.notNull()
			.references(() => organization.id),
		/** "swedish" or "international" side. */
		role: text('role').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.partnershipId, t.organizationId] }),
		index('partnership_member_org_idx').on(t.organizationId, t.partnershipId)
	]
);

/**
 * A partnership is named by its members, the Swedish side first ("Hörby kommun – Peja kommun
 * (Pejë)"): their names as a column of a select from `partnership` (a subquery per row, one
 * statement for any number of partnerships). The outer id is named with its table: Drizzle leaves
 * columns unqualified in a select without joins, and a bare "id" in the subquery would be the
 * organization's.
 */
export const partnershipNames = sql<
	LocalizedText[] | null
>`(select json_agg(${organization.name} order by ${partnershipMember.role} desc, ${organization.id})
	from ${partnershipMember} join ${organization} on ${organization.id} = ${partnershipMember.organizationId}
	where ${partnershipMember.partnershipId} = ${partnership}.${sql.identifier(partnership.id.name)})`;

/** The names above as one, in the language ("Hörby kommun – Peja kommun (Pejë)"). */
export function partnershipName(names: LocalizedText[] | null, locale: string): string {
	return (names ?? []).map((n) => pick(n, locale)).join(' – ');
}

export const partnershipPhases = ['inception', 'active', 'completed'] as const;
export type PartnershipPhase = (typeof partnershipPhases)[number];

/** The years of each phase: a one-year inception, then one to three years of projects. */
export const partnershipPhase = pgTable(
	'partnership_phase',
	{
		partnershipId: integer('partnership_id')
			.notNull()
			.references(() => partnership.id, { onDelete: 'cascade' }),
		phase: text('phase').$type<PartnershipPhase>().notNull(),
		fromYear: smallint('from_year').notNull(),
		toYear: smallint('to_year')
	},
	(t) => [primaryKey({ columns: [t.partnershipId, t.phase] })]
);

export const partnershipTheme = pgTable(
	'partnership_theme',
	{
		partnershipId: integer('partnership_id')
			.notNull()
			.references(() => partnership.id, { onDelete: 'cascade' }),
		themeKey: text('theme_key').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.partnershipId, t.themeKey] }),
		index('partnership_theme_theme_idx').on(t.themeKey, t.partnershipId)
	]
);

export const partnershipGoal = pgTable(
	'partnership_goal',
	{
		partnershipId: integer('partnership_id')
			.notNull()
			.references(() => partnership.id, { onDelete: 'cascade' }),
		goal: smallint('goal')
			.notNull()
			.references(() => sdgGoal.number)
	},
	(t) => [
		primaryKey({ columns: [t.partnershipId, t.goal] }),
		index('partnership_goal_goal_idx').on(t.goal, t.partnershipId)
	]
);

export const partnershipTarget = pgTable(
	'partnership_target',
	{
		partnershipId: integer('partnership_id')
			.notNull()
			.references(() => partnership.id, { onDelete: 'cascade' }),
		target: text('target')
			.notNull()
			.references(() => sdgTarget.code)
	},
	(t) => [
		primaryKey({ columns: [t.partnershipId, t.target] }),
		index('partnership_target_target_idx').on(t.target, t.partnershipId)
	]
);

/** The team on each side: two politicians (majority, opposition) and civil servants, one coordinating. */
export const partnershipTeamMember = pgTable(
	'partnership_team_member',
	{
		id: serial('id').primaryKey(),
		partnershipId: integer('partnership_id')
			.notNull()
			.references(() => partnership.id, { onDelete: 'cascade' }),
		/** "swedish" or "international". */
		side: text('side').notNull(),
		role: text('role').$type<TeamRole>().notNull(),
		name: text('name').notNull(),
		/** Their position, per language ("Kommunstyrelsens ordförande"). */
		title: jsonb('title').$type<LocalizedText>().notNull().default({}),
		position: smallint('position').notNull().default(0)
	},
	(t) => [index('partnership_team_partnership_idx').on(t.partnershipId)]
);

/** Reports, plans and agreements from the media library, shown on the partnership's page. */
export const partnershipDocument = pgTable(
	'partnership_document',
	{
		partnershipId: integer('partnership_id')
			.notNull()
			.references(() => partnership.id, { onDelete: 'cascade' }),
		mediaId: integer('media_id')
			.notNull()
			.references(() => media.id, { onDelete: 'cascade' }),
		title: jsonb('title').$type<LocalizedText>().notNull().default({}),
		position: smallint('position').notNull().default(0)
	},
	(t) => [
		primaryKey({ columns: [t.partnershipId, t.mediaId] }),
		// The key starts with the partnership; the library looks up by the file.
		index('partnership_document_media_idx').on(t.mediaId)
	]
);

export const spaceRoles = ['coordinator', 'member'] as const;
export type SpaceRole = (typeof spaceRoles)[number];

/** The partnership's own space: its coordinator edits the page and invites members. */
export const partnershipAccess = pgTable(
	'partnership_access',
	{
		partnershipId: integer('partnership_id')
			.notNull()
			.references(() => partnership.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		role: text('role').$type<SpaceRole>().notNull()
	},
	(t) => [
		primaryKey({ columns: [t.partnershipId, t.userId] }),
		index('partnership_access_user_idx').on(t.userId)
	]
);
