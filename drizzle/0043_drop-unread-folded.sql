-- The folded texts of partnerships, profiles, goals and targets were read only by the site search,
-- which now reads their words columns (0041): nothing reads them.
ALTER TABLE "partner_profile" DROP COLUMN "folded";--> statement-breakpoint
ALTER TABLE "partnership" DROP COLUMN "folded";--> statement-breakpoint
ALTER TABLE "sdg_goal" DROP COLUMN "folded";--> statement-breakpoint
ALTER TABLE "sdg_target" DROP COLUMN "folded";