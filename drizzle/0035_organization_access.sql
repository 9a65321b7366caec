CREATE TABLE "organization_access_request" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"organization_id" integer,
	"proposed_name" text,
	"proposed_country" text,
	"position" text NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organization_member" ADD COLUMN "admin" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "organization_access_request" ADD CONSTRAINT "organization_access_request_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_access_request" ADD CONSTRAINT "organization_access_request_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_access_request" ADD CONSTRAINT "organization_access_request_decided_by_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organization_access_request_status_idx" ON "organization_access_request" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "organization_access_request_user_idx" ON "organization_access_request" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "organization_access_request_pending_unique" ON "organization_access_request" USING btree ("user_id") WHERE "organization_access_request"."status" = 'pending';--> statement-breakpoint
-- Until now only programme staff added members (from the command line): each was their organization's contact.
UPDATE "organization_member" SET "admin" = true;