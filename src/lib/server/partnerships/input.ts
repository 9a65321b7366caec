import { z } from 'zod';
import { ValidationError, type FieldProblem } from '../kernel/errors.ts';
import {
	fields,
	formValues,
	line,
	paragraphs,
	perLocale,
	problemsOf,
	readQuery,
	requiredLine,
	type Input,
	type Shape
} from '../kernel/input.ts';
import { locales, type Locale } from '#lib/i18n/locales.ts';
import { partnershipPhases, partnershipStatuses, teamRoles } from '#lib/partnership-values.ts';
import type { PartnershipPhase, PartnershipStatus, TeamRole } from './schema.ts';

/**
 * What people send to the partnership registry: the list's filters (page, API, CSV) and the
 * partnership form. The forms of a partnership's own space are in `space/input.ts`.
 */

// ---------------------------------------------------------------------------------------------
// The list's filters

/** `/partnerships?status=active&theme=…&sdg=16.7&country=XK&county=14&page=2` */
export const partnershipFilterQuery = {
	status: z.enum(partnershipStatuses, 'invalidStatus').optional(),
	theme: fields.theme.optional(),
	/** A goal ("16") or a target ("16.7"). */
	sdg: fields.goalOrTarget.optional(),
	/** The international partner's country. */
	country: fields.country.optional(),
	/** The Swedish partner's county. */
	county: fields.county.optional(),
	page: fields.page.optional()
};

/** `GET /api/v1/partnerships`: the list's filters, the language, a page's size, JSON or CSV. */
export const partnershipListApiQuery = {
	...partnershipFilterQuery,
	lang: fields.lang.optional(),
	per_page: fields.perPage.optional(),
	format: fields.format.optional()
};

/** `GET /api/v1/partnerships/<slug>` */
export const partnershipApiQuery = { lang: fields.lang.optional() };

/** What the partnership list, its map, the API and the CSV can be filtered by. */
export interface PartnershipFilter {
	status?: PartnershipStatus;
	theme?: string;
	goal?: number;
	target?: string;
	/** The international partner's country (ISO 3166-1 alpha-2). */
	country?: string;
	/** The Swedish partner's county (two digits, "14" for Västra Götaland). */
	county?: string;
	page: number;
}

/** A page of the API's JSON, unless asked otherwise. */
export const apiPageSize = 20;
/** The CSV is the whole filtered list, not a page (far beyond the registry's size). */
export const csvRows = 10_000;

const filterOf = (q: Input<typeof partnershipFilterQuery>): PartnershipFilter => ({
	status: q.status,
	theme: q.theme,
	goal: q.sdg?.goal,
	target: q.sdg?.target,
	country: q.country,
	county: q.county,
	page: q.page ?? 1
});

/** Reads the list's filters from `/partnerships`' query string; each bad or repeated one is named. */
export function readPartnershipFilter(params: URLSearchParams): PartnershipFilter {
	return filterOf(readQuery(params, partnershipFilterQuery, 'partnerships'));
}

/** Reads `GET /api/v1/partnerships`' query string. */
export function readPartnershipListApiQuery(params: URLSearchParams) {
	const q = readQuery(params, partnershipListApiQuery, 'partnerships');
	const format = q.format ?? 'json';
	return {
		filter: filterOf(q),
		lang: q.lang ?? 'sv',
		format,
		perPage: format === 'csv' ? csvRows : (q.per_page ?? apiPageSize)
	};
}

/** Reads `GET /api/v1/partnerships/<slug>`' query string. */
export function readPartnershipApiQuery(params: URLSearchParams): { lang: Locale } {
	return { lang: readQuery(params, partnershipApiQuery, 'partnerships').lang ?? 'sv' };
}

// ---------------------------------------------------------------------------------------------
// The partnership form

const text = z.string();
const list = z.array(z.string());
/**
 * The fields the partnership form posts, read as typed with the kernel's `formValues` (lists for
 * the pickers and the team's rows); `parsePartnershipForm` checks them.
 */
export const partnershipFormFields = {
	status: text,
	swedish: list,
	international: list,
	themes: list,
	goals: list,
	targets: list,
	...perLocale('summary', text),
	...perLocale('description', text),
	...Object.fromEntries(
		partnershipPhases.flatMap((p) => [
			[`phase_${p}_from`, text],
			[`phase_${p}_to`, text]
		])
	),
	team_side: list,
	team_role: list,
	team_name: list,
	...perLocale('team_title', list),
	leadImageId: text,
	version: text
} satisfies Shape;

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
	phases: Record<PartnershipPhase, { from: string; to: string }>;
	team: { side: string; role: string; name: string; title: Record<Locale, string> }[];
	/** A library image's id, or empty for none. */
	leadImageId: string;
	version: string;
}

/** The form's values from what it posted (an empty FormData gives an empty form). */
export function partnershipFormValues(form: FormData): PartnershipFormValues {
	const raw = formValues(form, partnershipFormFields);
	const one = (name: string) => (typeof raw[name] === 'string' ? (raw[name] as string) : '');
	const many = (name: string) => (Array.isArray(raw[name]) ? (raw[name] as string[]) : []);
	const byLocale = (prefix: string) =>
		Object.fromEntries(locales.map((l) => [l, one(`${prefix}_${l}`)])) as Record<Locale, string>;
	const sides = many('team_side');
	const roles = many('team_role');
	const titles = Object.fromEntries(locales.map((l) => [l, many(`team_title_${l}`)]));
	return {
		status: one('status'),
		swedish: many('swedish').filter(Boolean),
		international: many('international').filter(Boolean),
		themes: many('themes'),
		goals: many('goals'),
		targets: many('targets'),
		summary: byLocale('summary'),
		description: byLocale('description'),
		phases: Object.fromEntries(
			partnershipPhases.map((p) => [p, { from: one(`phase_${p}_from`), to: one(`phase_${p}_to`) }])
		) as PartnershipFormValues['phases'],
		team: many('team_name').map((name, i) => ({
			side: sides[i] ?? '',
			role: roles[i] ?? '',
			name,
			title: Object.fromEntries(locales.map((l) => [l, titles[l]?.[i] ?? ''])) as Record<Locale, string>
		})),
		leadImageId: one('leadImageId'),
		version: one('version')
	};
}

/** The partnership as the form describes it, checked. */
export interface ParsedPartnershipForm {
	status: PartnershipStatus;
	swedish: number[];
	international: number[];
	themes: string[];
	goals: number[];
	targets: string[];
	summary: Partial<Record<Locale, string>>;
	description: Partial<Record<Locale, string>>;
	phases: { phase: PartnershipPhase; fromYear: number; toYear: number | null }[];
	team: {
		side: 'swedish' | 'international';
		role: TeamRole;
		name: string;
		title: Partial<Record<Locale, string>>;
	}[];
	leadImageId: number | null;
	version: string;
}

/** A member picked from the list: an organization's id (anything else is a tampered form). */
const organizationId = z
	.string('unknownOrganization')
	.refine((v) => fields.id.safeParse(v).success, 'unknownOrganization')
	.transform(Number);

const members = z
	.object({ swedish: z.array(organizationId), international: z.array(organizationId) })
	.superRefine((m, ctx) => {
		const all = [...m.swedish, ...m.international];
		const problem =
			new Set(all).size !== all.length
				? 'duplicateMember'
				: !m.swedish.length || !m.international.length
					? 'membersRequired'
					: all.length > 20
						? 'tooLong'
						: null;
		if (problem) ctx.addIssue({ code: 'custom', message: problem });
	});

const year = z
	.string('invalidYear')
	.regex(/^\d{4}$/, 'invalidYear')
	.transform(Number)
	.pipe(z.number().int().min(1990, 'invalidYear').max(2100, 'invalidYear'));

/** A phase's years: none (no such phase), from a year, or from one year to another. */
const phase = z.object({ from: year.optional(), to: year.optional() }).transform((p, ctx) => {
	if (p.from === undefined) {
		if (p.to !== undefined) ctx.addIssue({ code: 'custom', message: 'invalidYear' });
		return null;
	}
	if (p.to !== undefined && p.to < p.from) {
		ctx.addIssue({ code: 'custom', message: 'yearOrder' });
		return z.NEVER;
	}
	return { fromYear: p.from, toYear: p.to ?? null };
});

/** One named person of the team; the name is checked first, then side and role, then titles. */
const teamRow = z.object({
	name: requiredLine(120),
	side: z.enum(['swedish', 'international'], 'invalidTeamRow'),
	role: z.enum(teamRoles, 'invalidTeamRow'),
	...perLocale('title', line(200).optional())
});

/** The form's fields that are always there; phases and team rows are named by position. */
const partnershipFormChecks = {
	status: z.enum(partnershipStatuses, 'invalidStatus'),
	members,
	themes: fields.list(fields.theme, 20),
	goals: fields.list(fields.goal, 50),
	targets: fields.list(fields.target, 50),
	...perLocale('summary', paragraphs(600).optional()),
	...perLocale('description', paragraphs(50_000).optional()),
	team: z.array(z.unknown()).max(40, 'tooLong'),
	leadImageId: fields.id.optional(),
	version: line(40).optional()
};

type PhaseYears = z.output<typeof phase>;
type TeamRow = z.output<typeof teamRow>;

/**
 * Checks the form's values; throws a ValidationError naming every bad field at once (members,
 * each phase as `phase_<name>`, each team row by its position as `team_<n>`).
 */
export function parsePartnershipForm(v: PartnershipFormValues): ParsedPartnershipForm {
	const present = (s: string) => s.trim() || undefined;
	// Rows without a name are the form's blank rows (or a person taken off the team).
	const named = v.team.map((row, i) => ({ row, i })).filter(({ row }) => row.name.trim());
	const shape: Shape = {
		...partnershipFormChecks,
		...Object.fromEntries(partnershipPhases.map((p) => [`phase_${p}`, phase])),
		...Object.fromEntries(named.map(({ i }) => [`team_${i}`, teamRow]))
	};
	const raw: Record<string, unknown> = {
		status: v.status,
		members: { swedish: v.swedish, international: v.international },
		themes: v.themes,
		goals: v.goals,
		targets: v.targets,
		team: named,
		leadImageId: present(v.leadImageId ?? ''),
		version: present(v.version)
	};
	for (const l of locales) {
		raw[`summary_${l}`] = present(v.summary[l]);
		raw[`description_${l}`] = present(v.description[l]);
	}
	for (const p of partnershipPhases) {
		raw[`phase_${p}`] = { from: present(v.phases[p].from), to: present(v.phases[p].to) };
	}
	for (const { row, i } of named) {
		const title = Object.fromEntries(locales.map((l) => [`title_${l}`, present(row.title[l])]));
		raw[`team_${i}`] = { name: row.name, side: row.side, role: row.role, ...title };
	}
	const parsed = z.object(shape).safeParse(raw);
	const problems: FieldProblem<'partnerships'>[] = parsed.success ? [] : problemsOf(parsed.error);
	const firstSummary = `summary_${locales[0]}`;
	if (locales.every((l) => !present(v.summary[l])) && !problems.some((p) => p.field === firstSummary)) {
		problems.push({ field: firstSummary, code: 'required' });
	}
	if (!parsed.success || problems.length) throw new ValidationError(problems, 'partnerships');
	const d = parsed.data as Input<typeof partnershipFormChecks> & Record<string, unknown>;
	const byLocale = (of: (l: Locale) => string | undefined) =>
		Object.fromEntries(locales.flatMap((l) => (of(l) ? [[l, of(l)]] : []))) as Partial<
			Record<Locale, string>
		>;
	return {
		status: d.status,
		swedish: d.members.swedish,
		international: d.members.international,
		themes: [...new Set(d.themes)],
		goals: [...new Set(d.goals)],
		targets: [...new Set(d.targets)],
		summary: byLocale((l) => d[`summary_${l}`]),
		description: byLocale((l) => d[`description_${l}`]),
		phases: partnershipPhases.flatMap((p) => {
			const years = d[`phase_${p}`] as PhaseYears;
			return years ? [{ phase: p, ...years }] : [];
		}),
		team: named.map(({ i }) => {
			const row = d[`team_${i}`] as TeamRow;
			return { side: row.side, role: row.role, name: row.name, title: byLocale((l) => row[`title_${l}`]) };
		}),
		leadImageId: d.leadImageId ?? null,
		version: d.version ?? ''
	};
}
