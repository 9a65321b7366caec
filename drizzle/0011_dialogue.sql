CREATE TABLE "answer_template" (
	"id" serial PRIMARY KEY NOT NULL,
	"space_id" integer NOT NULL,
	"name" text NOT NULL,
	"state" text NOT NULL,
	"text" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dialogue_block" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"space_id" integer,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dialogue_comment" (
	"id" serial PRIMARY KEY NOT NULL,
	"space_id" integer NOT NULL,
	"proposal_id" integer,
	"parent_id" integer,
	"root_id" integer,
	"depth" smallint DEFAULT 0 NOT NULL,
	"author_id" text,
	"body" text NOT NULL,
	"stance" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"edited_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"hidden" boolean DEFAULT false NOT NULL,
	"hidden_reason" text
);
--> statement-breakpoint
CREATE TABLE "dialogue_flag" (
	"id" serial PRIMARY KEY NOT NULL,
	"space_id" integer NOT NULL,
	"proposal_id" integer,
	"comment_id" integer,
	"user_id" text NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "dialogue_flag_one_target" CHECK (("dialogue_flag"."proposal_id" is null) <> ("dialogue_flag"."comment_id" is null))
);
--> statement-breakpoint
CREATE TABLE "dialogue_goal" (
	"space_id" integer NOT NULL,
	"goal" smallint NOT NULL,
	CONSTRAINT "dialogue_goal_space_id_goal_pk" PRIMARY KEY("space_id","goal")
);
--> statement-breakpoint
CREATE TABLE "dialogue_phase" (
	"space_id" integer NOT NULL,
	"position" smallint NOT NULL,
	"kind" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"opens" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "dialogue_phase_space_id_position_pk" PRIMARY KEY("space_id","position")
);
--> statement-breakpoint
CREATE TABLE "dialogue_space" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"organization_id" integer,
	"partnership_id" integer,
	"title" jsonb NOT NULL,
	"description" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"languages" jsonb DEFAULT '["sv"]'::jsonb NOT NULL,
	"participation_level" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"moderation" text DEFAULT 'post' NOT NULL,
	"requirements" jsonb DEFAULT '{"proposals":"verified-email","supports":"verified-email","comments":"verified-email"}'::jsonb NOT NULL,
	"support_threshold" integer DEFAULT 50 NOT NULL,
	"support_window_days" smallint DEFAULT 90 NOT NULL,
	"answer_days" smallint DEFAULT 183 NOT NULL,
	"flags_to_hide" smallint DEFAULT 3 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dialogue_space_slug_unique" UNIQUE("slug"),
	CONSTRAINT "dialogue_space_one_owner" CHECK (("dialogue_space"."organization_id" is null) <> ("dialogue_space"."partnership_id" is null))
);
--> statement-breakpoint
CREATE TABLE "dialogue_target" (
	"space_id" integer NOT NULL,
	"target" text NOT NULL,
	CONSTRAINT "dialogue_target_space_id_target_pk" PRIMARY KEY("space_id","target")
);
--> statement-breakpoint
CREATE TABLE "dialogue_team" (
	"space_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "dialogue_team_space_id_user_id_role_pk" PRIMARY KEY("space_id","user_id","role")
);
--> statement-breakpoint
CREATE TABLE "dialogue_theme" (
	"space_id" integer NOT NULL,
	"theme_key" text NOT NULL,
	CONSTRAINT "dialogue_theme_space_id_theme_key_pk" PRIMARY KEY("space_id","theme_key")
);
--> statement-breakpoint
CREATE TABLE "proposal" (
	"id" serial PRIMARY KEY NOT NULL,
	"space_id" integer NOT NULL,
	"author_id" text,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"language" text NOT NULL,
	"place_name" text,
	"lat" double precision,
	"lon" double precision,
	"media_id" integer,
	"status" text NOT NULL,
	"answer_state" text,
	"support_count" integer DEFAULT 0 NOT NULL,
	"comment_count" integer DEFAULT 0 NOT NULL,
	"collect_until" timestamp with time zone NOT NULL,
	"threshold_reached_at" timestamp with time zone,
	"answer_due" timestamp with time zone,
	"first_answered_at" timestamp with time zone,
	"hidden" boolean DEFAULT false NOT NULL,
	"hidden_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"edited_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "proposal_answer" (
	"id" serial PRIMARY KEY NOT NULL,
	"proposal_id" integer NOT NULL,
	"state" text NOT NULL,
	"text" jsonb NOT NULL,
	"decided_by" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"decision_url" text,
	"result_ref" text,
	"author_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "proposal_event" (
	"id" serial PRIMARY KEY NOT NULL,
	"proposal_id" integer NOT NULL,
	"kind" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "proposal_support" (
	"proposal_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "proposal_support_proposal_id_user_id_pk" PRIMARY KEY("proposal_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "answer_template" ADD CONSTRAINT "answer_template_space_id_dialogue_space_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."dialogue_space"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_block" ADD CONSTRAINT "dialogue_block_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_block" ADD CONSTRAINT "dialogue_block_space_id_dialogue_space_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."dialogue_space"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_comment" ADD CONSTRAINT "dialogue_comment_space_id_dialogue_space_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."dialogue_space"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_comment" ADD CONSTRAINT "dialogue_comment_proposal_id_proposal_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposal"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_comment" ADD CONSTRAINT "dialogue_comment_author_id_user_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_flag" ADD CONSTRAINT "dialogue_flag_space_id_dialogue_space_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."dialogue_space"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_flag" ADD CONSTRAINT "dialogue_flag_proposal_id_proposal_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposal"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_flag" ADD CONSTRAINT "dialogue_flag_comment_id_dialogue_comment_id_fk" FOREIGN KEY ("comment_id") REFERENCES "public"."dialogue_comment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_flag" ADD CONSTRAINT "dialogue_flag_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_goal" ADD CONSTRAINT "dialogue_goal_space_id_dialogue_space_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."dialogue_space"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_goal" ADD CONSTRAINT "dialogue_goal_goal_sdg_goal_number_fk" FOREIGN KEY ("goal") REFERENCES "public"."sdg_goal"("number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_phase" ADD CONSTRAINT "dialogue_phase_space_id_dialogue_space_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."dialogue_space"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_space" ADD CONSTRAINT "dialogue_space_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_space" ADD CONSTRAINT "dialogue_space_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_target" ADD CONSTRAINT "dialogue_target_space_id_dialogue_space_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."dialogue_space"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_target" ADD CONSTRAINT "dialogue_target_target_sdg_target_code_fk" FOREIGN KEY ("target") REFERENCES "public"."sdg_target"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_team" ADD CONSTRAINT "dialogue_team_space_id_dialogue_space_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."dialogue_space"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_team" ADD CONSTRAINT "dialogue_team_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_theme" ADD CONSTRAINT "dialogue_theme_space_id_dialogue_space_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."dialogue_space"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal" ADD CONSTRAINT "proposal_space_id_dialogue_space_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."dialogue_space"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal" ADD CONSTRAINT "proposal_author_id_user_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal" ADD CONSTRAINT "proposal_media_id_media_id_fk" FOREIGN KEY ("media_id") REFERENCES "public"."media"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal_answer" ADD CONSTRAINT "proposal_answer_proposal_id_proposal_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposal"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal_answer" ADD CONSTRAINT "proposal_answer_author_id_user_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal_event" ADD CONSTRAINT "proposal_event_proposal_id_proposal_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposal"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal_support" ADD CONSTRAINT "proposal_support_proposal_id_proposal_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposal"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal_support" ADD CONSTRAINT "proposal_support_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "answer_template_space_idx" ON "answer_template" USING btree ("space_id");--> statement-breakpoint
CREATE INDEX "dialogue_block_user_idx" ON "dialogue_block" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "dialogue_comment_top_idx" ON "dialogue_comment" USING btree ("space_id","proposal_id","created_at") WHERE "dialogue_comment"."parent_id" is null;--> statement-breakpoint
CREATE INDEX "dialogue_comment_root_idx" ON "dialogue_comment" USING btree ("root_id","created_at");--> statement-breakpoint
CREATE INDEX "dialogue_comment_author_idx" ON "dialogue_comment" USING btree ("author_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dialogue_flag_proposal_unique" ON "dialogue_flag" USING btree ("proposal_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dialogue_flag_comment_unique" ON "dialogue_flag" USING btree ("comment_id","user_id");--> statement-breakpoint
CREATE INDEX "dialogue_flag_open_idx" ON "dialogue_flag" USING btree ("space_id","created_at") WHERE "dialogue_flag"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "dialogue_goal_goal_idx" ON "dialogue_goal" USING btree ("goal","space_id");--> statement-breakpoint
CREATE INDEX "dialogue_space_status_idx" ON "dialogue_space" USING btree ("status");--> statement-breakpoint
CREATE INDEX "dialogue_space_organization_idx" ON "dialogue_space" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "dialogue_space_partnership_idx" ON "dialogue_space" USING btree ("partnership_id");--> statement-breakpoint
CREATE INDEX "dialogue_target_target_idx" ON "dialogue_target" USING btree ("target","space_id");--> statement-breakpoint
CREATE INDEX "dialogue_team_user_idx" ON "dialogue_team" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "dialogue_theme_theme_idx" ON "dialogue_theme" USING btree ("theme_key","space_id");--> statement-breakpoint
CREATE INDEX "proposal_space_created_idx" ON "proposal" USING btree ("space_id","created_at");--> statement-breakpoint
CREATE INDEX "proposal_space_status_idx" ON "proposal" USING btree ("space_id","status","created_at");--> statement-breakpoint
CREATE INDEX "proposal_space_supports_idx" ON "proposal" USING btree ("space_id","support_count");--> statement-breakpoint
CREATE INDEX "proposal_author_idx" ON "proposal" USING btree ("author_id");--> statement-breakpoint
CREATE INDEX "proposal_collecting_idx" ON "proposal" USING btree ("collect_until") WHERE "proposal"."status" = 'collecting';--> statement-breakpoint
CREATE INDEX "proposal_due_idx" ON "proposal" USING btree ("answer_due") WHERE "proposal"."answer_due" is not null;--> statement-breakpoint
CREATE INDEX "proposal_answer_proposal_idx" ON "proposal_answer" USING btree ("proposal_id","published_at");--> statement-breakpoint
CREATE INDEX "proposal_event_proposal_idx" ON "proposal_event" USING btree ("proposal_id","at");--> statement-breakpoint
CREATE INDEX "proposal_support_user_idx" ON "proposal_support" USING btree ("user_id");