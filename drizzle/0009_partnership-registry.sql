CREATE TABLE "organization_member" (
	"organization_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organization_member_organization_id_user_id_pk" PRIMARY KEY("organization_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "partnership_access" (
	"partnership_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "partnership_access_partnership_id_user_id_pk" PRIMARY KEY("partnership_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "partnership_document" (
	"partnership_id" integer NOT NULL,
	"media_id" integer NOT NULL,
	"title" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"position" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "partnership_document_partnership_id_media_id_pk" PRIMARY KEY("partnership_id","media_id")
);
--> statement-breakpoint
CREATE TABLE "partnership_goal" (
	"partnership_id" integer NOT NULL,
	"goal" smallint NOT NULL,
	CONSTRAINT "partnership_goal_partnership_id_goal_pk" PRIMARY KEY("partnership_id","goal")
);
--> statement-breakpoint
CREATE TABLE "partnership_phase" (
	"partnership_id" integer NOT NULL,
	"phase" text NOT NULL,
	"from_year" smallint NOT NULL,
	"to_year" smallint,
	CONSTRAINT "partnership_phase_partnership_id_phase_pk" PRIMARY KEY("partnership_id","phase")
);
--> statement-breakpoint
CREATE TABLE "partnership_target" (
	"partnership_id" integer NOT NULL,
	"target" text NOT NULL,
	CONSTRAINT "partnership_target_partnership_id_target_pk" PRIMARY KEY("partnership_id","target")
);
--> statement-breakpoint
CREATE TABLE "partnership_team_member" (
	"id" serial PRIMARY KEY NOT NULL,
	"partnership_id" integer NOT NULL,
	"side" text NOT NULL,
	"role" text NOT NULL,
	"name" text NOT NULL,
	"title" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"position" smallint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partnership_theme" (
	"partnership_id" integer NOT NULL,
	"theme_key" text NOT NULL,
	CONSTRAINT "partnership_theme_partnership_id_theme_key_pk" PRIMARY KEY("partnership_id","theme_key")
);
--> statement-breakpoint
CREATE TABLE "contact_request" (
	"id" serial PRIMARY KEY NOT NULL,
	"profile_id" integer NOT NULL,
	"from_user_id" text,
	"from_organization_id" integer,
	"message" text NOT NULL,
	"reply_token_hash" text NOT NULL,
	"status" text DEFAULT 'sent' NOT NULL,
	"report_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone,
	"reported_at" timestamp with time zone,
	CONSTRAINT "contact_request_reply_token_hash_unique" UNIQUE("reply_token_hash")
);
--> statement-breakpoint
CREATE TABLE "partner_profile" (
	"id" serial PRIMARY KEY NOT NULL,
	"organization_id" integer NOT NULL,
	"themes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"goals" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"targets" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"regions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"languages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"offer" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"seek" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"contact_name" text NOT NULL,
	"contact_email" text NOT NULL,
	"contact_user_id" text,
	"status" text DEFAULT 'active' NOT NULL,
	"moderation_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"renewed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "partner_profile_organization_id_unique" UNIQUE("organization_id")
);
--> statement-breakpoint
ALTER TABLE "organization" ADD COLUMN "county" text;--> statement-breakpoint
ALTER TABLE "organization" ADD COLUMN "reference" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "organization" ADD COLUMN "created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "partnership" ADD COLUMN "description" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "partnership" ADD COLUMN "created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "partnership" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "organization_member" ADD CONSTRAINT "organization_member_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_member" ADD CONSTRAINT "organization_member_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnership_access" ADD CONSTRAINT "partnership_access_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnership_access" ADD CONSTRAINT "partnership_access_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnership_document" ADD CONSTRAINT "partnership_document_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnership_document" ADD CONSTRAINT "partnership_document_media_id_media_id_fk" FOREIGN KEY ("media_id") REFERENCES "public"."media"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnership_goal" ADD CONSTRAINT "partnership_goal_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnership_goal" ADD CONSTRAINT "partnership_goal_goal_sdg_goal_number_fk" FOREIGN KEY ("goal") REFERENCES "public"."sdg_goal"("number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnership_phase" ADD CONSTRAINT "partnership_phase_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnership_target" ADD CONSTRAINT "partnership_target_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnership_target" ADD CONSTRAINT "partnership_target_target_sdg_target_code_fk" FOREIGN KEY ("target") REFERENCES "public"."sdg_target"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnership_team_member" ADD CONSTRAINT "partnership_team_member_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnership_theme" ADD CONSTRAINT "partnership_theme_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_request" ADD CONSTRAINT "contact_request_profile_id_partner_profile_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."partner_profile"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_request" ADD CONSTRAINT "contact_request_from_user_id_user_id_fk" FOREIGN KEY ("from_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_request" ADD CONSTRAINT "contact_request_from_organization_id_organization_id_fk" FOREIGN KEY ("from_organization_id") REFERENCES "public"."organization"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_profile" ADD CONSTRAINT "partner_profile_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_profile" ADD CONSTRAINT "partner_profile_contact_user_id_user_id_fk" FOREIGN KEY ("contact_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organization_member_user_idx" ON "organization_member" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "partnership_access_user_idx" ON "partnership_access" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "partnership_goal_goal_idx" ON "partnership_goal" USING btree ("goal","partnership_id");--> statement-breakpoint
CREATE INDEX "partnership_target_target_idx" ON "partnership_target" USING btree ("target","partnership_id");--> statement-breakpoint
CREATE INDEX "partnership_team_partnership_idx" ON "partnership_team_member" USING btree ("partnership_id");--> statement-breakpoint
CREATE INDEX "partnership_theme_theme_idx" ON "partnership_theme" USING btree ("theme_key","partnership_id");--> statement-breakpoint
CREATE INDEX "contact_request_profile_idx" ON "contact_request" USING btree ("profile_id");--> statement-breakpoint
CREATE INDEX "contact_request_from_idx" ON "contact_request" USING btree ("from_user_id","created_at");--> statement-breakpoint
CREATE INDEX "partner_profile_listing_idx" ON "partner_profile" USING btree ("status","expires_at");--> statement-breakpoint
CREATE INDEX "organization_county_idx" ON "organization" USING btree ("county");--> statement-breakpoint
CREATE INDEX "organization_municipality_code_idx" ON "organization" USING btree ("municipality_code");--> statement-breakpoint
CREATE INDEX "partnership_status_idx" ON "partnership" USING btree ("status");--> statement-breakpoint
CREATE INDEX "partnership_member_org_idx" ON "partnership_member" USING btree ("organization_id","partnership_id");