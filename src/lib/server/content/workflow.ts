import { and, eq, lte, sql } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { audit } from '../kernel/audit.ts';
import { bumpRevision } from '../kernel/revision.ts';
import { contentChanged } from '../kernel/content-version.ts';
import { NotFoundError, ValidationError } from '../kernel/errors.ts';
import { authorize, can, type Actor, type Rule } from '../kernel/policy.ts';
import { article, type ArticleStatus } from './schema.ts';
import { contentPolicy } from './policy.ts';

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
 * Moves an article one step. Publishing shows it at once everywhere (the content revision is
 * bumped in the same transaction, which every cache keys on); each step is audited.
 */
export async function takeStep(
	db: Database,
	actor: Actor,
	id: number,
	name: WorkflowStep,
	options: { scheduledAt?: string } = {}
): Promise<ArticleStatus> {
	const step = workflowSteps[name];
	authorize(actor, step.rule);
	const at = name === 'schedule' ? parseScheduleTime(options.scheduledAt ?? '') : null;
	// Only a step into or out of "published" changes what readers see (and so the caches).
	const isPublic = await db.transaction(async (tx) => {
		const [current] = await tx
			.select({ status: article.status, publishedAt: article.publishedAt, slug: article.slug })
			.from(article)
			.where(eq(article.id, id))
			.for('update');
		if (!current) throw new NotFoundError('article');
		if (!(step.from as readonly ArticleStatus[]).includes(current.status)) {
			throw new ValidationError([{ field: 'status', code: 'invalidTransition' }], 'content');
		}
		await tx
			.update(article)
			.set({
				status: step.to,
				scheduledAt: at,
				// The first publication date stays when an article is republished.
				publishedAt: name === 'publish' ? (current.publishedAt ?? new Date()) : current.publishedAt
			})
			.where(eq(article.id, id));
		await audit(tx, {
			actorId: actor.id,
			action: `article.${name}`,
			subject: `article:${id}`,
			before: { status: current.status },
			after: { status: step.to, slug: current.slug, ...(at ? { scheduledAt: at.toISOString() } : {}) }
		});
		const isPublic = current.status === 'published' || step.to === 'published';
		if (isPublic) await bumpRevision(tx);
		return isPublic;
	});
	if (isPublic) contentChanged();
	return step.to;
}

/**
 * Publishes every scheduled article whose time has come. Safe to run from several instances at
 * once: the update claims each row once. Returns how many went live.
 */
export async function publishDueArticles(db: Database, now = new Date()): Promise<number> {
	const published = await db.transaction(async (tx) => {
		const rows = await tx
			.update(article)
			.set({
				status: 'published',
				publishedAt: sql`coalesce(${article.publishedAt}, ${article.scheduledAt})`,
				scheduledAt: null
			})
			.where(and(eq(article.status, 'scheduled'), lte(article.scheduledAt, now)))
			.returning({ id: article.id, slug: article.slug });
		for (const r of rows) {
			await audit(tx, {
				actorId: null,
				action: 'article.publish',
				subject: `article:${r.id}`,
				before: { status: 'scheduled' },
				after: { status: 'published', slug: r.slug, scheduled: true }
			});
		}
		if (rows.length) await bumpRevision(tx);
		return rows.length;
	});
	if (published) contentChanged();
	return published;
}
