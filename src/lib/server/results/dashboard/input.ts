import { z } from 'zod';
import { fields, readQuery, type Input } from '../../kernel/input.ts';

// The dashboard's filters, as links write them: ?year=2025&principle=participation&country=BW&goal=16.
// Each is optional; the year defaults to the latest reporting year (queries.ts).

const shape = {
	year: z
		.string('invalidYear')
		.regex(/^(19|20|21)\d\d$/, 'invalidYear')
		.transform(Number),
	principle: fields.theme,
	country: fields.country,
	goal: fields.goal
};

export const dashboardShape = {
	year: shape.year.optional(),
	principle: shape.principle.optional(),
	country: shape.country.optional(),
	goal: shape.goal.optional()
};

export type DashboardQuery = Input<typeof dashboardShape>;

export function readDashboardQuery(params: URLSearchParams): DashboardQuery {
	return readQuery(params, dashboardShape, 'results');
}
