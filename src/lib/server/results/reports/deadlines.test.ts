import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { ForbiddenError } from '../../kernel/errors.ts';
import { auditLog } from '../../kernel/schema.ts';
import { anActor } from '../../test/actors.ts';
import { deadlines, setDeadline } from './deadlines.ts';

describe.each(testDatabases)('the due dates of the yearly reports on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(async () => {
		await h?.close();
	});

	it('are set by editors, within the year after, audited; a wrong one is named at its field', async () => {
		const editor = await anActor(h.db, 'editor');
		const author = await anActor(h.db, 'author');
		// Every reporting year has one from the start (31 March of the next year).
		expect((await deadlines(h.db, editor)).find((d) => d.year === 2024)).toEqual({
			year: 2024,
			due: '2025-03-31'
		});

		await setDeadline(h.db, editor, { year: '2024', due: '2025-02-28' });
		expect((await deadlines(h.db, editor)).find((d) => d.year === 2024)!.due).toBe('2025-02-28');
		const [row] = await h.db.select().from(auditLog).where(eq(auditLog.subject, 'year:2024'));
		expect(row).toMatchObject({
			action: 'results.report-deadline',
			before: { due: '2025-03-31' },
			after: { due: '2025-02-28' }
		});

		// The year's last day is the earliest; the end of the year after the latest.
		await setDeadline(h.db, editor, { year: '2024', due: '2024-12-31' });
		for (const [due, code] of [
			['2024-12-30', 'dueOutsideYear'],
			['2026-01-01', 'dueOutsideYear'],
			['2025-02-30', 'invalidDue'],
			['31/3/2025', 'invalidDue']
		]) {
			await expect(setDeadline(h.db, editor, { year: '2024', due })).rejects.toMatchObject({
				problems: [{ field: 'due', code }]
			});
		}
		await expect(setDeadline(h.db, editor, { year: '1999', due: '2000-03-31' })).rejects.toMatchObject({
			problems: [{ field: 'year', code: 'invalidYear' }]
		});
		await expect(setDeadline(h.db, author, { year: '2024', due: '2025-03-31' })).rejects.toThrow(
			ForbiddenError
		);
		await expect(deadlines(h.db, author)).rejects.toThrow(ForbiddenError);
	});
});
