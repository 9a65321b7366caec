CREATE TABLE "dialogue_notification" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"key" text NOT NULL,
	"space_id" integer NOT NULL,
	"proposal_id" integer,
	"comment_id" integer,
	"event_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"mailed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "dialogue_notification_cursor" (
	"stream" text PRIMARY KEY NOT NULL,
	"last_id" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dialogue_notification" ADD CONSTRAINT "dialogue_notification_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_notification" ADD CONSTRAINT "dialogue_notification_space_id_dialogue_space_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."dialogue_space"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_notification" ADD CONSTRAINT "dialogue_notification_proposal_id_proposal_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposal"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_notification" ADD CONSTRAINT "dialogue_notification_comment_id_dialogue_comment_id_fk" FOREIGN KEY ("comment_id") REFERENCES "public"."dialogue_comment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_notification" ADD CONSTRAINT "dialogue_notification_event_id_proposal_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."proposal_event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "dialogue_notification_once" ON "dialogue_notification" USING btree ("user_id","key");--> statement-breakpoint
CREATE INDEX "dialogue_notification_unmailed_idx" ON "dialogue_notification" USING btree ("user_id","created_at") WHERE "dialogue_notification"."mailed_at" is null;