import {
	boolean,
	doublePrecision,
	index,
	jsonb,
	pgTable,
	primaryKey,
	serial,
	text,
	timestamp,
	integer,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { LocalizedText } from '../kernel/localized.ts';
import { foldedColumn, wordsColumn, wordsIndex } from '../kernel/fold.ts';
import { user } from '../accounts/schema.ts';

export { organizationKindValues as organizationKinds } from '../../partnership-values.ts';
export type OrganizationKind = (typeof organizationKindValues)[number];
import type { organizationKindValues } from '../../partnership-values.ts';

/** What the site's search looks in: the names in both languages. */
const searched = [`"name"->>'sv'`, `"name"->>'en'`];

/** A municipality, region, district council, agency … on either side of a partnership. */
export const organization = pgTable(
	'organization',
	{
		id: serial('id').primaryKey(),
		slug: text('slug').notNull().unique(),
		kind: text('kind').$type<OrganizationKind>().notNull(),
		name: jsonb('name').$type<LocalizedText>().notNull(),
		/** ISO 3166-1 alpha-2 (XK for Kosovo, as CLDR does). */
		country: text('country').notNull(),
		/** Swedish municipality (4 digits) or county/region (2 digits) code, where there is one. */
		municipalityCode: text('municipality_code'),
		/** The Swedish county (2 digits) a municipality or region belongs to. */
		county: text('county'),
		/** The 290 municipalities and 21 regions: loaded from data/geo, not edited here. */
		reference: boolean('reference').notNull().default(false),
		lat: doublePrecision('lat'),
		lon: doublePrecision('lon'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		/** The names without accents, for the site's search (kernel/fold.ts). */
		folded: text('folded')
			.notNull()
			.generatedAlwaysAs(foldedColumn(...searched)),
		words: wordsColumn(...searched)
	},
	(t) => [
		index('organization_country_idx').on(t.country),
		wordsIndex('organization_words_idx', t.words),
		index('organization_county_idx').on(t.county),
		index('organization_municipality_code_idx').on(t.municipalityCode)
	]
);

/** Who works for an organization on this platform (they may post its "find a partner" profile). */
export const organizationMember = pgTable(
	'organization_member',
	{
		organizationId: integer('organization_id')
			.notNull()
			.references(() => organization.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		/** An administrator of the organization: invites and removes its members. */
		admin: boolean('admin').notNull().default(false),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.organizationId, t.userId] }),
		index('organization_member_user_idx').on(t.userId)
	]
);

export const accessRequestStatuses = ['pending', 'approved', 'refused'] as const;
export type AccessRequestStatus = (typeof accessRequestStatuses)[number];

/**
 * Someone with an account asks to work for an organization on the platform: programme editors
 * approve (they become a member, perhaps its administrator) or refuse with a reason. An
 * organization not yet on the platform is named in `proposedName` until editors add it.
 */
export const organizationAccessRequest = pgTable(
	'organization_access_request',
	{
		id: serial('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		organizationId: integer('organization_id').references(() => organization.id, { onDelete: 'cascade' }),
		proposedName: text('proposed_name'),
		proposedCountry: text('proposed_country'),
		/** What they do there ("International coordinator"), for the editors deciding. */
		position: text('position').notNull(),
		message: text('message').notNull().default(''),
		status: text('status').$type<AccessRequestStatus>().notNull().default('pending'),
		/** Why it was refused, mailed to the person. */
		reason: text('reason'),
		decidedBy: text('decided_by').references(() => user.id, { onDelete: 'set null' }),
		decidedAt: timestamp('decided_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('organization_access_request_status_idx').on(t.status, t.createdAt),
		index('organization_access_request_user_idx').on(t.userId),
		// One open request a person at a time: a second would only be a duplicate in the queue.
		uniqueIndex('organization_access_request_pending_unique')
			.on(t.userId)
			.where(sql`${t.status} = 'pending'`),
		index('organization_access_request_decided_by_idx').on(t.decidedBy),
		index('organization_access_request_organization_idx').on(t.organizationId)
	]
);
