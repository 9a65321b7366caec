CREATE INDEX "dialogue_comment_space_idx" ON "dialogue_comment" USING btree ("space_id","id");--> statement-breakpoint
CREATE INDEX "dialogue_comment_proposal_idx" ON "dialogue_comment" USING btree ("proposal_id","id");--> statement-breakpoint
CREATE INDEX "proposal_created_idx" ON "proposal" USING btree ("created_at","id");