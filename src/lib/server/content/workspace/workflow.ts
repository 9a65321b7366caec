import { and, eq, lte, sql } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import { ValidationError } from '../../kernel/errors.ts';
import { can, type Actor, type Rule } from '../../kernel/policy.ts';
import { runSystemChange } from '../../kernel/write.ts';
import { article, type ArticleStatus } from '../schema.ts';
import { contentPolicy } from '../policy.ts';

/**
 * The editorial workflow: draft → in review → scheduled or published → archived.
 * Authors submit; editors send back, publish, schedule, unpublish and archive.
 */
export const workflowSteps = {
	submit: { from: ['draft'], to: 'review', rule: contentPolicy.write },
	sendBack: { from: ['review'], to: 'draft', rule: contentPolicy.publish },
	publish: { from: ['draft', 'review', 'scheduled'], to: 'published', rule: contentPolicy.publish },
	schedule: { from: ['draft', 'review', 'scheduled'], to: 'scheduled', rule: contentPolicy.publish },
	unpublish: { from: ['published', 'scheduled'], to: 'draft', rule: contentPolicy.publish },
	archive: { from: ['draft', 'review', 'published'], to: 'archived', rule: contentPolicy.publish },
	reopen: { from: ['archived'], to: 'draft', rule: contentPolicy.publish }
} as const satisfies Record<string, { from: readonly ArticleStatus[]; to: ArticleStatus; rule: Rule }>;

export type WorkflowStep = keyof typeof workflowSteps;
export const workflowStepNames = Object.keys(workflowSteps) as WorkflowStep[];

/** The steps the actor may take from a status (the buttons the editor shows). */
export function availableSteps(actor: Actor, status: ArticleStatus): WorkflowStep[] {
	return workflowStepNames.filter((name) => {
		const step = workflowSteps[name];
		return (step.from as readonly ArticleStatus[]).includes(status) && can(actor, step.rule);
	});
}

/** Parses "2026-12-24T09:00" (a datetime-local field, Swedish time) into an instant. */
export function parseScheduleTime(value: string, now = new Date()): Date {
	const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/.exec(value.trim());
	if (!m) throw new ValidationError([{ field: 'scheduledAt', code: 'invalidDate' }], 'content');
	const [, y, mo, d, h, mi] = m.map(Number) as number[];
	// The programme works in Swedish time: find the UTC instant whose Stockholm wall time this is.
	const guess = Date.UTC(y!, mo! - 1, d!, h!, mi!);
	const offset = stockholmOffsetMinutes(new Date(guess));
	const at = new Date(guess - offset * 60_000);
	if (Number.isNaN(at.getTime()) || stockholmWallTime(at) !== value.trim().replace(' ', 'T')) {
		throw new ValidationError([{ field: 'scheduledAt', code: 'invalidDate' }], 'content');
	}
	if (at <= now) throw new ValidationError([{ field: 'scheduledAt', code: 'scheduleInPast' }], 'content');
	return at;
}

const wall = new Intl.DateTimeFormat('sv-SE', {
	timeZone: 'Europe/Stockholm',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	hourCycle: 'h23'
});

/** "2026-12-24T09:00" for an instant, in Swedish time (also the value of a datetime-local field). */
export function stockholmWallTime(at: Date): string {
	return wall.format(at).replace(' ', 'T');
}

function stockholmOffsetMinutes(at: Date): number {
	const w = stockholmWallTime(at);
	const asUtc = Date.parse(`${w}:00Z`);
	return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/**
 * Publishes every scheduled article whose time has come: the platform's own change, audited
 * without an actor. Safe to run from several instances at once: the update claims each row once.
 * Returns how many went live.
 */
export async function publishDueArticles(db: Database, now = new Date()): Promise<number> {
	return runSystemChange(db, async (tx) => {
		const due = await tx
			.update(article)
			.set({
				status: 'published',
				publishedAt: sql`coalesce(${article.publishedAt}, ${article.scheduledAt})`,
				scheduledAt: null
			})
			.where(and(eq(article.status, 'scheduled'), lte(article.scheduledAt, now)))
			.returning({ id: article.id, slug: article.slug });
		return {
			result: due.length,
			audit: due.map((r) => ({
				action: 'article.publish',
				subject: `article:${r.id}`,
				before: { status: 'scheduled' },
				after: { status: 'published', slug: r.slug, scheduled: true }
			})),
			public: due.length > 0
		};
	});
}
