import { sql } from 'drizzle-orm';
import {
	check,
	date,
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
import type { LocalizedText } from '../../kernel/localized.ts';
import { user } from '../../accounts/schema.ts';
import { organization } from '../../organizations/schema.ts';
import { partnership } from '../../partnerships/schema.ts';
import { sdgGoal, sdgTarget } from '../../taxonomy/schema.ts';
import type {
	InputKind,
	ModerationMode,
	ParticipantRequirement,
	ParticipationLevel,
	PhaseKind,
	SpaceStatus,
	SpaceTeamRole
} from '../../../dialogue-values.ts';

/** Who may give each kind of input in a space. */
export type Requirements = Record<InputKind, ParticipantRequirement>;

/**
 * A dialogue space: one consultation or debate, run by an organization or by a partnership
 * (exactly one of the two), in the languages it names.
 */
export const dialogueSpace = pgTable(
	'dialogue_space',
	{
		id: serial('id').primaryKey(),
		slug: text('slug').notNull().unique(),
		organizationId: integer('organization_id').references(() => organization.id),
		partnershipId: integer('partnership_id').references(() => partnership.id),
		title: jsonb('title').$type<LocalizedText>().notNull(),
		/** Sanitised HTML per language. */
		description: jsonb('description').$type<LocalizedText>().notNull().default({}),
		/** The languages input and answers are in (ISO 639-1), the first the main one. */
		languages: jsonb('languages').$type<string[]>().notNull().default(['sv']),
		participationLevel: text('participation_level').$type<ParticipationLevel>().notNull(),
		status: text('status').$type<SpaceStatus>().notNull().default('draft'),
		moderation: text('moderation').$type<ModerationMode>().notNull().default('post'),
		requirements: jsonb('requirements')
			.$type<Requirements>()
			.notNull()
			.default({
				proposals: 'verified-email',
				supports: 'verified-email',
				comments: 'verified-email',
				reports: 'verified-email'
			}),
		/** Supports a proposal needs within the window to be answered (50 in 90 days by default). */
		supportThreshold: integer('support_threshold').notNull().default(50),
		supportWindowDays: smallint('support_window_days').notNull().default(90),
		/** The promise: every proposal that reaches the threshold is answered within this many days. */
		answerDays: smallint('answer_days').notNull().default(183),
		/** Flags from different participants that hide an input until a moderator decides. */
		flagsToHide: smallint('flags_to_hide').notNull().default(3),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		check('dialogue_space_one_owner', sql`(${t.organizationId} is null) <> (${t.partnershipId} is null)`),
		index('dialogue_space_status_idx').on(t.status),
		index('dialogue_space_organization_idx').on(t.organizationId),
		index('dialogue_space_partnership_idx').on(t.partnershipId)
	]
);

/** The space's phases in order, with their dates and the input each opens. */
export const dialoguePhase = pgTable(
	'dialogue_phase',
	{
		spaceId: integer('space_id')
			.notNull()
			.references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		position: smallint('position').notNull(),
		kind: text('kind').$type<PhaseKind>().notNull(),
		startsOn: date('starts_on').notNull(),
		endsOn: date('ends_on').notNull(),
		opens: jsonb('opens').$type<InputKind[]>().notNull().default([])
	},
	(t) => [primaryKey({ columns: [t.spaceId, t.position] })]
);

/** Moderators and answerers of a space, chosen from its owner's people. */
export const dialogueTeam = pgTable(
	'dialogue_team',
	{
		spaceId: integer('space_id')
			.notNull()
			.references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		role: text('role').$type<SpaceTeamRole>().notNull()
	},
	(t) => [
		primaryKey({ columns: [t.spaceId, t.userId, t.role] }),
		index('dialogue_team_user_idx').on(t.userId)
	]
);

export const dialogueTheme = pgTable(
	'dialogue_theme',
	{
		spaceId: integer('space_id')
			.notNull()
			.references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		themeKey: text('theme_key').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.spaceId, t.themeKey] }),
		index('dialogue_theme_theme_idx').on(t.themeKey, t.spaceId)
	]
);

export const dialogueGoal = pgTable(
	'dialogue_goal',
	{
		spaceId: integer('space_id')
			.notNull()
			.references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		goal: smallint('goal')
			.notNull()
			.references(() => sdgGoal.number)
	},
	(t) => [primaryKey({ columns: [t.spaceId, t.goal] }), index('dialogue_goal_goal_idx').on(t.goal, t.spaceId)]
);

export const dialogueTarget = pgTable(
	'dialogue_target',
	{
		spaceId: integer('space_id')
			.notNull()
			.references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		target: text('target')
			.notNull()
			.references(() => sdgTarget.code)
	},
	(t) => [
		primaryKey({ columns: [t.spaceId, t.target] }),
		index('dialogue_target_target_idx').on(t.target, t.spaceId)
	]
);
