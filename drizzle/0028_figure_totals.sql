ALTER TABLE "indicator" ADD COLUMN "baseline_total" text;--> statement-breakpoint
ALTER TABLE "indicator_period" ADD COLUMN "target_total" text;--> statement-breakpoint
ALTER TABLE "indicator_period" ADD COLUMN "actual_total" text;--> statement-breakpoint
-- The dashboard reads each indicator's baseline, final target and latest actual for thousands of
-- indicators at once; finding each among the figures and their breakdowns costs more than the page
-- may. So the database keeps the totals beside the indicator and the period, from the figures,
-- whichever command writes them: after each statement on indicator_figure or figure_dimension, the
-- touched periods and indicators are worked out again. A total is the first figure of its kind
-- (by position, then id) without a breakdown; an actual's, the first such with a value.
CREATE FUNCTION results_refresh_totals(periods int[], indicators int[]) RETURNS void LANGUAGE sql AS $$
	UPDATE indicator_period p SET
		target_total = (SELECT f.value FROM indicator_figure f WHERE f.period_id = p.id AND f.kind = 'target'
			AND NOT EXISTS (SELECT 1 FROM figure_dimension d WHERE d.figure_id = f.id) ORDER BY f.position, f.id LIMIT 1),
		actual_total = (SELECT f.value FROM indicator_figure f WHERE f.period_id = p.id AND f.kind = 'actual'
			AND f.value IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM figure_dimension d WHERE d.figure_id = f.id) ORDER BY f.position, f.id LIMIT 1)
	WHERE p.id = ANY(periods);
	UPDATE indicator i SET
		baseline_total = (SELECT f.value FROM indicator_figure f WHERE f.indicator_id = i.id AND f.kind = 'baseline'
			AND NOT EXISTS (SELECT 1 FROM figure_dimension d WHERE d.figure_id = f.id) ORDER BY f.position, f.id LIMIT 1)
	WHERE i.id = ANY(indicators);
$$;--> statement-breakpoint
CREATE FUNCTION results_figures_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM results_refresh_totals(
			ARRAY(SELECT DISTINCT period_id FROM new_figures WHERE period_id IS NOT NULL),
			ARRAY(SELECT DISTINCT indicator_id FROM new_figures WHERE kind = 'baseline'));
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM results_refresh_totals(
			ARRAY(SELECT DISTINCT period_id FROM old_figures WHERE period_id IS NOT NULL),
			ARRAY(SELECT DISTINCT indicator_id FROM old_figures WHERE kind = 'baseline'));
	ELSE
		PERFORM results_refresh_totals(
			ARRAY(SELECT period_id FROM new_figures WHERE period_id IS NOT NULL
				UNION SELECT period_id FROM old_figures WHERE period_id IS NOT NULL),
			ARRAY(SELECT indicator_id FROM new_figures WHERE kind = 'baseline'
				UNION SELECT indicator_id FROM old_figures WHERE kind = 'baseline'));
	END IF;
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER indicator_figure_inserted AFTER INSERT ON indicator_figure REFERENCING NEW TABLE AS new_figures
	FOR EACH STATEMENT EXECUTE FUNCTION results_figures_changed();--> statement-breakpoint
CREATE TRIGGER indicator_figure_updated AFTER UPDATE ON indicator_figure REFERENCING OLD TABLE AS old_figures NEW TABLE AS new_figures
	FOR EACH STATEMENT EXECUTE FUNCTION results_figures_changed();--> statement-breakpoint
CREATE TRIGGER indicator_figure_deleted AFTER DELETE ON indicator_figure REFERENCING OLD TABLE AS old_figures
	FOR EACH STATEMENT EXECUTE FUNCTION results_figures_changed();--> statement-breakpoint
-- A breakdown added to or taken from a figure changes whether the figure is a total.
CREATE FUNCTION results_dimensions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM results_refresh_totals(
			ARRAY(SELECT DISTINCT f.period_id FROM new_dimensions n JOIN indicator_figure f ON f.id = n.figure_id WHERE f.period_id IS NOT NULL),
			ARRAY(SELECT DISTINCT f.indicator_id FROM new_dimensions n JOIN indicator_figure f ON f.id = n.figure_id WHERE f.kind = 'baseline'));
	ELSE
		PERFORM results_refresh_totals(
			ARRAY(SELECT DISTINCT f.period_id FROM old_dimensions o JOIN indicator_figure f ON f.id = o.figure_id WHERE f.period_id IS NOT NULL),
			ARRAY(SELECT DISTINCT f.indicator_id FROM old_dimensions o JOIN indicator_figure f ON f.id = o.figure_id WHERE f.kind = 'baseline'));
	END IF;
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER figure_dimension_inserted AFTER INSERT ON figure_dimension REFERENCING NEW TABLE AS new_dimensions
	FOR EACH STATEMENT EXECUTE FUNCTION results_dimensions_changed();--> statement-breakpoint
CREATE TRIGGER figure_dimension_deleted AFTER DELETE ON figure_dimension REFERENCING OLD TABLE AS old_dimensions
	FOR EACH STATEMENT EXECUTE FUNCTION results_dimensions_changed();--> statement-breakpoint
-- The figures already written.
SELECT results_refresh_totals(ARRAY(SELECT id FROM indicator_period), ARRAY(SELECT id FROM indicator));
