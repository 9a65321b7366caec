ALTER TABLE "article" ADD COLUMN "lead_image_id" integer;--> statement-breakpoint
ALTER TABLE "partnership" ADD COLUMN "lead_image_id" integer;--> statement-breakpoint
ALTER TABLE "article" ADD CONSTRAINT "article_lead_image_id_media_id_fk" FOREIGN KEY ("lead_image_id") REFERENCES "public"."media"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnership" ADD CONSTRAINT "partnership_lead_image_id_media_id_fk" FOREIGN KEY ("lead_image_id") REFERENCES "public"."media"("id") ON DELETE set null ON UPDATE no action;