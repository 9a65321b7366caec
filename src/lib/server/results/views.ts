import type { Database } from '../kernel/database.ts';
import { pick } from '../kernel/localized.ts';
import { listThemes } from '../taxonomy/themes.ts';
import {
	figureNumber,
	rollUpTree,
	indicatorProgress,
	type IndicatorFigures,
	type ResultNode
} from './progress.ts';
import { frameworkOf, type Figure, type Framework, type Indicator, type Result } from './queries.ts';
import { proposalsOfPartnership, type LinkedProposal } from './links/queries.ts';
import type { IndicatorMeasure, ResultLevel, ResultStatus } from './schema.ts';

// A partnership's framework as its page shows it: texts picked for the language, numbers written
// for it, and each result's and indicator's progress worked out here (progress.ts), so the page
// only lays it out.

export interface FigureView {
	/** The value as the language writes numbers ("2,4" in Swedish), else as entered; null if none. */
	value: string | null;
	comment: string;
}

export interface BreakdownView extends FigureView {
	/** e.g. [{ name: 'sex', value: 'female' }]: the page words the names it knows. */
	dimensions: { name: string; value: string }[];
}

export interface TotalView extends FigureView {
	breakdown: BreakdownView[];
}

export interface PeriodView {
	/** The year, when the period is one calendar year; else null and the dates tell. */
	year: number | null;
	start: string;
	end: string;
	target: TotalView | null;
	actual: TotalView | null;
}

export interface IndicatorView {
	id: number;
	title: string;
	description: string;
	measure: IndicatorMeasure;
	ascending: boolean;
	dataSource: string;
	baseline: (TotalView & { year: number | null }) | null;
	periods: PeriodView[];
	/** Whole percent from the baseline to the final target, or null when it cannot be said. */
	progress: number | null;
}

export interface ProgressView {
	percent: number | null;
	rule: 'weighted' | 'mean' | 'none';
	counted: number;
	of: number;
}

export interface ResultView {
	id: number;
	level: ResultLevel;
	status: ResultStatus;
	/** The citizens' proposals it came from (public ones only). */
	proposals: LinkedProposal[];
	principle: { key: string; name: string } | null;
	title: string;
	description: string;
	goals: number[];
	targets: string[];
	progress: ProgressView;
	indicators: IndicatorView[];
	children: ResultView[];
}

export interface ActivityView {
	id: number;
	title: string;
	milestone: boolean;
	start: string | null;
	end: string;
	done: boolean;
	/** The title of the result it serves, if any. */
	result: string | null;
}

export interface FrameworkView {
	results: ResultView[];
	activities: ActivityView[];
}

const total = (figures: Figure[]) => figures.find((f) => f.dimensions.length === 0) ?? null;

/**
 * What progress.ts needs of an indicator: its baseline's total, the final period's target and
 * the latest actual that has a value.
 */
export function indicatorFigures(i: Indicator): IndicatorFigures {
	const latest = i.periods.map((p) => total(p.actuals)).findLast((f) => figureNumber(f?.value) !== null);
	return {
		measure: i.measure,
		ascending: i.ascending,
		baseline: figureNumber(total(i.baselines)?.value),
		target: figureNumber(total(i.periods.at(-1)?.targets ?? [])?.value),
		actual: figureNumber(latest?.value)
	};
}

const toNode = (r: Result): ResultNode => ({
	id: r.id,
	weight: r.weight,
	indicators: r.indicators.map((i) => ({ ...indicatorFigures(i), weight: i.weight })),
	children: r.children.map(toNode)
});

const percent = (share: number | null) => (share === null ? null : Math.round(share * 100));

/** Shapes a framework (queries.ts) for a page in the language. */
export function shapeFramework(
	framework: Framework,
	locale: string,
	principleNames: ReadonlyMap<string, string>,
	proposals: ReadonlyMap<number, LinkedProposal[]> = new Map()
): FrameworkView {
	const progress = rollUpTree(framework.results.map(toNode));
	const written = (value: string | null) => {
		const n = figureNumber(value);
		return n === null ? value : n.toLocaleString(locale, { maximumFractionDigits: 3 });
	};
	const figure = (f: Figure): FigureView => ({ value: written(f.value), comment: pick(f.comment, locale) });
	const totalOf = (figures: Figure[]): TotalView | null => {
		const t = total(figures);
		if (!t && figures.length === 0) return null;
		return {
			...(t ? figure(t) : { value: null, comment: '' }),
			breakdown: figures
				.filter((f) => f.dimensions.length > 0)
				.map((f) => ({ ...figure(f), dimensions: f.dimensions }))
		};
	};
	const wholeYear = (start: string, end: string) =>
		start.endsWith('-01-01') && end.endsWith('-12-31') && start.slice(0, 4) === end.slice(0, 4)
			? Number(start.slice(0, 4))
			: null;
	const titles = new Map<number, string>();
	const result = (r: Result): ResultView => {
		const title = pick(r.title, locale);
		titles.set(r.id, title);
		const rolled = progress.get(r.id)!;
		const baseline = (i: Indicator) => {
			const b = totalOf(i.baselines);
			return b && { ...b, year: i.baselines[0]!.year };
		};
		return {
			id: r.id,
			level: r.level,
			status: r.status,
			proposals: proposals.get(r.id) ?? [],
			principle: r.principle
				? { key: r.principle, name: principleNames.get(r.principle) ?? r.principle }
				: null,
			title,
			description: pick(r.description, locale),
			goals: r.goals,
			targets: r.targets,
			progress: {
				percent: percent(rolled.progress),
				rule: rolled.rule,
				counted: rolled.counted,
				of: rolled.of
			},
			indicators: r.indicators.map((i) => ({
				id: i.id,
				title: pick(i.title, locale),
				description: pick(i.description, locale),
				measure: i.measure,
				ascending: i.ascending,
				dataSource: pick(i.dataSource, locale),
				baseline: baseline(i),
				periods: i.periods.map((p) => ({
					year: wholeYear(p.start, p.end),
					start: p.start,
					end: p.end,
					target: totalOf(p.targets),
					actual: totalOf(p.actuals)
				})),
				progress: percent(indicatorProgress(indicatorFigures(i)))
			})),
			children: r.children.map(result)
		};
	};
	const results = framework.results.map(result);
	return {
		results,
		activities: framework.activities.map((a) => ({
			id: a.id,
			title: pick(a.title, locale),
			milestone: a.milestone,
			start: a.start,
			end: a.end,
			done: a.done,
			result: a.resultId === null ? null : (titles.get(a.resultId) ?? null)
		}))
	};
}

/** A partnership's framework for its page, in the language. */
export async function frameworkView(
	db: Database,
	locale: string,
	partnershipId: number
): Promise<FrameworkView> {
	const [framework, themes, proposals] = await Promise.all([
		frameworkOf(db, partnershipId),
		listThemes(db, locale),
		proposalsOfPartnership(db, partnershipId)
	]);
	return shapeFramework(framework, locale, new Map(themes.map((t) => [t.key, t.name])), proposals);
}
