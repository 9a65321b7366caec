CREATE TABLE "analysis_quote" (
	"year" smallint NOT NULL,
	"report_id" integer NOT NULL,
	"principle" text NOT NULL,
	"excerpt" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"position" smallint DEFAULT 0 NOT NULL,
	"chosen_by" text,
	"chosen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "analysis_quote_year_report_id_principle_pk" PRIMARY KEY("year","report_id","principle")
);
--> statement-breakpoint
CREATE TABLE "analysis_version" (
	"id" serial PRIMARY KEY NOT NULL,
	"year" smallint NOT NULL,
	"version" smallint NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_by" text,
	"snapshot" jsonb NOT NULL,
	CONSTRAINT "analysis_version_year_version" UNIQUE("year","version")
);
--> statement-breakpoint
ALTER TABLE "analysis_quote" ADD CONSTRAINT "analysis_quote_report_id_annual_report_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."annual_report"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_quote" ADD CONSTRAINT "analysis_quote_principle_theme_key_fk" FOREIGN KEY ("principle") REFERENCES "public"."theme"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_quote" ADD CONSTRAINT "analysis_quote_chosen_by_user_id_fk" FOREIGN KEY ("chosen_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_version" ADD CONSTRAINT "analysis_version_published_by_user_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "analysis_quote_report_idx" ON "analysis_quote" USING btree ("report_id");