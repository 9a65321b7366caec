// A partnership's reporting light, from its reports and the programme's due dates (a report sent
// late counts as sent once it is in):
//   on-time  the last year due was submitted by its date (or nothing is due yet)
//   due      a report's date is within the next `dueSoonDays` and it is not submitted
//   overdue  a date has passed without the report
//   inactive the two last years due both passed without a report
// The dashboard counts the lights of thousands of partnerships with the same rule in SQL
// (dashboard/partnerships.ts, held to this one by its test): a change here is a change there.

export type Light = 'on-time' | 'due' | 'overdue' | 'inactive';

export interface YearDue {
	year: number;
	/** The date the report is due (YYYY-MM-DD). */
	due: string;
	/** When it was first submitted, if it was (ISO time). */
	submittedAt: string | null;
}

export const dueSoonDays = 30;

const dayMs = 86_400_000;
const endOfDay = (date: string) => Date.parse(`${date}T23:59:59.999Z`);

/** The light on `today`, for the years the partnership reports (any order). */
export function reportingLight(years: YearDue[], today: Date): Light {
	const now = today.getTime();
	const sorted = [...years].sort((a, b) => a.year - b.year);
	const passed = sorted.filter((y) => endOfDay(y.due) < now);
	const lastTwo = passed.slice(-2);
	if (lastTwo.length === 2 && lastTwo.every((y) => y.submittedAt === null)) return 'inactive';
	if (passed.some((y) => y.submittedAt === null)) return 'overdue';
	const soon = sorted.find(
		(y) => y.submittedAt === null && endOfDay(y.due) >= now && endOfDay(y.due) - now <= dueSoonDays * dayMs
	);
	return soon ? 'due' : 'on-time';
}
