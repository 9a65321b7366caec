CREATE TABLE "survey" (
	"id" serial PRIMARY KEY NOT NULL,
	"space_id" integer NOT NULL,
	"slug" text NOT NULL,
	"title" jsonb NOT NULL,
	"intro" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sections" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"questions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"opens_on" date NOT NULL,
	"closes_on" date NOT NULL,
	"respondents" text DEFAULT 'verified-email' NOT NULL,
	"results_public" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_dates" CHECK ("survey"."opens_on" <= "survey"."closes_on")
);
--> statement-breakpoint
CREATE TABLE "survey_answer" (
	"response_id" integer NOT NULL,
	"survey_id" integer NOT NULL,
	"question" text NOT NULL,
	"item" text DEFAULT '' NOT NULL,
	"value" smallint,
	"text" text,
	"text_state" text,
	CONSTRAINT "survey_answer_response_id_question_item_pk" PRIMARY KEY("response_id","question","item")
);
--> statement-breakpoint
CREATE TABLE "survey_response" (
	"id" serial PRIMARY KEY NOT NULL,
	"survey_id" integer NOT NULL,
	"participant_id" text,
	"client_id" text NOT NULL,
	"language" text NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "survey" ADD CONSTRAINT "survey_space_id_dialogue_space_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."dialogue_space"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answer" ADD CONSTRAINT "survey_answer_response_id_survey_response_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."survey_response"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answer" ADD CONSTRAINT "survey_answer_survey_id_survey_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."survey"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_response" ADD CONSTRAINT "survey_response_survey_id_survey_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."survey"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_response" ADD CONSTRAINT "survey_response_participant_id_user_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "survey_space_slug_idx" ON "survey" USING btree ("space_id","slug");--> statement-breakpoint
CREATE INDEX "survey_answer_results_idx" ON "survey_answer" USING btree ("survey_id","question","item","value");--> statement-breakpoint
CREATE INDEX "survey_answer_text_idx" ON "survey_answer" USING btree ("survey_id","text_state","response_id") WHERE "survey_answer"."text_state" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "survey_response_client_idx" ON "survey_response" USING btree ("survey_id","client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_response_participant_idx" ON "survey_response" USING btree ("survey_id","participant_id");--> statement-breakpoint
CREATE INDEX "survey_response_participant_user_idx" ON "survey_response" USING btree ("participant_id");