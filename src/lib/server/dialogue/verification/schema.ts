import { integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { user } from '../../accounts/schema.ts';
import { organization } from '../../organizations/schema.ts';

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
