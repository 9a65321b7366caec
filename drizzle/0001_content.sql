CREATE TABLE "sdg_goal" (
	"number" smallint PRIMARY KEY NOT NULL,
	"colour" text NOT NULL,
	"short_name" jsonb NOT NULL,
	"title" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sdg_target" (
	"code" text PRIMARY KEY NOT NULL,
	"goal" smallint NOT NULL,
	"position" integer NOT NULL,
	"text" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organization" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"kind" text NOT NULL,
	"name" jsonb NOT NULL,
	"country" text NOT NULL,
	"municipality_code" text,
	"lat" double precision,
	"lon" double precision,
	CONSTRAINT "organization_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "partnership" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"status" text NOT NULL,
	"start_year" smallint,
	"end_year" smallint,
	"summary" jsonb NOT NULL,
	CONSTRAINT "partnership_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "partnership_member" (
	"partnership_id" integer NOT NULL,
	"organization_id" integer NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "partnership_member_partnership_id_organization_id_pk" PRIMARY KEY("partnership_id","organization_id")
);
--> statement-breakpoint
CREATE TABLE "article" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"published_at" timestamp with time zone,
	"partnership_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "article_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "article_country" (
	"article_id" integer NOT NULL,
	"country" text NOT NULL,
	CONSTRAINT "article_country_article_id_country_pk" PRIMARY KEY("article_id","country")
);
--> statement-breakpoint
CREATE TABLE "article_goal" (
	"article_id" integer NOT NULL,
	"goal" smallint NOT NULL,
	CONSTRAINT "article_goal_article_id_goal_pk" PRIMARY KEY("article_id","goal")
);
--> statement-breakpoint
CREATE TABLE "article_organization" (
	"article_id" integer NOT NULL,
	"organization_id" integer NOT NULL,
	CONSTRAINT "article_organization_article_id_organization_id_pk" PRIMARY KEY("article_id","organization_id")
);
--> statement-breakpoint
CREATE TABLE "article_target" (
	"article_id" integer NOT NULL,
	"target" text NOT NULL,
	CONSTRAINT "article_target_article_id_target_pk" PRIMARY KEY("article_id","target")
);
--> statement-breakpoint
CREATE TABLE "article_theme" (
	"article_id" integer NOT NULL,
	"theme_key" text NOT NULL,
	"position" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "article_theme_article_id_theme_key_pk" PRIMARY KEY("article_id","theme_key")
);
--> statement-breakpoint
CREATE TABLE "article_translation" (
	"article_id" integer NOT NULL,
	"lang" text NOT NULL,
	"title" text NOT NULL,
	"teaser" text NOT NULL,
	"body" text NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector(CASE lang WHEN 'sv' THEN 'swedish'::regconfig WHEN 'en' THEN 'english'::regconfig ELSE 'simple'::regconfig END, title), 'A') || setweight(to_tsvector(CASE lang WHEN 'sv' THEN 'swedish'::regconfig WHEN 'en' THEN 'english'::regconfig ELSE 'simple'::regconfig END, teaser), 'B') || setweight(to_tsvector(CASE lang WHEN 'sv' THEN 'swedish'::regconfig WHEN 'en' THEN 'english'::regconfig ELSE 'simple'::regconfig END, body), 'C')) STORED NOT NULL,
	CONSTRAINT "article_translation_article_id_lang_pk" PRIMARY KEY("article_id","lang")
);
--> statement-breakpoint
CREATE TABLE "theme" (
	"key" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" jsonb NOT NULL,
	"description" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sdg_target" ADD CONSTRAINT "sdg_target_goal_sdg_goal_number_fk" FOREIGN KEY ("goal") REFERENCES "public"."sdg_goal"("number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnership_member" ADD CONSTRAINT "partnership_member_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnership_member" ADD CONSTRAINT "partnership_member_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "article" ADD CONSTRAINT "article_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "article_country" ADD CONSTRAINT "article_country_article_id_article_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."article"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "article_goal" ADD CONSTRAINT "article_goal_article_id_article_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."article"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "article_goal" ADD CONSTRAINT "article_goal_goal_sdg_goal_number_fk" FOREIGN KEY ("goal") REFERENCES "public"."sdg_goal"("number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "article_organization" ADD CONSTRAINT "article_organization_article_id_article_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."article"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "article_organization" ADD CONSTRAINT "article_organization_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "article_target" ADD CONSTRAINT "article_target_article_id_article_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."article"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "article_target" ADD CONSTRAINT "article_target_target_sdg_target_code_fk" FOREIGN KEY ("target") REFERENCES "public"."sdg_target"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "article_theme" ADD CONSTRAINT "article_theme_article_id_article_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."article"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "article_theme" ADD CONSTRAINT "article_theme_theme_key_theme_key_fk" FOREIGN KEY ("theme_key") REFERENCES "public"."theme"("key") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "article_translation" ADD CONSTRAINT "article_translation_article_id_article_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."article"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sdg_target_goal_idx" ON "sdg_target" USING btree ("goal","position");--> statement-breakpoint
CREATE INDEX "organization_country_idx" ON "organization" USING btree ("country");--> statement-breakpoint
CREATE INDEX "article_published_idx" ON "article" USING btree ("status","published_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "article_country_country_idx" ON "article_country" USING btree ("country","article_id");--> statement-breakpoint
CREATE INDEX "article_goal_goal_idx" ON "article_goal" USING btree ("goal","article_id");--> statement-breakpoint
CREATE INDEX "article_organization_org_idx" ON "article_organization" USING btree ("organization_id","article_id");--> statement-breakpoint
CREATE INDEX "article_target_target_idx" ON "article_target" USING btree ("target","article_id");--> statement-breakpoint
CREATE INDEX "article_theme_theme_idx" ON "article_theme" USING btree ("theme_key","article_id");--> statement-breakpoint
CREATE INDEX "article_translation_search_idx" ON "article_translation" USING gin ("search");--> statement-breakpoint
CREATE INDEX "article_translation_lang_idx" ON "article_translation" USING btree ("lang","article_id");