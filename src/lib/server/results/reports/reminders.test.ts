import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { mailOutbox } from '../../kernel/schema.ts';
import { anActor, type TestActor } from '../../test/actors.ts';
import { aPartnership } from '../../test/factories/partnerships.ts';
import { user } from '../../accounts/schema.ts';
import { annualReport, reportDeadline } from './schema.ts';
import { defaultDue, sendReportReminders } from './reminders.ts';

describe.each(testDatabases)('reminders of the yearly report on $name', (database) => {
	let h: DatabaseHandle;
	let sv: TestActor;
	let en: TestActor;
	let ids: { reporting: number; submitted: number; completed: number };

	beforeAll(async () => {
		h = await database.open();
		sv = await anActor(h.db, 'reader', { name: 'Samordnare Sv' });
		en = await anActor(h.db, 'reader', { name: 'Coordinator En' });
		await h.db.update(user).set({ locale: 'en' }).where(eq(user.id, en.id));
		// A year of its own, far from the demo's, so that only these partnerships are due.
		await h.db
			.insert(reportDeadline)
			.values({ year: 2041, due: defaultDue(2041) })
			.onConflictDoNothing();
		const reporting = await aPartnership(h.db, {
			status: 'active',
			startYear: 2040,
			coordinators: [sv.id, en.id]
		});
		const submitted = await aPartnership(h.db, { status: 'active', startYear: 2040, coordinators: [sv.id] });
		const completed = await aPartnership(h.db, {
			status: 'completed',
			startYear: 2040,
			coordinators: [sv.id]
		});
		await h.db.insert(annualReport).values({
			partnershipId: submitted.id,
			year: 2041,
			status: 'submitted',
			submittedAt: new Date('2042-03-01')
		});
		ids = { reporting: reporting.id, submitted: submitted.id, completed: completed.id };
	});
	afterAll(async () => {
		await h?.close();
	});

	const mails = () =>
		h.db
			.select({
				key: mailOutbox.key,
				to: mailOutbox.recipient,
				subject: mailOutbox.subject,
				text: mailOutbox.text
			})
			.from(mailOutbox)
			.where(like(mailOutbox.key, 'report:%:2041:%'))
			.orderBy(mailOutbox.key);

	it('reminds each coordinator once, in their language, before the date and once after it', async () => {
		// A month before: nothing yet.
		expect(await sendReportReminders(h.db, new Date('2042-02-28T08:00:00Z'))).toBe(0);
		// Two weeks before, from two instances at once: each coordinator gets one mail.
		const [a, b] = await Promise.all([
			sendReportReminders(h.db, new Date('2042-03-20T08:00:00Z')),
			sendReportReminders(h.db, new Date('2042-03-20T08:00:01Z'))
		]);
		expect(a + b).toBe(2);
		let sent = await mails();
		const of = (who: TestActor) => sent.find((m) => m.to === who.email)!;
		expect(sent).toHaveLength(2);
		expect([of(en).key, of(en).subject]).toEqual([
			`report:${ids.reporting}:2041:before:user:${en.id}`,
			'The yearly report for 2041 is due by March 31, 2042'
		]);
		expect([of(sv).key, of(sv).subject]).toEqual([
			`report:${ids.reporting}:2041:before:user:${sv.id}`,
			'Årsrapporten för 2041 ska lämnas senast 31 mars 2042'
		]);
		expect(of(sv).text).toContain('Hej Samordnare Sv!');
		expect(of(en).text).toMatch(/\/en\/partnerships\/test-partnership-[\w-]+\/reports\/2041\n/);
		// The next day: nothing new.
		expect(await sendReportReminders(h.db, new Date('2042-03-21T08:00:00Z'))).toBe(0);

		// Overdue: one more each; the partnership that sent its report and the completed one hear nothing.
		expect(await sendReportReminders(h.db, new Date('2042-04-02T08:00:00Z'))).toBe(2);
		expect(await sendReportReminders(h.db, new Date('2042-04-03T08:00:00Z'))).toBe(0);
		sent = await mails();
		expect(sent.map((m) => m.key.split(':').slice(1, 4).join(':')).sort()).toEqual([
			`${ids.reporting}:2041:after`,
			`${ids.reporting}:2041:after`,
			`${ids.reporting}:2041:before`,
			`${ids.reporting}:2041:before`
		]);
		expect(sent.find((m) => m.to === sv.email && m.key.includes(':after:'))!.subject).toBe(
			'Årsrapporten för 2041 är försenad'
		);
		// Long after the date: no more reminders (the light says it).
		expect(await sendReportReminders(h.db, new Date('2042-07-01T08:00:00Z'))).toBe(0);
	});
});
