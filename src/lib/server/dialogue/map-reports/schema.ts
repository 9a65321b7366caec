import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	doublePrecision,
	index,
	integer,
	jsonb,
	pgTable,
	serial,
	primaryKey,
	smallint,
	text,
	timestamp,
	unique,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import type { LocalizedText } from '../../kernel/localized.ts';
import { user } from '../../accounts/schema.ts';
import { media } from '../../media/schema.ts';
import type { LocationPrivacy, ReportPrecision, ReportStatus } from '../../../dialogue-values.ts';
import { dialogueSpace } from '../spaces/schema.ts';

/** A district residents may name instead of a point (a kecamatan, a stadsdel), with its centre. */
export interface ReportDistrict {
	name: string;
	lat: number;
	lon: number;
}

/**
 * How a space takes reports on a map: whether a report waits for review before it is public
 * (default yes), what the public sees of its place, and the area the map shows. One row per space
 * that takes reports.
 */
export const mapReportSetup = pgTable('map_report_setup', {
	spaceId: integer('space_id')
		.primaryKey()
		.references(() => dialogueSpace.id, { onDelete: 'cascade' }),
	review: boolean('review').notNull().default(true),
	privacy: text('privacy').$type<LocationPrivacy>().notNull().default('grid'),
	gridMeters: smallint('grid_meters').notNull().default(500),
	/** Whether a photo is asked for. */
	askPhoto: boolean('ask_photo').notNull().default(true),
	/** The map's box [west, south, east, north]; points outside it are refused. */
	bbox: jsonb('bbox').$type<[number, number, number, number]>().notNull(),
	/** A Swedish municipality whose outline the map draws. */
	municipalityCode: text('municipality_code'),
	districts: jsonb('districts').$type<ReportDistrict[]>().notNull().default([]),
	/** The word an SMS starts with to become a report here ("DENGUE"), upper-case; none: no SMS. */
	smsKeyword: text('sms_keyword').unique()
});

/** What a report can be about in a space: standing water, a mosquito breeding site, waste … */
export const mapReportCategory = pgTable(
	'map_report_category',
	{
		id: serial('id').primaryKey(),
		spaceId: integer('space_id')
			.notNull()
			.references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		/** Stable in addresses, CSV and Open311's service_code. */
		key: text('key').notNull(),
		title: jsonb('title').$type<LocalizedText>().notNull(),
		description: jsonb('description').$type<LocalizedText>().notNull().default({}),
		position: smallint('position').notNull().default(0)
	},
	(t) => [uniqueIndex('map_report_category_key_idx').on(t.spaceId, t.key)]
);

/**
 * A resident's report. The exact point (`lat`, `lon`) is the space team's alone; the public sees
 * `publicLat`/`publicLon`, worked out once when the report is written (the centre of its grid
 * square, or its district's centre), so no public read can reach the exact point.
 * `clientId` is made by the phone that sends it: a report sent twice is stored once.
 */
export const mapReport = pgTable(
	'map_report',
	{
		id: serial('id').primaryKey(),
		spaceId: integer('space_id')
			.notNull()
			.references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		categoryId: integer('category_id')
			.notNull()
			.references(() => mapReportCategory.id),
		authorId: text('author_id').references(() => user.id, { onDelete: 'set null' }),
		clientId: text('client_id'),
		description: text('description').notNull(),
		language: text('language').notNull(),
		/** As the reporter wrote it: an address, a landmark. Public only when reviewed. */
		placeText: text('place_text'),
		district: text('district'),
		precision: text('precision').$type<ReportPrecision>().notNull(),
		lat: doublePrecision('lat'),
		lon: doublePrecision('lon'),
		publicLat: doublePrecision('public_lat'),
		publicLon: doublePrecision('public_lon'),
		mediaId: integer('media_id').references(() => media.id, { onDelete: 'set null' }),
		/** A report sent by SMS: the sender's number as a keyed hash (sms.ts), never the number. */
		smsSender: text('sms_sender'),
		status: text('status').$type<ReportStatus>().notNull().default('new'),
		/** Shown to everyone: at once where the space does not review, else once a team member has. */
		public: boolean('public').notNull(),
		/** The latest public note, shown in lists, and the language the team wrote it in. */
		note: text('note'),
		noteLanguage: text('note_language'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		firstAnsweredAt: timestamp('first_answered_at', { withTimezone: true }),
		resolvedAt: timestamp('resolved_at', { withTimezone: true })
	},
	(t) => [
		check('map_report_point_pair', sql`(${t.lat} is null) = (${t.lon} is null)`),
		uniqueIndex('map_report_client_idx').on(t.spaceId, t.clientId),
		// The public map groups the space's public reports by their (already coarse) point.
		index('map_report_public_map_idx').on(
			t.spaceId,
			t.public,
			t.publicLat,
			t.publicLon,
			t.categoryId,
			t.status
		),
		index('map_report_space_created_idx').on(t.spaceId, t.createdAt, t.id),
		index('map_report_space_status_idx').on(t.spaceId, t.status, t.createdAt),
		index('map_report_author_idx').on(t.authorId),
		index('map_report_media_idx').on(t.mediaId),
		index('map_report_sms_sender_idx')
			.on(t.smsSender)
			.where(sql`${t.smsSender} is not null`),
		index('map_report_category_idx').on(t.categoryId)
	]
);

/** A report's public history: each status with its note. */
export const mapReportEvent = pgTable(
	'map_report_event',
	{
		id: serial('id').primaryKey(),
		reportId: integer('report_id')
			.notNull()
			.references(() => mapReport.id, { onDelete: 'cascade' }),
		status: text('status').$type<ReportStatus>().notNull(),
		note: text('note'),
		/** The language the note is written in (the writer's interface language). */
		language: text('language'),
		/** Who took the step (never shown). */
		actorId: text('actor_id').references(() => user.id, { onDelete: 'set null' }),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('map_report_event_report_idx').on(t.reportId, t.at),
		index('map_report_event_actor_idx').on(t.actorId)
	]
);

/** Someone who follows a report hears of each status the team gives it (the reporter always does). */
export const mapReportFollow = pgTable(
	'map_report_follow',
	{
		reportId: integer('report_id')
			.notNull()
			.references(() => mapReport.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		/** The language of the page they followed from: their mails are in it. */
		language: text('language').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.reportId, t.userId] }), index('map_report_follow_user_idx').on(t.userId)]
);

/**
 * A key an Open311 client sends to create reports in one space (an app of the municipality's, a
 * partner's system). Only its SHA-256 is kept; the key itself is shown once, when it is made.
 */
export const open311Key = pgTable(
	'open311_key',
	{
		id: serial('id').primaryKey(),
		spaceId: integer('space_id')
			.notNull()
			.references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		/** Who uses it ("Ale's street app"). */
		name: text('name').notNull(),
		keyHash: text('key_hash').notNull().unique(),
		createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		revokedAt: timestamp('revoked_at', { withTimezone: true })
	},
	(t) => [index('open311_key_space_idx').on(t.spaceId), index('open311_key_created_by_idx').on(t.createdBy)]
);

/**
 * How many public reports stand at each public point, by category and status, and how many of
 * them are answered and resolved: kept by a trigger on `map_report` (migration 0031, as decision
 * 19 does for results), so that the public map and the space's figures read a few hundred rows
 * instead of every report. No application code writes it.
 */
export const mapReportCell = pgTable(
	'map_report_cell',
	{
		spaceId: integer('space_id')
			.notNull()
			.references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		/** Null for reports placed by words only: they count in the totals, not on the map. */
		publicLat: doublePrecision('public_lat'),
		publicLon: doublePrecision('public_lon'),
		categoryId: integer('category_id').notNull(),
		status: text('status').$type<ReportStatus>().notNull(),
		reports: integer('reports').notNull().default(0),
		answered: integer('answered').notNull().default(0),
		resolved: integer('resolved').notNull().default(0)
	},
	(t) => [
		unique('map_report_cell_key')
			.on(t.spaceId, t.publicLat, t.publicLon, t.categoryId, t.status)
			.nullsNotDistinct()
	]
);

/** Public reports by whole hours from report to first answer, per space (the median's histogram), kept by the same trigger. */
export const mapReportAnswerHours = pgTable(
	'map_report_answer_hours',
	{
		spaceId: integer('space_id')
			.notNull()
			.references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		hours: integer('hours').notNull(),
		reports: integer('reports').notNull().default(0)
	},
	(t) => [primaryKey({ columns: [t.spaceId, t.hours] })]
);
