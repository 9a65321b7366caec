CREATE TABLE "map_report_follow" (
	"report_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"language" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "map_report_follow_report_id_user_id_pk" PRIMARY KEY("report_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "map_report_follow" ADD CONSTRAINT "map_report_follow_report_id_map_report_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."map_report"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "map_report_follow" ADD CONSTRAINT "map_report_follow_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "map_report_follow_user_idx" ON "map_report_follow" USING btree ("user_id");