import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../kernel/database.ts';
import { ValidationError } from '../../kernel/errors.ts';
import { readForm } from '../../kernel/input.ts';
import { authorize, type Actor } from '../../kernel/policy.ts';
import { runCommand } from '../../kernel/write.ts';
import { resultsPolicy } from '../policy.ts';
import { reportDeadline } from './schema.ts';

// The programme's due dates for the yearly reports: one per reporting year (31 March of the next
// year unless staff set another, reminders.ts). Changing one moves every partnership's light and
// reminders for that year.

export const deadlineShape = {
	year: z
		.string('invalidYear')
		.regex(/^20\d\d$/, 'invalidYear')
		.transform(Number),
	due: z
		.string('invalidDue')
		.regex(/^\d{4}-\d{2}-\d{2}$/, 'invalidDue')
		.refine(
			(d) =>
				!Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
			'invalidDue'
		)
};

/** Every year's due date, latest first. */
export async function deadlines(db: Database, actor: Actor) {
	authorize(actor, resultsPolicy.setDeadlines);
	return db
		.select()
		.from(reportDeadline)
		.orderBy(asc(reportDeadline.year))
		.then((rows) => rows.reverse());
}

/** Sets a year's due date: from the reporting year's last day to the end of the year after. */
export async function setDeadline(db: Database, actor: Actor, form: FormData | Record<string, unknown>) {
	return runCommand(db, actor, {
		rule: resultsPolicy.setDeadlines,
		parse: () => {
			const input = readForm(form, deadlineShape, 'results');
			// Due once the year it reports on has ended (its last day at the earliest), within the year after.
			if (input.due < `${input.year}-12-31` || input.due > `${input.year + 1}-12-31`) {
				throw new ValidationError<'results'>([{ field: 'due', code: 'dueOutsideYear' }], 'results');
			}
			return input;
		},
		work: async (tx, { year, due }) => {
			const [before] = await tx
				.select({ due: reportDeadline.due })
				.from(reportDeadline)
				.where(eq(reportDeadline.year, year));
			await tx
				.insert(reportDeadline)
				.values({ year, due })
				.onConflictDoUpdate({ target: reportDeadline.year, set: { due: sql`excluded.due` } });
			return {
				result: { year, due },
				audit: {
					action: 'results.report-deadline',
					subject: `year:${year}`,
					before: before ?? null,
					after: { due }
				},
				// The lights on the public dashboard follow.
				public: true
			};
		}
	});
}
