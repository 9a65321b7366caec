ALTER TABLE "map_report" ADD COLUMN "sms_sender" text;--> statement-breakpoint
ALTER TABLE "map_report_setup" ADD COLUMN "sms_keyword" text;--> statement-breakpoint
CREATE INDEX "map_report_sms_sender_idx" ON "map_report" USING btree ("sms_sender") WHERE "map_report"."sms_sender" is not null;--> statement-breakpoint
ALTER TABLE "map_report_setup" ADD CONSTRAINT "map_report_setup_sms_keyword_unique" UNIQUE("sms_keyword");