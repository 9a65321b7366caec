import { and, eq, gte, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import { config } from '../../kernel/config.ts';
import { enqueueMail } from '../../kernel/outbox.ts';
import { runSystemChange } from '../../kernel/write.ts';
import { partnership, partnershipAccess } from '../../partnerships/schema.ts';
import { user } from '../../accounts/schema.ts';
import { format, isLocale, localizePath, messages, type Locale } from '#lib/i18n/index.ts';
import { annualReport, reportDeadline, reportReminder } from './schema.ts';

// Reminder mails about the yearly report, to each coordinator of a partnership whose report for a
// year is not in: one some days before the date, one once it has passed. Each is written to the
// outbox in the same transaction as the row that says it was sent, so two instances ticking at
// once, or a crash, never send one twice.

/** How many days before the date the first reminder goes out. */
export const remindDaysBefore = 14;
/** A date passed longer ago than this gets no reminder (the light says it instead). */
export const remindDaysAfter = 60;

/** The reports are due on 31 March of the year after, unless the programme sets another date. */
export const defaultDue = (year: number) => `${year + 1}-03-31`;

/** Every reporting year from the programme's first to next year has a due date (reference data). */
export async function seedReportDeadlines(db: Database, now = new Date()): Promise<void> {
	const years = Array.from({ length: now.getUTCFullYear() + 2 - 2010 }, (_, i) => 2010 + i);
	await db
		.insert(reportDeadline)
		.values(years.map((year) => ({ year, due: defaultDue(year) })))
		.onConflictDoNothing();
}

const day = (d: Date, offsetDays = 0) =>
	new Date(d.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** Writes the reminders due today; returns how many mails were queued. */
export async function sendReportReminders(db: Database, now = new Date()): Promise<number> {
	const today = day(now);
	// Usually nothing is near a date: one small read and done.
	const deadlines = await db
		.select()
		.from(reportDeadline)
		.where(
			and(
				gte(reportDeadline.due, day(now, -remindDaysAfter)),
				lte(reportDeadline.due, day(now, remindDaysBefore))
			)
		);
	if (deadlines.length === 0) return 0;

	let queued = 0;
	for (const deadline of deadlines) {
		const kind = deadline.due >= today ? ('before' as const) : ('after' as const);
		const due = await db
			.select({
				partnershipId: partnership.id,
				slug: partnership.slug,
				summary: partnership.summary,
				userId: user.id,
				name: user.name,
				email: user.email,
				locale: user.locale
			})
			.from(partnership)
			.innerJoin(
				partnershipAccess,
				and(eq(partnershipAccess.partnershipId, partnership.id), eq(partnershipAccess.role, 'coordinator'))
			)
			.innerJoin(user, eq(user.id, partnershipAccess.userId))
			.where(
				and(
					inArray(partnership.status, ['inception', 'active']),
					lte(partnership.startYear, deadline.year),
					sql`(${partnership.endYear} is null or ${partnership.endYear} >= ${deadline.year})`,
					sql`not exists (select 1 from ${annualReport} where ${annualReport.partnershipId} = ${partnership.id}
						and ${annualReport.year} = ${deadline.year} and ${isNotNull(annualReport.submittedAt)})`,
					sql`not exists (select 1 from ${reportReminder} where ${reportReminder.partnershipId} = ${partnership.id}
						and ${reportReminder.year} = ${deadline.year} and ${reportReminder.kind} = ${kind})`
				)
			);
		if (due.length === 0) continue;
		queued += await runSystemChange(db, async (tx) => {
			// Only the partnerships this transaction claimed are mailed (another instance took the rest).
			const claimed = await tx
				.insert(reportReminder)
				.values(
					[...new Set(due.map((d) => d.partnershipId))].map((partnershipId) => ({
						partnershipId,
						year: deadline.year,
						kind
					}))
				)
				.onConflictDoNothing()
				.returning({ partnershipId: reportReminder.partnershipId });
			const mine = new Set(claimed.map((c) => c.partnershipId));
			let sent = 0;
			for (const d of due.filter((x) => mine.has(x.partnershipId))) {
				const locale: Locale = isLocale(d.locale) ? d.locale : 'sv';
				const m = messages(locale).results.reminders;
				const link = `${config().publicOrigin}${localizePath(locale, `/partnerships/${d.slug}/reports/${deadline.year}`)}`;
				const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
					new Date(`${deadline.due}T12:00:00Z`)
				);
				const values = { year: String(deadline.year), date, name: d.name, link };
				const sentNow = await enqueueMail(tx, {
					key: `report:${d.partnershipId}:${deadline.year}:${kind}:user:${d.userId}`,
					to: d.email,
					subject: format(m[kind].subject, values),
					text: format(m[kind].text, values)
				});
				if (sentNow) sent++;
			}
			return {
				result: sent,
				audit: {
					action: 'results.report-reminders',
					subject: `year:${deadline.year}`,
					after: { kind, partnerships: [...mine] }
				},
				public: false
			};
		});
	}
	return queued;
}
