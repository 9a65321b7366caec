CREATE TABLE "result_plan" (
	"partnership_id" integer PRIMARY KEY NOT NULL,
	"problem" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"causes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"effects" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"stakeholders" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"assumptions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "result_proposal" (
	"result_id" integer NOT NULL,
	"proposal_id" integer NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "result_proposal_result_id_proposal_id_pk" PRIMARY KEY("result_id","proposal_id")
);
--> statement-breakpoint
ALTER TABLE "result" ADD COLUMN "status" text DEFAULT 'planned' NOT NULL;--> statement-breakpoint
ALTER TABLE "result_plan" ADD CONSTRAINT "result_plan_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_proposal" ADD CONSTRAINT "result_proposal_result_id_result_id_fk" FOREIGN KEY ("result_id") REFERENCES "public"."result"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_proposal" ADD CONSTRAINT "result_proposal_proposal_id_proposal_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposal"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "result_proposal_proposal_idx" ON "result_proposal" USING btree ("proposal_id");