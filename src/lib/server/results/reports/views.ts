import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import { ForbiddenError, NotFoundError } from '../../kernel/errors.ts';
import { pick, type LocalizedText } from '../../kernel/localized.ts';
import { can, mayOn, type Actor } from '../../kernel/policy.ts';
import { organization } from '../../organizations/schema.ts';
import { partnership, partnershipMember } from '../../partnerships/schema.ts';
import { listThemes } from '../../taxonomy/themes.ts';
import { resultsPolicy } from '../policy.ts';
import { figureNumber } from '../progress.ts';
import type { IndicatorMeasure } from '../schema.ts';
import { annualReport, type ApprovalSide, type ReportAction, type ReportStatus } from './schema.ts';
import { editable } from './workflow.ts';
import { reportingLight } from './light.ts';
import { field } from './input.ts';
import { reportingYears, reportWithFigures, sidesOf } from './queries.ts';
import { locales } from '#lib/i18n/locales.ts';

// The yearly report's pages: the partnership's years with their status and light, and one year's
// report as a read view, a form and its steps. Texts are picked for the language here; the form
// gets its field names and stored values from here, so the page only lays them out.

const yearOf = (now: Date) => now.getUTCFullYear();

async function partnershipNamed(db: Database, locale: string, slug: string) {
	const [row] = await db
		.select({ id: partnership.id, slug: partnership.slug })
		.from(partnership)
		.where(eq(partnership.slug, slug));
	if (!row) throw new NotFoundError('partnership');
	const orgs = await db
		.select({ name: organization.name, side: partnershipMember.role })
		.from(partnershipMember)
		.innerJoin(organization, eq(organization.id, partnershipMember.organizationId))
		.where(eq(partnershipMember.partnershipId, row.id))
		.orderBy(asc(partnershipMember.role));
	// Swedish side first, as the partnership's own page names it.
	const names = [...orgs]
		.sort((a, b) => Number(a.side !== 'swedish') - Number(b.side !== 'swedish'))
		.map((o) => pick(o.name, locale));
	return { id: row.id, slug: row.slug, name: names.join(' – ') };
}

export interface YearRow {
	year: number;
	due: string | null;
	status: ReportStatus | null;
}

/** The partnership's reporting years, latest first, with the light: for those who may read drafts. */
export async function reportYearsView(
	db: Database,
	actor: Actor,
	locale: string,
	slug: string,
	now = new Date()
) {
	const p = await partnershipNamed(db, locale, slug);
	if (!(await mayOn(actor, resultsPolicy.readReport, { db, id: p.id })))
		throw new ForbiddenError(actor === null);
	const [dues, reports, canWrite] = await Promise.all([
		reportingYears(db, [p.id]).then((m) => m.get(p.id) ?? []),
		db
			.select({ year: annualReport.year, status: annualReport.status })
			.from(annualReport)
			.where(eq(annualReport.partnershipId, p.id)),
		mayOn(actor, resultsPolicy.writeReport, { db, id: p.id })
	]);
	const status = new Map(reports.map((r) => [r.year, r.status]));
	const due = new Map(dues.map((d) => [d.year, d.due]));
	// The years it answers for up to the current one (not past its end), and any year with a report.
	const years = new Set([...dues.map((d) => d.year).filter((y) => y <= yearOf(now)), ...status.keys()]);
	const rows: YearRow[] = [...years]
		.sort((a, b) => b - a)
		.map((year) => ({ year, due: due.get(year) ?? null, status: status.get(year) ?? null }));
	return { partnership: p, light: reportingLight(dues, now), years: rows, canWrite };
}

export interface PeriodRow {
	id: number;
	result: string;
	indicator: string;
	measure: IndicatorMeasure;
	start: string;
	end: string;
	target: string | null;
	/** The year's actual value and comment as the reader sees them. */
	value: string | null;
	comment: string;
	names: { value: string; comment: Record<string, string> };
}

export interface PrincipleRow {
	key: string;
	name: string;
	text: string;
	score: number | null;
	reasoning: string;
	names: { text: Record<string, string>; score: string; reasoning: Record<string, string> };
}

export interface HistoryRow {
	action: ReportAction;
	side: ApprovalSide | null;
	by: string | null;
	comment: string | null;
	at: string;
}

const perLocale = (name: (l: string) => string) => Object.fromEntries(locales.map((l) => [l, name(l)]));

/** Writes the stored texts of a report into the form's fields (its values when nothing was typed). */
function storedValues(
	report: NonNullable<Awaited<ReturnType<typeof reportWithFigures>>['report']>,
	periods: Awaited<ReturnType<typeof reportWithFigures>>['periods']
): Record<string, string> {
	const values: Record<string, string> = {};
	const put = (name: string, v: string | null | undefined) => {
		if (v) values[name] = v;
	};
	for (const l of locales) {
		put(field.lessons(l), report.lessons[l]);
		put(field.plans(l), report.plans[l]);
	}
	for (const p of report.principles) {
		put(field.score(p.principle), p.score === null ? null : String(p.score));
		for (const l of locales) {
			put(field.principleText(p.principle, l), p.text[l]);
			put(field.reasoning(p.principle, l), p.reasoning[l]);
		}
	}
	for (const { period } of periods) {
		const total = period.actuals.find((a) => a.dimensions.length === 0);
		put(field.actual(period.id), total?.value);
		for (const l of locales) put(field.actualComment(period.id, l), total?.comment[l]);
	}
	return values;
}

/**
 * One year's report as its page shows it, and what this person may do with it: an approved
 * report is public; a draft or a sent one is for the partnership's people and staff.
 */
export async function reportPageView(db: Database, actor: Actor, locale: string, slug: string, year: number) {
	const p = await partnershipNamed(db, locale, slug);
	const [loaded, themes, mayRead, mayWrite] = await Promise.all([
		reportWithFigures(db, p.id, year),
		listThemes(db, locale),
		mayOn(actor, resultsPolicy.readReport, { db, id: p.id }),
		mayOn(actor, resultsPolicy.writeReport, { db, id: p.id })
	]);
	const { report } = loaded;
	if (report?.status !== 'approved' && !mayRead) throw new ForbiddenError(actor === null);
	const themeName = new Map(themes.map((t) => [t.key, t.name]));
	const written = (value: string | null) => {
		const n = figureNumber(value);
		return n === null ? value : n.toLocaleString(locale, { maximumFractionDigits: 3 });
	};
	const principles: PrincipleRow[] = loaded.principles.map((key) => {
		const saved = report?.principles.find((x) => x.principle === key);
		return {
			key,
			name: themeName.get(key) ?? key,
			text: pick(saved?.text, locale),
			score: saved?.score ?? null,
			reasoning: pick(saved?.reasoning, locale),
			names: {
				text: perLocale((l) => field.principleText(key, l)),
				score: field.score(key),
				reasoning: perLocale((l) => field.reasoning(key, l))
			}
		};
	});
	const periods: PeriodRow[] = loaded.periods.map(({ result, indicator, period }) => {
		const total = period.actuals.find((a) => a.dimensions.length === 0);
		const target = period.targets.find((t) => t.dimensions.length === 0);
		return {
			id: period.id,
			result: pick(result.title, locale),
			indicator: pick(indicator.title, locale),
			measure: indicator.measure,
			start: period.start,
			end: period.end,
			target: written(target?.value ?? null),
			value: written(total?.value ?? null),
			comment: pick(total?.comment, locale),
			names: { value: field.actual(period.id), comment: perLocale((l) => field.actualComment(period.id, l)) }
		};
	});
	// The steps and the history (names, comments) are the partnership's and staff's to see.
	const rights = report && mayRead ? await stepRights(db, actor, p.id, report, mayWrite) : null;
	return {
		partnership: { slug: p.slug, name: p.name },
		year,
		report: report && {
			status: report.status,
			due: report.due,
			lessons: pick(report.lessons, locale),
			plans: pick(report.plans, locale),
			submittedAt: report.submittedAt?.toISOString() ?? null,
			approvedAt: report.approvedAt?.toISOString() ?? null,
			approvals: report.approvals.map((a) => ({ side: a.side, by: a.by, at: a.at.toISOString() })),
			history: report.history.map((e): HistoryRow => ({ ...e, at: e.at.toISOString() }))
		},
		principles,
		periods,
		fields: {
			lessons: perLocale(field.lessons),
			plans: perLocale(field.plans)
		},
		/** The form's stored values, for those who may change it now. */
		values: rights?.write && report ? storedValues(report, loaded.periods) : {},
		canStart: !report && mayWrite,
		/** Whether the years' list is theirs to see (an approved report is read by anyone). */
		canList: mayRead,
		rights
	};
}

/** What this person may do with the report as it stands (the commands check it again). */
async function stepRights(
	db: Database,
	actor: Actor,
	partnershipId: number,
	report: { status: ReportStatus; approvals: { side: ApprovalSide }[] },
	mayWrite: boolean
) {
	const done = new Set(report.approvals.map((a) => a.side));
	const sides: ApprovalSide[] = actor ? await sidesOf(db, actor.id, partnershipId) : [];
	const forProgramme = can(actor, resultsPolicy.approveForProgramme);
	const partnersDone = done.has('swedish') && done.has('international');
	// As commands.ts picks it: a partner side first, the programme once both partners have approved.
	const approve =
		report.status !== 'submitted'
			? null
			: (sides.find((s) => !done.has(s)) ??
				(forProgramme && partnersDone && !done.has('programme') ? 'programme' : null));
	return {
		write: mayWrite && editable(report.status),
		approve: approve as ApprovalSide | null,
		/** Staff wait for both partners: said instead of an approve button. */
		waitForPartners: report.status === 'submitted' && forProgramme && !partnersDone && approve === null,
		return:
			report.status === 'submitted' &&
			(await mayOn(actor, resultsPolicy.returnReport, { db, id: partnershipId })),
		reopen: report.status === 'approved' && can(actor, resultsPolicy.reopenReport)
	};
}
