ALTER TABLE "report_attachment" ADD COLUMN "title" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
-- Titles were kept in the library row's alt text; a document's row keeps none of its own.
UPDATE "report_attachment" SET "title" = "media"."alt" FROM "media" WHERE "media"."id" = "report_attachment"."media_id";--> statement-breakpoint
UPDATE "media" SET "alt" = '{}'::jsonb WHERE "kind" = 'document' AND "origin" = 'report';
