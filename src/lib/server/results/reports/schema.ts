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
	timestamp,
	unique
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { LocalizedText } from '../../kernel/localized.ts';
import { partnership } from '../../partnerships/schema.ts';
import { theme } from '../../taxonomy/schema.ts';
import { user } from '../../accounts/schema.ts';
import { media } from '../../media/schema.ts';

// The yearly report of a partnership: written by a coordinator, approved by the coordinator on
// each side and then by the programme's staff; an approved year is locked until reopened with a
// reason. Its actual values are the framework's own figures for the periods of that year.

/** draft → submitted → approved (all three sides) or returned (with comments) → submitted … */
export const reportStatuses = ['draft', 'submitted', 'returned', 'approved'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

/** Who approves: the Swedish side's coordinator, the partner side's, then the programme. */
export const approvalSides = ['swedish', 'international', 'programme'] as const;
export type ApprovalSide = (typeof approvalSides)[number];

export const reportActions = ['created', 'submitted', 'approved', 'returned', 'reopened'] as const;
export type ReportAction = (typeof reportActions)[number];

export const annualReport = pgTable(
	'annual_report',
	{
		id: serial('id').primaryKey(),
		partnershipId: integer('partnership_id')
			.notNull()
			.references(() => partnership.id, { onDelete: 'cascade' }),
		year: smallint('year').notNull(),
		status: text('status').$type<ReportStatus>().notNull().default('draft'),
		/** What was learned, and the plans for next year (the report is written in English at least). */
		lessons: jsonb('lessons').$type<LocalizedText>().notNull().default({}),
		plans: jsonb('plans').$type<LocalizedText>().notNull().default({}),
		submittedAt: timestamp('submitted_at', { withTimezone: true }),
		approvedAt: timestamp('approved_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		unique('annual_report_year').on(t.partnershipId, t.year),
		index('annual_report_year_status_idx').on(t.year, t.status)
	]
);

/** The text and self-assessment per democratic principle. */
export const reportPrinciple = pgTable(
	'report_principle',
	{
		reportId: integer('report_id')
			.notNull()
			.references(() => annualReport.id, { onDelete: 'cascade' }),
		principle: text('principle')
			.notNull()
			.references(() => theme.key),
		text: jsonb('text').$type<LocalizedText>().notNull().default({}),
		/** 1 (weak) to 5 (strong), with its reasoning. */
		score: smallint('score'),
		reasoning: jsonb('reasoning').$type<LocalizedText>().notNull().default({})
	},
	(t) => [
		primaryKey({ columns: [t.reportId, t.principle] }),
		index('report_principle_principle_idx').on(t.principle, t.score),
		check('report_principle_score', sql`${t.score} is null or ${t.score} between 1 and 5`)
	]
);

/** A side's approval of the report as it stands (cleared when it is returned or reopened). */
export const reportApproval = pgTable(
	'report_approval',
	{
		reportId: integer('report_id')
			.notNull()
			.references(() => annualReport.id, { onDelete: 'cascade' }),
		side: text('side').$type<ApprovalSide>().notNull(),
		userId: text('user_id').references(() => user.id, { onDelete: 'set null' }),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.reportId, t.side] }), index('report_approval_user_idx').on(t.userId)]
);

/** The report's history: every step, with the comment or reason given. */
export const reportEvent = pgTable(
	'report_event',
	{
		id: serial('id').primaryKey(),
		reportId: integer('report_id')
			.notNull()
			.references(() => annualReport.id, { onDelete: 'cascade' }),
		action: text('action').$type<ReportAction>().notNull(),
		side: text('side').$type<ApprovalSide>(),
		userId: text('user_id').references(() => user.id, { onDelete: 'set null' }),
		comment: text('comment'),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('report_event_report_idx').on(t.reportId, t.at), index('report_event_user_idx').on(t.userId)]
);

export const reportAttachment = pgTable(
	'report_attachment',
	{
		reportId: integer('report_id')
			.notNull()
			.references(() => annualReport.id, { onDelete: 'cascade' }),
		mediaId: integer('media_id')
			.notNull()
			.references(() => media.id),
		/** Its title, in the language it was written in (a heading in the report's list). */
		title: jsonb('title').$type<LocalizedText>().notNull().default({}),
		position: smallint('position').notNull().default(0)
	},
	(t) => [
		primaryKey({ columns: [t.reportId, t.mediaId] }),
		index('report_attachment_media_idx').on(t.mediaId)
	]
);

/** When the reports of a year are due (the programme sets it; e.g. 31 March of the next year). */
export const reportDeadline = pgTable('report_deadline', {
	year: smallint('year').primaryKey(),
	due: date('due').notNull()
});

/** Reminder mails already written, so that each goes out once (through the outbox). */
export const reportReminder = pgTable(
	'report_reminder',
	{
		partnershipId: integer('partnership_id')
			.notNull()
			.references(() => partnership.id, { onDelete: 'cascade' }),
		year: smallint('year').notNull(),
		/** 'before' (some days before the date) or 'after' (overdue). */
		kind: text('kind').$type<'before' | 'after'>().notNull(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.partnershipId, t.year, t.kind] })]
);
