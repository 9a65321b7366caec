DROP INDEX "search_word_trgm_idx";--> statement-breakpoint
DROP INDEX "organization_words_idx";--> statement-breakpoint
DROP INDEX "partner_profile_words_idx";--> statement-breakpoint
DROP INDEX "partnership_words_idx";--> statement-breakpoint
DROP INDEX "sdg_target_words_idx";--> statement-breakpoint
CREATE INDEX "search_word_trgm_idx" ON "search_word" USING gin ("word" gin_trgm_ops) WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "organization_words_idx" ON "organization" USING gin ("words") WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "partner_profile_words_idx" ON "partner_profile" USING gin ("words") WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "partnership_words_idx" ON "partnership" USING gin ("words") WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "sdg_target_words_idx" ON "sdg_target" USING gin ("words") WITH (fastupdate=false);