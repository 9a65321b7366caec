CREATE TABLE "annual_report" (
	"id" serial PRIMARY KEY NOT NULL,
	"partnership_id" integer NOT NULL,
	"year" smallint NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"lessons" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"plans" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"submitted_at" timestamp with time zone,
	"approved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "annual_report_year" UNIQUE("partnership_id","year")
);
--> statement-breakpoint
CREATE TABLE "report_approval" (
	"report_id" integer NOT NULL,
	"side" text NOT NULL,
	"user_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_approval_report_id_side_pk" PRIMARY KEY("report_id","side")
);
--> statement-breakpoint
CREATE TABLE "report_attachment" (
	"report_id" integer NOT NULL,
	"media_id" integer NOT NULL,
	"position" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "report_attachment_report_id_media_id_pk" PRIMARY KEY("report_id","media_id")
);
--> statement-breakpoint
CREATE TABLE "report_deadline" (
	"year" smallint PRIMARY KEY NOT NULL,
	"due" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_event" (
	"id" serial PRIMARY KEY NOT NULL,
	"report_id" integer NOT NULL,
	"action" text NOT NULL,
	"side" text,
	"user_id" text,
	"comment" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_principle" (
	"report_id" integer NOT NULL,
	"principle" text NOT NULL,
	"text" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"score" smallint,
	"reasoning" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "report_principle_report_id_principle_pk" PRIMARY KEY("report_id","principle"),
	CONSTRAINT "report_principle_score" CHECK ("report_principle"."score" is null or "report_principle"."score" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "report_reminder" (
	"partnership_id" integer NOT NULL,
	"year" smallint NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_reminder_partnership_id_year_kind_pk" PRIMARY KEY("partnership_id","year","kind")
);
--> statement-breakpoint
ALTER TABLE "annual_report" ADD CONSTRAINT "annual_report_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_approval" ADD CONSTRAINT "report_approval_report_id_annual_report_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."annual_report"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_approval" ADD CONSTRAINT "report_approval_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_attachment" ADD CONSTRAINT "report_attachment_report_id_annual_report_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."annual_report"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_attachment" ADD CONSTRAINT "report_attachment_media_id_media_id_fk" FOREIGN KEY ("media_id") REFERENCES "public"."media"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_event" ADD CONSTRAINT "report_event_report_id_annual_report_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."annual_report"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_event" ADD CONSTRAINT "report_event_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_principle" ADD CONSTRAINT "report_principle_report_id_annual_report_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."annual_report"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_principle" ADD CONSTRAINT "report_principle_principle_theme_key_fk" FOREIGN KEY ("principle") REFERENCES "public"."theme"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_reminder" ADD CONSTRAINT "report_reminder_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "annual_report_year_status_idx" ON "annual_report" USING btree ("year","status");--> statement-breakpoint
CREATE INDEX "report_event_report_idx" ON "report_event" USING btree ("report_id","at");--> statement-breakpoint
CREATE INDEX "report_principle_principle_idx" ON "report_principle" USING btree ("principle","score");