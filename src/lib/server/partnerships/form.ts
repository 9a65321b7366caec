import { z } from 'zod';
import { ValidationError, type FieldProblem, type ErrorCode } from '../kernel/errors.ts';
import { locales, type Locale } from '#lib/i18n/locales.ts';
import { partnershipPhases, partnershipStatuses, teamRoles } from '#lib/partnership-values.ts';

/** What the partnership form posted, as strings: shown again as typed if saving fails. */
export interface PartnershipFormValues {
	status: string;
	swedish: string[];
	international: string[];
	themes: string[];
	goals: string[];
	targets: string[];
	summary: Record<Locale, string>;
	description: Record<Locale, string>;
	phases: Record<(typeof partnershipPhases)[number], { from: string; to: string }>;
	team: { side: string; role: string; name: string; title: Record<Locale, string> }[];
	version: string;
}

export function partnershipFormValues(form: FormData): PartnershipFormValues {
	const text = (name: string) => {
		const v = form.get(name);
		return typeof v === 'string' ? v : '';
	};
	const list = (name: string) => form.getAll(name).filter((v): v is string => typeof v === 'string');
	const perLocale = (prefix: string) =>
		Object.fromEntries(locales.map((l) => [l, text(`${prefix}_${l}`)])) as Record<Locale, string>;
	const sides = list('team_side');
	const roles = list('team_role');
	const names = list('team_name');
	const titles = Object.fromEntries(locales.map((l) => [l, list(`team_title_${l}`)]));
	return {
		status: text('status'),
		swedish: list('swedish').filter(Boolean),
		international: list('international').filter(Boolean),
		themes: list('themes'),
		goals: list('goals'),
		targets: list('targets'),
		summary: perLocale('summary'),
		description: perLocale('description'),
		phases: Object.fromEntries(
			partnershipPhases.map((p) => [p, { from: text(`phase_${p}_from`), to: text(`phase_${p}_to`) }])
		) as PartnershipFormValues['phases'],
		team: names.map((name, i) => ({
			side: sides[i] ?? '',
			role: roles[i] ?? '',
			name,
			title: Object.fromEntries(locales.map((l) => [l, titles[l]?.[i] ?? ''])) as Record<Locale, string>
		})),
		version: text('version')
	};
}

export interface ParsedPartnershipForm {
	status: (typeof partnershipStatuses)[number];
	swedish: number[];
	international: number[];
	themes: string[];
	goals: number[];
	targets: string[];
	summary: Partial<Record<Locale, string>>;
	description: Partial<Record<Locale, string>>;
	phases: { phase: (typeof partnershipPhases)[number]; fromYear: number; toYear: number | null }[];
	team: {
		side: 'swedish' | 'international';
		role: (typeof teamRoles)[number];
		name: string;
		title: Partial<Record<Locale, string>>;
	}[];
	version: string;
}

const id = z
	.string()
	.regex(/^[1-9]\d{0,8}$/)
	.transform(Number);
const year = z
	.string()
	.regex(/^\d{4}$/)
	.transform(Number)
	.pipe(z.number().int().min(1990).max(2100));

/** Checks the posted values; throws a ValidationError naming every bad field. */
export function parsePartnershipForm(v: PartnershipFormValues): ParsedPartnershipForm {
	const problems: FieldProblem<'partnerships'>[] = [];
	const add = (field: string, code: ErrorCode<'partnerships'>) => {
		if (!problems.some((p) => p.field === field)) problems.push({ field, code });
	};
	const status = z.enum(partnershipStatuses).safeParse(v.status);
	if (!status.success) add('status', 'invalidStatus');

	const ids = (values: string[], field: string) =>
		values.flatMap((x) => {
			const r = id.safeParse(x);
			if (!r.success) add(field, 'unknownOrganization');
			return r.success ? [r.data] : [];
		});
	const swedish = ids(v.swedish, 'members');
	const international = ids(v.international, 'members');
	const all = [...swedish, ...international];
	if (new Set(all).size !== all.length) add('members', 'duplicateMember');
	if (!swedish.length || !international.length) add('members', 'membersRequired');
	if (all.length > 20) add('members', 'tooLong');

	const themes = v.themes.filter((t) => {
		const ok = /^[a-z][a-z0-9-]{0,39}$/.test(t);
		if (!ok) add('themes', 'invalidTheme');
		return ok;
	});
	const goals = v.goals.flatMap((g) => {
		const ok = /^(1[0-7]|[1-9])$/.test(g);
		if (!ok) add('goals', 'invalidGoal');
		return ok ? [Number(g)] : [];
	});
	const targets = v.targets.filter((t) => {
		const ok = /^(1[0-7]|[1-9])\.(\d{1,2}|[a-z])$/.test(t);
		if (!ok) add('targets', 'unknownTarget');
		return ok;
	});
	if (themes.length > 20) add('themes', 'tooLong');
	if (targets.length > 50) add('targets', 'tooLong');

	const summary: Partial<Record<Locale, string>> = {};
	const description: Partial<Record<Locale, string>> = {};
	for (const l of locales) {
		const s = v.summary[l].trim();
		if (s.length > 600) add(`summary_${l}`, 'tooLong');
		else if (s) summary[l] = s;
		const d = v.description[l].trim();
		if (d.length > 50_000) add(`description_${l}`, 'tooLong');
		else if (d) description[l] = d;
	}
	if (!Object.keys(summary).length) add(`summary_${locales[0]}`, 'required');

	const phases: ParsedPartnershipForm['phases'] = [];
	for (const phase of partnershipPhases) {
		const { from, to } = v.phases[phase];
		if (!from.trim() && !to.trim()) continue;
		const f = year.safeParse(from.trim());
		const t = to.trim() ? year.safeParse(to.trim()) : null;
		if (!f.success || (t && !t.success)) {
			add(`phase_${phase}`, 'invalidYear');
			continue;
		}
		const toYear = t?.success ? t.data : null;
		if (toYear !== null && toYear < f.data) add(`phase_${phase}`, 'yearOrder');
		else phases.push({ phase, fromYear: f.data, toYear });
	}

	const team: ParsedPartnershipForm['team'] = [];
	v.team.forEach((row, i) => {
		const name = row.name.trim();
		if (!name) return;
		const side = z.enum(['swedish', 'international']).safeParse(row.side);
		const role = z.enum(teamRoles).safeParse(row.role);
		if (name.length > 120) add(`team_${i}`, 'tooLong');
		else if (!side.success || !role.success) add(`team_${i}`, 'invalidTeamRow');
		else {
			const title: Partial<Record<Locale, string>> = {};
			for (const l of locales) {
				const t = row.title[l].trim();
				if (t.length > 200) add(`team_${i}`, 'tooLong');
				else if (t) title[l] = t;
			}
			team.push({ side: side.data, role: role.data, name, title });
		}
	});
	if (team.length > 40) add('team', 'tooLong');

	if (problems.length || !status.success) throw new ValidationError(problems, 'partnerships');
	return {
		status: status.data,
		swedish,
		international,
		themes: [...new Set(themes)],
		goals: [...new Set(goals)],
		targets: [...new Set(targets)],
		summary,
		description,
		phases,
		team,
		version: v.version.slice(0, 40)
	};
}
