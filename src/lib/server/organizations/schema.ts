import { doublePrecision, jsonb, pgTable, serial, text, index } from 'drizzle-orm/pg-core';
import type { LocalizedText } from '../core/localized.ts';

export const organizationKinds = [
	'municipality',
	'region',
	'district',
	'agency',
	'ngo',
	'museum',
	'research',
	'other'
] as const;
export type OrganizationKind = (typeof organizationKinds)[number];

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
		lat: doublePrecision('lat'),
		lon: doublePrecision('lon')
	},
	(t) => [index('organization_country_idx').on(t.country)]
);
