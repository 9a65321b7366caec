import { index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import type { LocalizedText } from '../kernel/localized.ts';
import { user } from '../accounts/schema.ts';

export const mediaKinds = ['image', 'document'] as const;
export type MediaKind = (typeof mediaKinds)[number];

/**
 * Where a file came from: the staff's library (listed, usable in articles), a participant's
 * proposal photo (served only as the proposal allows, never offered to editors), an attachment
 * to a partnership's yearly report (served only as the report allows, never offered to editors),
 * or the photo of a resident's report on a map (served only as that report allows, likewise).
 */
export const mediaOrigins = ['library', 'proposal', 'report', 'map-report'] as const;
export type MediaOrigin = (typeof mediaOrigins)[number];

/**
 * An uploaded file. Its bytes live in the store (local disk or S3) under `storageKey`, a random
 * name the server made; the uploader's file name is kept only as a cleaned-up download name.
 */
export const media = pgTable(
	'media',
	{
		id: serial('id').primaryKey(),
		kind: text('kind').$type<MediaKind>().notNull(),
		storageKey: text('storage_key').notNull().unique(),
		/** The type found in the bytes: image/jpeg, image/png, image/webp or application/pdf. */
		mime: text('mime').notNull(),
		bytes: integer('bytes').notNull(),
		width: integer('width'),
		height: integer('height'),
		/** Widths (px) of the responsive WebP versions that exist. */
		variants: jsonb('variants').$type<number[]>().notNull().default([]),
		/** A safe file name for downloads ("arsrapport-2024.pdf"). */
		fileName: text('file_name').notNull(),
		/** Alt text per language; an image is usable in a language only once it has one. */
		alt: jsonb('alt').$type<LocalizedText>().notNull().default({}),
		origin: text('origin').$type<MediaOrigin>().notNull().default('library'),
		createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('media_created_idx').on(t.origin, t.createdAt.desc(), t.id.desc()),
		index('media_created_by_idx').on(t.createdBy)
	]
);
