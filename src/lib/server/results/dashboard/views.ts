import type { Database } from '../../kernel/database.ts';
import { ValidationError } from '../../kernel/errors.ts';
import { reads } from '../../kernel/sql.ts';
import { listThemes } from '../../taxonomy/themes.ts';
import { listGoals } from '../../taxonomy/goals.ts';
import { countryName, format, messages, type Locale } from '#lib/i18n/index.ts';
import type { DashboardQuery } from './input.ts';
import {
	buckets,
	dashboardFigures,
	dashboardOptions,
	defaultYear,
	lights,
	type Bucket,
	type DashboardFilter
} from './queries.ts';
import type { Light } from '../reports/light.ts';

// What /results shows and what its CSV holds: the figures of queries.ts with the names of the
// principles, goals and countries in the reader's language, shares as whole percent.

export interface DashboardView {
	filter: DashboardFilter;
	options: {
		years: number[];
		principles: { key: string; name: string }[];
		countries: { code: string; name: string }[];
		goals: { number: number; name: string }[];
	};
	partnerships: { inFilter: number; activeInYear: number; approvedReports: number };
	scores: { principle: string; name: string; counts: number[]; total: number; mean: number | null }[];
	/** Whether any approved report of the year is in the selection (else the page says so). */
	hasReports: boolean;
	progress: {
		buckets: { key: Bucket; count: number }[];
		indicators: number;
		mean: { principle: string; name: string; percent: number | null; counted: number }[];
	};
	lights: { key: Light; count: number }[];
}

export async function dashboardView(
	db: Database,
	query: DashboardQuery,
	locale: Locale
): Promise<DashboardView> {
	const [options, themes, goals] = await reads(
		db,
		() => dashboardOptions(db),
		() => listThemes(db, locale),
		() => listGoals(db, locale)
	);
	if (query.principle && !options.principles.includes(query.principle))
		throw new ValidationError([{ field: 'principle', code: 'invalidPrinciple' }], 'results');
	const year = query.year ?? (await defaultYear(db, options.years));
	const filter: DashboardFilter = {
		year,
		principle: query.principle,
		country: query.country,
		goal: query.goal
	};
	const figures = await dashboardFigures(db, filter, options.principles);
	const themeName = new Map(themes.map((t) => [t.key, t.name]));
	const name = (key: string) => themeName.get(key) ?? key;
	return {
		filter,
		options: {
			years: options.years.includes(year) ? options.years : [year, ...options.years].sort((a, b) => b - a),
			principles: options.principles.map((key) => ({ key, name: name(key) })),
			countries: options.countries
				.map((code) => ({ code, name: countryName(locale, code) }))
				.sort((a, b) => a.name.localeCompare(b.name, locale)),
			goals: goals
				.filter((g) => options.goals.includes(g.number))
				.map((g) => ({ number: g.number, name: g.shortName }))
		},
		partnerships: figures.partnerships,
		scores: figures.scores.map((s) => ({ ...s, name: name(s.principle) })),
		hasReports: figures.partnerships.approvedReports > 0,
		progress: {
			buckets: buckets.map((key) => ({ key, count: figures.progress.buckets[key] })),
			indicators: buckets.reduce((n, key) => n + figures.progress.buckets[key], 0),
			mean: figures.progress.mean.map((m) => ({
				principle: m.principle,
				name: name(m.principle),
				percent: m.mean === null ? null : Math.round(m.mean * 100),
				counted: m.counted
			}))
		},
		lights: lights.map((key) => ({ key, count: figures.lights[key] }))
	};
}

/** Every figure of the page as CSV rows: section, year, country, goal, principle, category, value. */
export function dashboardCsv(view: DashboardView, locale: Locale) {
	const t = messages(locale).results.dashboard;
	const f = view.filter;
	const row = (section: string, principle: string, category: string, value: number | null) => [
		section,
		f.year,
		f.country ?? '',
		f.goal ?? '',
		principle,
		category,
		value
	];
	const c = t.csvSections;
	const p = t.partnerships;
	const fill = (s: string) => format(s, { year: f.year });
	return {
		header: Object.values(t.csvColumns),
		rows: [
			row(c.partnerships, '', p.inFilter, view.partnerships.inFilter),
			row(c.partnerships, '', fill(p.activeInYear), view.partnerships.activeInYear),
			row(c.partnerships, '', fill(p.approvedReports), view.partnerships.approvedReports),
			...view.scores.flatMap((s) =>
				s.counts.map((n, i) => row(c.scores, s.name, format(t.scores.score, { score: i + 1 }), n))
			),
			...view.progress.buckets.map((b) => row(c.progress, '', t.progress.buckets[b.key], b.count)),
			...view.progress.mean.map((m) => row(c.mean, m.name, t.progress.mean, m.percent)),
			...view.lights.map((l) => row(c.lights, '', t.lights.names[l.key], l.count))
		]
	};
}
