CREATE TABLE "dialogue_follow" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"space_id" integer,
	"proposal_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dialogue_follow_one_target" CHECK (("dialogue_follow"."space_id" is null) <> ("dialogue_follow"."proposal_id" is null))
);
--> statement-breakpoint
CREATE TABLE "mail_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"recipient" text NOT NULL,
	"subject" text NOT NULL,
	"text" text NOT NULL,
	"html" text,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "mail_outbox_key_unique" UNIQUE("key")
);
--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "notification_mail" text DEFAULT 'daily' NOT NULL;--> statement-breakpoint
ALTER TABLE "dialogue_follow" ADD CONSTRAINT "dialogue_follow_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_follow" ADD CONSTRAINT "dialogue_follow_space_id_dialogue_space_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."dialogue_space"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_follow" ADD CONSTRAINT "dialogue_follow_proposal_id_proposal_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposal"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "dialogue_follow_space_unique" ON "dialogue_follow" USING btree ("space_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dialogue_follow_proposal_unique" ON "dialogue_follow" USING btree ("proposal_id","user_id");--> statement-breakpoint
CREATE INDEX "dialogue_follow_user_idx" ON "dialogue_follow" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "mail_outbox_due_idx" ON "mail_outbox" USING btree ("next_attempt_at") WHERE "mail_outbox"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "mail_outbox_status_idx" ON "mail_outbox" USING btree ("status","created_at");