import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	date,
	doublePrecision,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	serial,
	smallint,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import type { LocalizedText } from '../kernel/localized.ts';
import { user } from '../accounts/schema.ts';
import { organization } from '../organizations/schema.ts';
import { partnership } from '../partnerships/schema.ts';
import { sdgGoal, sdgTarget } from '../taxonomy/schema.ts';
import { media } from '../media/schema.ts';
import type {
	AnswerState,
	FlagReason,
	InputKind,
	ModerationMode,
	ParticipantRequirement,
	ParticipationLevel,
	PhaseKind,
	ProposalEventKind,
	ProposalStatus,
	SpaceStatus,
	SpaceTeamRole,
	Stance
} from '../../dialogue-values.ts';

export * from '../../dialogue-values.ts';

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
			.default({ proposals: 'verified-email', supports: 'verified-email', comments: 'verified-email' }),
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

/**
 * A resident's proposal (e-förslag). The author is kept as null once their account is deleted:
 * the text stays, shown as a former participant's. Counters are kept in the same transaction as
 * the support or comment they count, so a page never counts rows.
 */
export const proposal = pgTable(
	'proposal',
	{
		id: serial('id').primaryKey(),
		spaceId: integer('space_id')
			.notNull()
			.references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		authorId: text('author_id').references(() => user.id, { onDelete: 'set null' }),
		title: text('title').notNull(),
		/** Plain text as written; links are made safe when shown. */
		body: text('body').notNull(),
		/** The language it is written in (ISO 639-1). */
		language: text('language').notNull(),
		placeName: text('place_name'),
		lat: doublePrecision('lat'),
		lon: doublePrecision('lon'),
		mediaId: integer('media_id').references(() => media.id, { onDelete: 'set null' }),
		status: text('status').$type<ProposalStatus>().notNull(),
		/** The state of the latest published answer. */
		answerState: text('answer_state').$type<AnswerState>(),
		supportCount: integer('support_count').notNull().default(0),
		commentCount: integer('comment_count').notNull().default(0),
		/** Supports count until then (created + the space's window). */
		collectUntil: timestamp('collect_until', { withTimezone: true }).notNull(),
		thresholdReachedAt: timestamp('threshold_reached_at', { withTimezone: true }),
		/** Set when the threshold is reached: the published deadline for the answer. */
		answerDue: timestamp('answer_due', { withTimezone: true }),
		firstAnsweredAt: timestamp('first_answered_at', { withTimezone: true }),
		/** Hidden by flags or a moderator; the reason is public. */
		hidden: boolean('hidden').notNull().default(false),
		hiddenReason: text('hidden_reason'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		editedAt: timestamp('edited_at', { withTimezone: true })
	},
	(t) => [
		// The open-data list across every space, newest first.
		index('proposal_created_idx').on(t.createdAt, t.id),
		index('proposal_space_created_idx').on(t.spaceId, t.createdAt),
		index('proposal_space_status_idx').on(t.spaceId, t.status, t.createdAt),
		index('proposal_space_supports_idx').on(t.spaceId, t.supportCount),
		index('proposal_author_idx').on(t.authorId),
		// The threshold tick and the overdue figures read these.
		index('proposal_collecting_idx')
			.on(t.collectUntil)
			.where(sql`${t.status} = 'collecting'`),
		index('proposal_due_idx')
			.on(t.answerDue)
			.where(sql`${t.answerDue} is not null`)
	]
);

/** One support per participant per proposal: the primary key makes it exactly once. */
export const proposalSupport = pgTable(
	'proposal_support',
	{
		proposalId: integer('proposal_id')
			.notNull()
			.references(() => proposal.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.proposalId, t.userId] }), index('proposal_support_user_idx').on(t.userId)]
);

/** The public history of a proposal ("what happened"), one row per step. */
export const proposalEvent = pgTable(
	'proposal_event',
	{
		id: serial('id').primaryKey(),
		proposalId: integer('proposal_id')
			.notNull()
			.references(() => proposal.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<ProposalEventKind>().notNull(),
		/** What the step carries: the answer's state, the moderator's public reason … */
		detail: jsonb('detail').$type<Record<string, string>>().notNull().default({}),
		/** Who took the step, where someone on the team did (never shown): they are not told of it. */
		actorId: text('actor_id').references(() => user.id, { onDelete: 'set null' }),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('proposal_event_proposal_idx').on(t.proposalId, t.at)]
);

/**
 * The official answer to a proposal: drafted by an answerer, published (several at once if they
 * like). Every published answer stays in the history; the latest sets the proposal's state.
 * `resultRef` is where the results follow-up links the proposal to a result.
 */
export const proposalAnswer = pgTable(
	'proposal_answer',
	{
		id: serial('id').primaryKey(),
		proposalId: integer('proposal_id')
			.notNull()
			.references(() => proposal.id, { onDelete: 'cascade' }),
		state: text('state').$type<AnswerState>().notNull(),
		/** The answer in the space's languages. */
		text: jsonb('text').$type<LocalizedText>().notNull(),
		/** The body that decided ("Kommunstyrelsen"), per language. */
		decidedBy: jsonb('decided_by').$type<LocalizedText>().notNull().default({}),
		decisionUrl: text('decision_url'),
		resultRef: text('result_ref'),
		authorId: text('author_id').references(() => user.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		publishedAt: timestamp('published_at', { withTimezone: true })
	},
	(t) => [
		index('proposal_answer_proposal_idx').on(t.proposalId, t.publishedAt),
		// One draft at a time per proposal.
		uniqueIndex('proposal_answer_one_draft')
			.on(t.proposalId)
			.where(sql`${t.publishedAt} is null`)
	]
);

/** Texts an answerer can start from, per space. */
export const answerTemplate = pgTable(
	'answer_template',
	{
		id: serial('id').primaryKey(),
		spaceId: integer('space_id')
			.notNull()
			.references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		state: text('state').$type<AnswerState>().notNull(),
		text: jsonb('text').$type<LocalizedText>().notNull()
	},
	(t) => [index('answer_template_space_idx').on(t.spaceId)]
);

/**
 * A comment on a proposal, or on the space itself (a debate). Threads nest three levels
 * (depth 0–2); `rootId` is the top-level comment of the thread so that a page of 20 threads is
 * two index reads however many comments there are. Deleting keeps the row (and the thread).
 */
export const dialogueComment = pgTable(
	'dialogue_comment',
	{
		id: serial('id').primaryKey(),
		spaceId: integer('space_id')
			.notNull()
			.references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		proposalId: integer('proposal_id').references(() => proposal.id, { onDelete: 'cascade' }),
		parentId: integer('parent_id'),
		rootId: integer('root_id'),
		depth: smallint('depth').notNull().default(0),
		authorId: text('author_id').references(() => user.id, { onDelete: 'set null' }),
		body: text('body').notNull(),
		stance: text('stance').$type<Stance>(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		editedAt: timestamp('edited_at', { withTimezone: true }),
		deletedAt: timestamp('deleted_at', { withTimezone: true }),
		hidden: boolean('hidden').notNull().default(false),
		hiddenReason: text('hidden_reason')
	},
	(t) => [
		index('dialogue_comment_top_idx')
			.on(t.spaceId, t.proposalId, t.createdAt)
			.where(sql`${t.parentId} is null`),
		// A space's own debate (no proposal), read newest or oldest first.
		index('dialogue_comment_debate_idx')
			.on(t.spaceId, t.createdAt)
			.where(sql`${t.parentId} is null and ${t.proposalId} is null`),
		index('dialogue_comment_root_idx').on(t.rootId, t.createdAt),
		// Open data: a space's or a proposal's comments in order (and the cascade from a proposal).
		index('dialogue_comment_space_idx').on(t.spaceId, t.id),
		index('dialogue_comment_proposal_idx').on(t.proposalId, t.id),
		index('dialogue_comment_author_idx').on(t.authorId)
	]
);

/** A participant's flag on a proposal or a comment: one per participant and thing. */
export const dialogueFlag = pgTable(
	'dialogue_flag',
	{
		id: serial('id').primaryKey(),
		spaceId: integer('space_id')
			.notNull()
			.references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		proposalId: integer('proposal_id').references(() => proposal.id, { onDelete: 'cascade' }),
		commentId: integer('comment_id').references(() => dialogueComment.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		reason: text('reason').$type<FlagReason>().notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		/** Set when a moderator has decided on the flagged thing. */
		resolvedAt: timestamp('resolved_at', { withTimezone: true })
	},
	(t) => [
		check('dialogue_flag_one_target', sql`(${t.proposalId} is null) <> (${t.commentId} is null)`),
		uniqueIndex('dialogue_flag_proposal_unique').on(t.proposalId, t.userId),
		uniqueIndex('dialogue_flag_comment_unique').on(t.commentId, t.userId),
		// A participant's own flags (their data download, their account's deletion).
		index('dialogue_flag_user_idx').on(t.userId),
		index('dialogue_flag_open_idx')
			.on(t.spaceId, t.createdAt)
			.where(sql`${t.resolvedAt} is null`)
	]
);

/** A participant blocked from giving input, in one space or (space null) on the whole platform. */
export const dialogueBlock = pgTable(
	'dialogue_block',
	{
		id: serial('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		spaceId: integer('space_id').references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		reason: text('reason').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('dialogue_block_user_idx').on(t.userId)]
);

/** A participant follows a space or a proposal (exactly one): they hear of answers and changes. */
export const dialogueFollow = pgTable(
	'dialogue_follow',
	{
		id: serial('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		spaceId: integer('space_id').references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		proposalId: integer('proposal_id').references(() => proposal.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		check('dialogue_follow_one_target', sql`(${t.spaceId} is null) <> (${t.proposalId} is null)`),
		uniqueIndex('dialogue_follow_space_unique').on(t.spaceId, t.userId),
		uniqueIndex('dialogue_follow_proposal_unique').on(t.proposalId, t.userId),
		index('dialogue_follow_user_idx').on(t.userId)
	]
);

/**
 * A municipality's census list for resident verification: never the identifiers themselves, only
 * a keyed hash (HMAC with the server's secret) of identifier + postal code per resident. An upload
 * replaces the organization's list in one transaction.
 */
export const censusEntry = pgTable(
	'census_entry',
	{
		organizationId: integer('organization_id')
			.notNull()
			.references(() => organization.id, { onDelete: 'cascade' }),
		hash: text('hash').notNull(),
		uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.organizationId, t.hash] })]
);

export const verificationMethods = ['census', 'oidc'] as const;
export type VerificationMethod = (typeof verificationMethods)[number];

/**
 * A participant verified as a resident of an organization (a municipality or region), by one
 * method. `subject` is a keyed hash of who they proved to be, so one resident verifies one account.
 */
export const residentVerification = pgTable(
	'resident_verification',
	{
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		organizationId: integer('organization_id')
			.notNull()
			.references(() => organization.id, { onDelete: 'cascade' }),
		method: text('method').$type<VerificationMethod>().notNull(),
		subject: text('subject').notNull(),
		verifiedAt: timestamp('verified_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.userId, t.organizationId] }),
		uniqueIndex('resident_verification_subject_unique').on(t.organizationId, t.subject)
	]
);

/**
 * What a participant is to hear of (an answer, a state change, a reply to their comment), one row
 * per person and happening: `key` (`event:<id>`, `reply:<comment id>`) makes it once. Rows are
 * made from the history and the comments by the module's tick; a single mail or a digest then
 * takes them (`mailedAt`), in the same transaction as the mail it enqueues.
 */
export const dialogueNotification = pgTable(
	'dialogue_notification',
	{
		id: serial('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		key: text('key').notNull(),
		spaceId: integer('space_id')
			.notNull()
			.references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		proposalId: integer('proposal_id').references(() => proposal.id, { onDelete: 'cascade' }),
		commentId: integer('comment_id').references(() => dialogueComment.id, { onDelete: 'cascade' }),
		eventId: integer('event_id').references(() => proposalEvent.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		mailedAt: timestamp('mailed_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('dialogue_notification_once').on(t.userId, t.key),
		index('dialogue_notification_unmailed_idx')
			.on(t.userId, t.createdAt)
			.where(sql`${t.mailedAt} is null`)
	]
);

/** How far the notifier has read each stream (the history, the comments): the last id it took. */
export const dialogueNotificationCursor = pgTable('dialogue_notification_cursor', {
	stream: text('stream').primaryKey(),
	lastId: integer('last_id').notNull().default(0)
});
