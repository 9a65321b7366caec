CREATE TABLE "map_report" (
	"id" serial PRIMARY KEY NOT NULL,
	"space_id" integer NOT NULL,
	"category_id" integer NOT NULL,
	"author_id" text,
	"client_id" text,
	"description" text NOT NULL,
	"language" text NOT NULL,
	"place_text" text,
	"district" text,
	"precision" text NOT NULL,
	"lat" double precision,
	"lon" double precision,
	"public_lat" double precision,
	"public_lon" double precision,
	"media_id" integer,
	"status" text DEFAULT 'new' NOT NULL,
	"public" boolean NOT NULL,
	"note" text,
	"note_language" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_answered_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "map_report_point_pair" CHECK (("map_report"."lat" is null) = ("map_report"."lon" is null))
);
--> statement-breakpoint
CREATE TABLE "map_report_category" (
	"id" serial PRIMARY KEY NOT NULL,
	"space_id" integer NOT NULL,
	"key" text NOT NULL,
	"title" jsonb NOT NULL,
	"description" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"position" smallint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "map_report_event" (
	"id" serial PRIMARY KEY NOT NULL,
	"report_id" integer NOT NULL,
	"status" text NOT NULL,
	"note" text,
	"language" text,
	"actor_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "map_report_setup" (
	"space_id" integer PRIMARY KEY NOT NULL,
	"review" boolean DEFAULT true NOT NULL,
	"privacy" text DEFAULT 'grid' NOT NULL,
	"grid_meters" smallint DEFAULT 500 NOT NULL,
	"ask_photo" boolean DEFAULT true NOT NULL,
	"bbox" jsonb NOT NULL,
	"municipality_code" text,
	"districts" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "open311_key" (
	"id" serial PRIMARY KEY NOT NULL,
	"space_id" integer NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "open311_key_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
ALTER TABLE "dialogue_space" ALTER COLUMN "requirements" SET DEFAULT '{"proposals":"verified-email","supports":"verified-email","comments":"verified-email","reports":"verified-email"}'::jsonb;--> statement-breakpoint
ALTER TABLE "map_report" ADD CONSTRAINT "map_report_space_id_dialogue_space_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."dialogue_space"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "map_report" ADD CONSTRAINT "map_report_category_id_map_report_category_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."map_report_category"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "map_report" ADD CONSTRAINT "map_report_author_id_user_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "map_report" ADD CONSTRAINT "map_report_media_id_media_id_fk" FOREIGN KEY ("media_id") REFERENCES "public"."media"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "map_report_category" ADD CONSTRAINT "map_report_category_space_id_dialogue_space_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."dialogue_space"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "map_report_event" ADD CONSTRAINT "map_report_event_report_id_map_report_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."map_report"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "map_report_event" ADD CONSTRAINT "map_report_event_actor_id_user_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "map_report_setup" ADD CONSTRAINT "map_report_setup_space_id_dialogue_space_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."dialogue_space"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open311_key" ADD CONSTRAINT "open311_key_space_id_dialogue_space_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."dialogue_space"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open311_key" ADD CONSTRAINT "open311_key_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "map_report_client_idx" ON "map_report" USING btree ("space_id","client_id");--> statement-breakpoint
CREATE INDEX "map_report_public_map_idx" ON "map_report" USING btree ("space_id","public","public_lat","public_lon","category_id","status");--> statement-breakpoint
CREATE INDEX "map_report_space_created_idx" ON "map_report" USING btree ("space_id","created_at","id");--> statement-breakpoint
CREATE INDEX "map_report_space_status_idx" ON "map_report" USING btree ("space_id","status","created_at");--> statement-breakpoint
CREATE INDEX "map_report_author_idx" ON "map_report" USING btree ("author_id");--> statement-breakpoint
CREATE INDEX "map_report_media_idx" ON "map_report" USING btree ("media_id");--> statement-breakpoint
CREATE UNIQUE INDEX "map_report_category_key_idx" ON "map_report_category" USING btree ("space_id","key");--> statement-breakpoint
CREATE INDEX "map_report_event_report_idx" ON "map_report_event" USING btree ("report_id","at");--> statement-breakpoint
CREATE INDEX "open311_key_space_idx" ON "open311_key" USING btree ("space_id");--> statement-breakpoint
-- Spaces made before reports existed ask of a reporter what they ask of a proposal's author.
UPDATE "dialogue_space" SET "requirements" = "requirements" || jsonb_build_object('reports', coalesce("requirements"->>'proposals', 'verified-email')) WHERE "requirements"->'reports' IS NULL;
