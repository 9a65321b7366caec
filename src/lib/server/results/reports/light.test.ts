import { describe, expect, it } from 'vitest';
import { reportingLight, type YearDue } from './light.ts';

const year = (y: number, submittedAt: string | null = null): YearDue => ({
	year: y,
	due: `${y + 1}-03-31`,
	submittedAt
});

describe('the reporting light', () => {
	it('is on time when every year due is in, and while the next date is far', () => {
		expect(
			reportingLight([year(2024, '2025-03-20T10:00:00Z'), year(2025)], new Date('2025-12-01T12:00:00Z'))
		).toBe('on-time');
		expect(reportingLight([], new Date('2025-12-01T12:00:00Z'))).toBe('on-time');
	});

	it('turns to due within 30 days of the date, and to overdue the day after it', () => {
		const years = [year(2024, '2025-03-20T10:00:00Z'), year(2025)];
		expect(reportingLight(years, new Date('2026-03-05T12:00:00Z'))).toBe('due');
		expect(reportingLight(years, new Date('2026-02-20T12:00:00Z'))).toBe('on-time');
		// The whole due date still counts.
		expect(reportingLight(years, new Date('2026-03-31T22:00:00Z'))).toBe('due');
		expect(reportingLight(years, new Date('2026-04-01T00:00:01Z'))).toBe('overdue');
		// Sent late: back to on time.
		expect(
			reportingLight(
				[year(2024, '2025-03-20T10:00:00Z'), year(2025, '2026-04-12T09:00:00Z')],
				new Date('2026-04-13T00:00:00Z')
			)
		).toBe('on-time');
	});

	it('is inactive after two years missed in a row, and overdue after one', () => {
		const years = [year(2023, '2024-03-01T00:00:00Z'), year(2024), year(2025)];
		expect(reportingLight(years, new Date('2026-04-02T00:00:00Z'))).toBe('inactive');
		expect(reportingLight(years, new Date('2025-04-02T00:00:00Z'))).toBe('overdue');
		// A report for the latest year wakes it up again, though the one before is still missing.
		expect(
			reportingLight([year(2024), year(2025, '2026-03-30T00:00:00Z')], new Date('2026-04-02T00:00:00Z'))
		).toBe('overdue');
	});
});
