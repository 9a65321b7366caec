DROP INDEX "media_created_idx";--> statement-breakpoint
ALTER TABLE "media" ADD COLUMN "origin" text DEFAULT 'library' NOT NULL;--> statement-breakpoint
CREATE INDEX "media_created_idx" ON "media" USING btree ("origin","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
-- Photos already attached to proposals were participants' photos: out of the staff's library.
UPDATE "media" SET "origin" = 'proposal' WHERE "id" IN (SELECT "media_id" FROM "proposal" WHERE "media_id" IS NOT NULL);
