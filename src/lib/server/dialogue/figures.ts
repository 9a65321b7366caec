import { sql, type SQL } from 'drizzle-orm';
import type { Database, Transaction } from '../kernel/database.ts';
import { subquery } from '../kernel/sql.ts';
import { partnershipMember } from '../partnerships/schema.ts';
import { dialogueSpace, proposal } from './schema.ts';

// The public figures of the promise to answer: how many proposals with a deadline were answered
// within it, the median days to an answer, and what is overdue now. One query per space or
// organization, however many proposals there are.
//
// - A proposal has a deadline (`answer_due`) from the moment it reached the support threshold.
//   It counts for the share once its deadline has passed or it has been answered, whichever is
//   first: answered in time are those first answered on or before the deadline. Withdrawn ones
//   are left out.
// - Days to answer run from the threshold (when the promise started), or from the proposal's
//   creation for one answered before it reached the threshold.
// - Overdue now: waiting for an answer ("to-answer") past the deadline.

export interface AnswerFigures {
	/** Proposals whose deadline has passed or that were answered (the share's base). */
	due: number;
	answeredInTime: number;
	/** answeredInTime / due, 0–1; null while nothing is due. */
	shareInTime: number | null;
	/** Proposals with a published answer. */
	answered: number;
	/** The median days from the threshold to the first answer, one decimal; null before any answer. */
	medianDays: number | null;
	overdue: number;
	/** The overdue proposals, longest overdue first (at most `overdueListMax`). */
	overdueNow: { id: number; title: string; spaceSlug: string; answerDue: string }[];
}

export const overdueListMax = 20;

async function figuresOf(db: Database | Transaction, spaces: SQL): Promise<AnswerFigures> {
	const p = proposal;
	const s = dialogueSpace;
	const inSpaces = sql`${p.spaceId} in (${spaces})`;
	const counted = sql`${p.status} <> 'withdrawn'`;
	const overdue = sql`${p.status} = 'to-answer' and ${p.answerDue} < now()`;
	const days = sql`extract(epoch from (${p.firstAnsweredAt} - coalesce(${p.thresholdReachedAt}, ${p.createdAt}))) / 86400.0`;
	const [row] = await db
		.select({
			due: sql<number>`count(*) filter (where ${p.answerDue} is not null and (${p.firstAnsweredAt} is not null or ${p.answerDue} < now()))`.mapWith(
				Number
			),
			inTime: sql<number>`count(*) filter (where ${p.firstAnsweredAt} <= ${p.answerDue})`.mapWith(Number),
			answered: sql<number>`count(*) filter (where ${p.firstAnsweredAt} is not null)`.mapWith(Number),
			median: sql<
				number | null
			>`percentile_cont(0.5) within group (order by ${days}) filter (where ${p.firstAnsweredAt} is not null)`,
			overdue: sql<number>`count(*) filter (where ${overdue})`.mapWith(Number),
			overdueNow: subquery<{ id: number; title: string; spaceSlug: string; answerDue: string }[] | null>(
				sql`select json_agg(json_build_object('id', o.id, 'title', o.title, 'spaceSlug', o.slug, 'answerDue', o.due) order by o.due, o.id)
				from (select ${p.id} as id, ${p.title} as title, ${s.slug} as slug, ${p.answerDue} as due
					from ${p} join ${s} on ${s.id} = ${p.spaceId}
					where ${inSpaces} and ${overdue} order by ${p.answerDue}, ${p.id} limit ${overdueListMax}) o`
			)
		})
		.from(p)
		.where(sql`${inSpaces} and ${counted}`);
	const r = row!;
	const median = r.median === null ? null : Math.round(Number(r.median) * 10) / 10;
	return {
		due: r.due,
		answeredInTime: r.inTime,
		shareInTime: r.due ? r.inTime / r.due : null,
		answered: r.answered,
		medianDays: median,
		overdue: r.overdue,
		overdueNow: (r.overdueNow ?? []).map((o) => ({ ...o, answerDue: new Date(o.answerDue).toISOString() }))
	};
}

/** The figures of one space. */
export function spaceFigures(db: Database | Transaction, spaceId: number): Promise<AnswerFigures> {
	return figuresOf(db, sql`${spaceId}`);
}

/**
 * The figures of an organization: its own spaces, and those of the partnerships it is a member of
 * (a partnership answers for both its sides).
 */
export function organizationFigures(
	db: Database | Transaction,
	organizationId: number
): Promise<AnswerFigures> {
	const s = dialogueSpace;
	const m = partnershipMember;
	return figuresOf(
		db,
		sql`select ${s.id} from ${s} where ${s.organizationId} = ${organizationId}
			or ${s.partnershipId} in (select ${m.partnershipId} from ${m} where ${m.organizationId} = ${organizationId})`
	);
}
