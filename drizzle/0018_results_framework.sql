CREATE TABLE "figure_dimension" (
	"figure_id" integer NOT NULL,
	"name" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "figure_dimension_figure_id_name_pk" PRIMARY KEY("figure_id","name")
);
--> statement-breakpoint
CREATE TABLE "indicator" (
	"id" serial PRIMARY KEY NOT NULL,
	"result_id" integer NOT NULL,
	"measure" text NOT NULL,
	"ascending" boolean DEFAULT true NOT NULL,
	"aggregation_status" boolean,
	"title" jsonb NOT NULL,
	"description" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"data_source" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"weight" numeric(8, 3),
	"position" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "indicator_weight_positive" CHECK ("indicator"."weight" is null or "indicator"."weight" > 0)
);
--> statement-breakpoint
CREATE TABLE "indicator_figure" (
	"id" serial PRIMARY KEY NOT NULL,
	"indicator_id" integer NOT NULL,
	"kind" text NOT NULL,
	"period_id" integer,
	"year" smallint,
	"iso_date" date,
	"value" text,
	"comment" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"position" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "indicator_figure_shape" CHECK (("indicator_figure"."kind" = 'baseline' and "indicator_figure"."period_id" is null and "indicator_figure"."year" is not null)
				or ("indicator_figure"."kind" <> 'baseline' and "indicator_figure"."period_id" is not null and "indicator_figure"."year" is null))
);
--> statement-breakpoint
CREATE TABLE "indicator_period" (
	"id" serial PRIMARY KEY NOT NULL,
	"indicator_id" integer NOT NULL,
	"start" date NOT NULL,
	"end" date NOT NULL,
	CONSTRAINT "indicator_period_dates" UNIQUE("indicator_id","start","end"),
	CONSTRAINT "indicator_period_order" CHECK ("indicator_period"."start" < "indicator_period"."end")
);
--> statement-breakpoint
CREATE TABLE "result" (
	"id" serial PRIMARY KEY NOT NULL,
	"partnership_id" integer NOT NULL,
	"parent_id" integer,
	"level" text NOT NULL,
	"principle" text,
	"title" jsonb NOT NULL,
	"description" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"aggregation_status" boolean,
	"weight" numeric(8, 3),
	"position" smallint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "result_weight_positive" CHECK ("result"."weight" is null or "result"."weight" > 0)
);
--> statement-breakpoint
CREATE TABLE "result_activity" (
	"id" serial PRIMARY KEY NOT NULL,
	"partnership_id" integer NOT NULL,
	"result_id" integer,
	"title" jsonb NOT NULL,
	"milestone" boolean DEFAULT false NOT NULL,
	"start" date,
	"end" date NOT NULL,
	"done" boolean DEFAULT false NOT NULL,
	CONSTRAINT "result_activity_order" CHECK ("result_activity"."start" is null or "result_activity"."start" <= "result_activity"."end")
);
--> statement-breakpoint
CREATE TABLE "result_goal" (
	"result_id" integer NOT NULL,
	"goal" smallint NOT NULL,
	CONSTRAINT "result_goal_result_id_goal_pk" PRIMARY KEY("result_id","goal")
);
--> statement-breakpoint
CREATE TABLE "result_target" (
	"result_id" integer NOT NULL,
	"target" text NOT NULL,
	CONSTRAINT "result_target_result_id_target_pk" PRIMARY KEY("result_id","target")
);
--> statement-breakpoint
ALTER TABLE "figure_dimension" ADD CONSTRAINT "figure_dimension_figure_id_indicator_figure_id_fk" FOREIGN KEY ("figure_id") REFERENCES "public"."indicator_figure"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator" ADD CONSTRAINT "indicator_result_id_result_id_fk" FOREIGN KEY ("result_id") REFERENCES "public"."result"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_figure" ADD CONSTRAINT "indicator_figure_indicator_id_indicator_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicator"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_figure" ADD CONSTRAINT "indicator_figure_period_id_indicator_period_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."indicator_period"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_period" ADD CONSTRAINT "indicator_period_indicator_id_indicator_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicator"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result" ADD CONSTRAINT "result_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result" ADD CONSTRAINT "result_parent_id_result_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."result"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result" ADD CONSTRAINT "result_principle_theme_key_fk" FOREIGN KEY ("principle") REFERENCES "public"."theme"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_activity" ADD CONSTRAINT "result_activity_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_activity" ADD CONSTRAINT "result_activity_result_id_result_id_fk" FOREIGN KEY ("result_id") REFERENCES "public"."result"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_goal" ADD CONSTRAINT "result_goal_result_id_result_id_fk" FOREIGN KEY ("result_id") REFERENCES "public"."result"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_goal" ADD CONSTRAINT "result_goal_goal_sdg_goal_number_fk" FOREIGN KEY ("goal") REFERENCES "public"."sdg_goal"("number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_target" ADD CONSTRAINT "result_target_result_id_result_id_fk" FOREIGN KEY ("result_id") REFERENCES "public"."result"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_target" ADD CONSTRAINT "result_target_target_sdg_target_code_fk" FOREIGN KEY ("target") REFERENCES "public"."sdg_target"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "indicator_result_idx" ON "indicator" USING btree ("result_id","position");--> statement-breakpoint
CREATE INDEX "indicator_figure_indicator_idx" ON "indicator_figure" USING btree ("indicator_id","kind");--> statement-breakpoint
CREATE INDEX "indicator_figure_period_idx" ON "indicator_figure" USING btree ("period_id");--> statement-breakpoint
CREATE INDEX "result_partnership_idx" ON "result" USING btree ("partnership_id","position");--> statement-breakpoint
CREATE INDEX "result_parent_idx" ON "result" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "result_principle_idx" ON "result" USING btree ("principle");--> statement-breakpoint
CREATE INDEX "result_activity_partnership_idx" ON "result_activity" USING btree ("partnership_id","end");--> statement-breakpoint
CREATE INDEX "result_goal_goal_idx" ON "result_goal" USING btree ("goal");--> statement-breakpoint
CREATE INDEX "result_target_target_idx" ON "result_target" USING btree ("target");