import { integer, jsonb, pgTable, primaryKey, serial, smallint, text } from 'drizzle-orm/pg-core';
import type { LocalizedText } from '../core/localized.ts';
import { organization } from '../organizations/schema.ts';

export const partnershipStatuses = ['inception', 'active', 'completed'] as const;
export type PartnershipStatus = (typeof partnershipStatuses)[number];

/** A Swedish municipality or region working with a local government abroad. */
export const partnership = pgTable('partnership', {
	id: serial('id').primaryKey(),
	slug: text('slug').notNull().unique(),
	status: text('status').$type<PartnershipStatus>().notNull(),
	startYear: smallint('start_year'),
	endYear: smallint('end_year'),
	summary: jsonb('summary').$type<LocalizedText>().notNull()
});

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
	(t) => [primaryKey({ columns: [t.partnershipId, t.organizationId] })]
);
