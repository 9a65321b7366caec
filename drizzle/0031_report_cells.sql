CREATE TABLE "map_report_answer_hours" (
	"space_id" integer NOT NULL,
	"hours" integer NOT NULL,
	"reports" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "map_report_answer_hours_space_id_hours_pk" PRIMARY KEY("space_id","hours")
);
--> statement-breakpoint
CREATE TABLE "map_report_cell" (
	"space_id" integer NOT NULL,
	"public_lat" double precision,
	"public_lon" double precision,
	"category_id" integer NOT NULL,
	"status" text NOT NULL,
	"reports" integer DEFAULT 0 NOT NULL,
	"answered" integer DEFAULT 0 NOT NULL,
	"resolved" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "map_report_cell_key" UNIQUE NULLS NOT DISTINCT("space_id","public_lat","public_lon","category_id","status")
);
--> statement-breakpoint
ALTER TABLE "map_report_answer_hours" ADD CONSTRAINT "map_report_answer_hours_space_id_dialogue_space_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."dialogue_space"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "map_report_cell" ADD CONSTRAINT "map_report_cell_space_id_dialogue_space_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."dialogue_space"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- The public map and a space's figures count public reports by point, category and status, and
-- the median time to a first answer; reading every report for that costs more than the page may
-- at 100,000 reports. So the database keeps the counts, whichever command writes a report (a
-- resident's, Open311's, the demo, the bench's corpus): after each statement on map_report, the
-- public rows it removed are taken off and the public rows it wrote are added.
CREATE FUNCTION map_report_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		UPDATE map_report_cell c SET reports = c.reports - o.reports, answered = c.answered - o.answered,
			resolved = c.resolved - o.resolved
		FROM (SELECT space_id, public_lat, public_lon, category_id, status, count(*)::int AS reports,
				count(first_answered_at)::int AS answered, count(resolved_at)::int AS resolved
			FROM old_reports WHERE public GROUP BY 1, 2, 3, 4, 5) o
		WHERE c.space_id = o.space_id AND c.public_lat IS NOT DISTINCT FROM o.public_lat
			AND c.public_lon IS NOT DISTINCT FROM o.public_lon AND c.category_id = o.category_id AND c.status = o.status;
		UPDATE map_report_answer_hours h SET reports = h.reports - o.reports
		FROM (SELECT space_id, floor(date_part('epoch', first_answered_at - created_at) / 3600)::int AS hours,
				count(*)::int AS reports
			FROM old_reports WHERE public AND first_answered_at IS NOT NULL GROUP BY 1, 2) o
		WHERE h.space_id = o.space_id AND h.hours = o.hours;
	END IF;
	IF TG_OP IN ('UPDATE', 'INSERT') THEN
		INSERT INTO map_report_cell AS c (space_id, public_lat, public_lon, category_id, status, reports, answered, resolved)
		SELECT space_id, public_lat, public_lon, category_id, status, count(*)::int, count(first_answered_at)::int,
			count(resolved_at)::int
		FROM new_reports WHERE public GROUP BY 1, 2, 3, 4, 5
		ON CONFLICT ON CONSTRAINT map_report_cell_key DO UPDATE SET reports = c.reports + excluded.reports,
			answered = c.answered + excluded.answered, resolved = c.resolved + excluded.resolved;
		INSERT INTO map_report_answer_hours AS h (space_id, hours, reports)
		SELECT space_id, floor(date_part('epoch', first_answered_at - created_at) / 3600)::int, count(*)::int
		FROM new_reports WHERE public AND first_answered_at IS NOT NULL GROUP BY 1, 2
		ON CONFLICT (space_id, hours) DO UPDATE SET reports = h.reports + excluded.reports;
	END IF;
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER map_report_inserted AFTER INSERT ON map_report REFERENCING NEW TABLE AS new_reports
	FOR EACH STATEMENT EXECUTE FUNCTION map_report_counted();--> statement-breakpoint
CREATE TRIGGER map_report_updated AFTER UPDATE ON map_report REFERENCING OLD TABLE AS old_reports NEW TABLE AS new_reports
	FOR EACH STATEMENT EXECUTE FUNCTION map_report_counted();--> statement-breakpoint
CREATE TRIGGER map_report_deleted AFTER DELETE ON map_report REFERENCING OLD TABLE AS old_reports
	FOR EACH STATEMENT EXECUTE FUNCTION map_report_counted();--> statement-breakpoint
-- The reports written before this migration.
INSERT INTO map_report_cell (space_id, public_lat, public_lon, category_id, status, reports, answered, resolved)
SELECT space_id, public_lat, public_lon, category_id, status, count(*)::int, count(first_answered_at)::int, count(resolved_at)::int
FROM map_report WHERE public GROUP BY 1, 2, 3, 4, 5;--> statement-breakpoint
INSERT INTO map_report_answer_hours (space_id, hours, reports)
SELECT space_id, floor(date_part('epoch', first_answered_at - created_at) / 3600)::int, count(*)::int
FROM map_report WHERE public AND first_answered_at IS NOT NULL GROUP BY 1, 2;
