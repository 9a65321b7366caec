import { index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import type { LocalizedText } from '../kernel/localized.ts';
import { wordsColumn, wordsIndex } from '../kernel/fold.ts';
import { organization } from '../organizations/schema.ts';
import { user } from '../accounts/schema.ts';

export const profileStatuses = ['active', 'hidden'] as const;
export type ProfileStatus = (typeof profileStatuses)[number];

/** What the site's search looks in: what a profile offers and seeks, in both languages. */
const searched = [`"offer"->>'sv'`, `"offer"->>'en'`, `"seek"->>'sv'`, `"seek"->>'en'`];

/**
 * "Looking for a partner": an organization's profile. It expires twelve months after it was last
 * renewed; editors can hide it. The contact address is never shown: requests go by mail.
 */
export const partnerProfile = pgTable(
	'partner_profile',
	{
		id: serial('id').primaryKey(),
		organizationId: integer('organization_id')
			.notNull()
			.unique()
			.references(() => organization.id, { onDelete: 'cascade' }),
		themes: jsonb('themes').$type<string[]>().notNull().default([]),
		goals: jsonb('goals').$type<number[]>().notNull().default([]),
		targets: jsonb('targets').$type<string[]>().notNull().default([]),
		/** Countries (ISO 3166-1 alpha-2) or world regions ("africa", "asia" …) of interest. */
		regions: jsonb('regions').$type<string[]>().notNull().default([]),
		/** Working languages (ISO 639-1). */
		languages: jsonb('languages').$type<string[]>().notNull().default([]),
		offer: jsonb('offer').$type<LocalizedText>().notNull().default({}),
		seek: jsonb('seek').$type<LocalizedText>().notNull().default({}),
		contactName: text('contact_name').notNull(),
		contactEmail: text('contact_email').notNull(),
		contactUserId: text('contact_user_id').references(() => user.id, { onDelete: 'set null' }),
		status: text('status').$type<ProfileStatus>().notNull().default('active'),
		moderationNote: text('moderation_note'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		renewedAt: timestamp('renewed_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		/** The words of what it offers and seeks, both languages, without accents: the site's search (kernel/fold.ts). */
		words: wordsColumn(...searched)
	},
	(t) => [
		index('partner_profile_listing_idx').on(t.status, t.expiresAt),
		wordsIndex('partner_profile_words_idx', t.words),
		index('partner_profile_contact_user_idx').on(t.contactUserId)
	]
);

export const contactStatuses = ['sent', 'answered', 'reported'] as const;
export type ContactStatus = (typeof contactStatuses)[number];

/** A message from one organization's staff to a profile, relayed by mail. */
export const contactRequest = pgTable(
	'contact_request',
	{
		id: serial('id').primaryKey(),
		profileId: integer('profile_id')
			.notNull()
			.references(() => partnerProfile.id, { onDelete: 'cascade' }),
		fromUserId: text('from_user_id').references(() => user.id, { onDelete: 'set null' }),
		fromOrganizationId: integer('from_organization_id').references(() => organization.id, {
			onDelete: 'set null'
		}),
		message: text('message').notNull(),
		/** SHA-256 of the one-time token in the mailed answer link. */
		replyTokenHash: text('reply_token_hash').notNull().unique(),
		status: text('status').$type<ContactStatus>().notNull().default('sent'),
		reportReason: text('report_reason'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		answeredAt: timestamp('answered_at', { withTimezone: true }),
		reportedAt: timestamp('reported_at', { withTimezone: true })
	},
	(t) => [
		index('contact_request_profile_idx').on(t.profileId),
		index('contact_request_from_idx').on(t.fromUserId, t.createdAt),
		index('contact_request_from_organization_idx').on(t.fromOrganizationId)
	]
);
