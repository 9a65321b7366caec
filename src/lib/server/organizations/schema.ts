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
	integer
} from 'drizzle-orm/pg-core';
import type { LocalizedText } from '../kernel/localized.ts';
import { user } from '../accounts/schema.ts';

export { organizationKindValues as organizationKinds } from '../../partnership-values.ts';
export type OrganizationKind = (typeof organizationKindValues)[number];
import type { organizationKindValues } from '../../partnership-values.ts';

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
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('organization_country_idx').on(t.country),
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
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.organizationId, t.userId] }),
		index('organization_member_user_idx').on(t.userId)
	]
);
