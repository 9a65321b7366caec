import { z } from 'zod';
import { ValidationError, type FieldProblem } from '../../kernel/errors.ts';
import {
	fields,
	formValues,
	paragraphs,
	perLocale,
	problemsOf,
	requiredLine,
	type Input,
	type Shape
} from '../../kernel/input.ts';
import { locales, type Locale } from '#lib/i18n/locales.ts';
import {
	inputKinds,
	moderationModes,
	participantRequirements,
	participationLevels,
	phaseKinds,
	spaceStatuses,
	type InputKind,
	type ModerationMode,
	type ParticipationLevel,
	type PhaseKind,
	type SpaceStatus
} from '#lib/dialogue-values.ts';
import type { Requirements } from './schema.ts';

/**
 * The space form (create and edit): the fields it posts, the values shown again when saving
 * fails, and the checks that turn them into a space. Its query strings are in `input.ts`.
 */

/** Phase rows the form takes (the rows shown plus blank ones never pass this). */
export const maxPhases = 8;

const text = z.string();
const list = z.array(z.string());
/** The fields the space form posts, read as typed (lists for checkboxes, selects and phase rows). */
export const spaceFormFields = {
	owner: text,
	...perLocale('title', text),
	...perLocale('description', text),
	languages: list,
	level: text,
	status: text,
	moderation: text,
	...Object.fromEntries(inputKinds.map((k) => [`requirement_${k}`, text])),
	support_threshold: text,
	support_window_days: text,
	answer_days: text,
	flags_to_hide: text,
	phase_kind: list,
	phase_from: list,
	phase_to: list,
	...Object.fromEntries(Array.from({ length: maxPhases }, (_, i) => [`phase_opens_${i}`, list])),
	themes: list,
	goals: list,
	targets: list,
	moderators: list,
	answerers: list,
	version: text
} satisfies Shape;

export interface PhaseRowValues {
	kind: string;
	from: string;
	to: string;
	opens: string[];
}

/** What the space form posted, as strings: shown again as typed if saving fails. */
export interface SpaceFormValues {
	owner: string;
	title: Record<Locale, string>;
	description: Record<Locale, string>;
	languages: string[];
	level: string;
	status: string;
	moderation: string;
	requirements: Record<InputKind, string>;
	supportThreshold: string;
	supportWindowDays: string;
	answerDays: string;
	flagsToHide: string;
	phases: PhaseRowValues[];
	themes: string[];
	goals: string[];
	targets: string[];
	moderators: string[];
	answerers: string[];
	version: string;
}

/** The form's values from what it posted (an empty FormData gives an empty form). */
export function spaceFormValues(form: FormData): SpaceFormValues {
	const raw = formValues(form, spaceFormFields);
	const one = (name: string) => (typeof raw[name] === 'string' ? (raw[name] as string) : '');
	const many = (name: string) => (Array.isArray(raw[name]) ? (raw[name] as string[]) : []);
	const byLocale = (prefix: string) =>
		Object.fromEntries(locales.map((l) => [l, one(`${prefix}_${l}`)])) as Record<Locale, string>;
	const from = many('phase_from');
	const to = many('phase_to');
	return {
		owner: one('owner'),
		title: byLocale('title'),
		description: byLocale('description'),
		languages: many('languages'),
		level: one('level'),
		status: one('status'),
		moderation: one('moderation'),
		requirements: Object.fromEntries(inputKinds.map((k) => [k, one(`requirement_${k}`)])) as Record<
			InputKind,
			string
		>,
		supportThreshold: one('support_threshold'),
		supportWindowDays: one('support_window_days'),
		answerDays: one('answer_days'),
		flagsToHide: one('flags_to_hide'),
		phases: many('phase_kind')
			.slice(0, maxPhases + 1)
			.map((kind, i) => ({
				kind,
				from: from[i] ?? '',
				to: to[i] ?? '',
				opens: many(`phase_opens_${i}`)
			})),
		themes: many('themes'),
		goals: many('goals'),
		targets: many('targets'),
		moderators: many('moderators'),
		answerers: many('answerers'),
		version: one('version')
	};
}

/** The owner as the form names it: an organization or a partnership, by id. */
export type SpaceOwner = { organizationId: number } | { partnershipId: number };

export interface ParsedSpaceForm {
	owner: SpaceOwner | null;
	title: Partial<Record<Locale, string>>;
	description: Partial<Record<Locale, string>>;
	languages: Locale[];
	level: ParticipationLevel;
	status: SpaceStatus;
	moderation: ModerationMode;
	requirements: Requirements;
	supportThreshold: number;
	supportWindowDays: number;
	answerDays: number;
	flagsToHide: number;
	phases: { kind: PhaseKind; startsOn: string; endsOn: string; opens: InputKind[] }[];
	themes: string[];
	goals: number[];
	targets: string[];
	moderators: string[];
	answerers: string[];
	version: string;
}

const owner = z
	.string('spaceOwnerRequired')
	.regex(/^(organization|partnership):[1-9]\d{0,8}$/, 'spaceUnknownOwner')
	.transform((v): SpaceOwner => {
		const [kind, id] = v.split(':');
		return kind === 'organization' ? { organizationId: Number(id) } : { partnershipId: Number(id) };
	});

const count = (min: number, max: number) =>
	z
		.string('required')
		.regex(/^(0|[1-9]\d{0,5})$/, 'spaceInvalidNumber')
		.transform(Number)
		.pipe(z.number().int().min(min, 'spaceInvalidNumber').max(max, 'spaceInvalidNumber'));

const isoDay = z
	.string('spacePhaseDates')
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'spacePhaseDates')
	.refine((d) => {
		const parsed = new Date(`${d}T00:00:00Z`);
		return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(d);
	}, 'spacePhaseDates');

/** One phase row: its kind, its dates (end not before start) and the kinds of input it opens. */
const phaseRow = z
	.object({
		kind: z.enum(phaseKinds, 'spaceInvalidPhase'),
		startsOn: isoDay,
		endsOn: isoDay,
		opens: z.array(z.enum(inputKinds, 'spaceInvalidPhase')).max(inputKinds.length, 'spaceInvalidPhase')
	})
	.refine((p) => p.endsOn >= p.startsOn, 'spacePhaseOrder');

/** A person picked from the owner's people: a user id (anything else is a tampered form). */
const person = z.string('spaceUnknownPerson').regex(/^[A-Za-z0-9_-]{1,64}$/, 'spaceUnknownPerson');

const spaceFormChecks = {
	owner: owner.optional(),
	...perLocale('title', requiredLine(200).optional()),
	...perLocale('description', paragraphs(50_000).optional()),
	languages: z.array(z.enum(locales, 'spaceInvalidLanguage')).max(locales.length, 'spaceInvalidLanguage'),
	level: z.enum(participationLevels, 'spaceInvalidLevel'),
	status: z.enum(spaceStatuses, 'invalidSpaceStatus'),
	moderation: z.enum(moderationModes, 'spaceInvalidModeration'),
	...Object.fromEntries(
		inputKinds.map((k) => [`requirement_${k}`, z.enum(participantRequirements, 'spaceInvalidRequirement')])
	),
	support_threshold: count(1, 100_000),
	support_window_days: count(1, 3650),
	answer_days: count(1, 3650),
	flags_to_hide: count(1, 100),
	phases: z.array(z.unknown()).max(maxPhases, 'spaceTooManyPhases'),
	themes: fields.list(fields.theme, 20),
	goals: fields.list(fields.goal, 17),
	targets: fields.list(fields.target, 50),
	moderators: fields.list(person, 50),
	answerers: fields.list(person, 50),
	version: z.string().max(40, 'tooLong').optional()
} satisfies Shape;

type PhaseRow = z.output<typeof phaseRow>;

/**
 * Checks the form; throws a ValidationError naming every bad field at once (each phase row by its
 * position as `phase_<n>`). Rows without a kind and dates are the form's blank rows.
 */
export function parseSpaceForm(v: SpaceFormValues, { withOwner }: { withOwner: boolean }): ParsedSpaceForm {
	const present = (s: string) => s.trim() || undefined;
	const rows = v.phases
		.map((row, i) => ({ row, i }))
		.filter(({ row }) => row.kind || row.from.trim() || row.to.trim());
	const shape: Shape = {
		...spaceFormChecks,
		...(withOwner ? { owner } : {}),
		...Object.fromEntries(rows.map(({ i }) => [`phase_${i}`, phaseRow]))
	};
	const raw: Record<string, unknown> = {
		owner: withOwner ? present(v.owner) : undefined,
		languages: v.languages,
		level: v.level,
		status: v.status,
		moderation: v.moderation,
		support_threshold: present(v.supportThreshold),
		support_window_days: present(v.supportWindowDays),
		answer_days: present(v.answerDays),
		flags_to_hide: present(v.flagsToHide),
		phases: rows,
		themes: v.themes,
		goals: v.goals,
		targets: v.targets,
		moderators: v.moderators,
		answerers: v.answerers,
		version: present(v.version)
	};
	for (const k of inputKinds) raw[`requirement_${k}`] = v.requirements[k];
	for (const l of locales) {
		raw[`title_${l}`] = present(v.title[l]);
		raw[`description_${l}`] = present(v.description[l]);
	}
	for (const { row, i } of rows) {
		raw[`phase_${i}`] = {
			kind: row.kind,
			startsOn: row.from.trim(),
			endsOn: row.to.trim(),
			opens: row.opens
		};
	}
	const parsed = z.object(shape).safeParse(raw);
	const problems: FieldProblem<'dialogue'>[] = parsed.success ? [] : problemsOf(parsed.error);
	const firstTitle = `title_${locales[0]}`;
	if (locales.every((l) => !present(v.title[l])) && !problems.some((p) => p.field === firstTitle)) {
		problems.push({ field: firstTitle, code: 'required' });
	}
	if (!parsed.success || problems.length) throw new ValidationError(problems, 'dialogue');
	const d = parsed.data as Input<typeof spaceFormChecks> & Record<string, unknown>;
	const byLocale = (of: (l: Locale) => string | undefined) =>
		Object.fromEntries(locales.flatMap((l) => (of(l) ? [[l, of(l)]] : []))) as Partial<
			Record<Locale, string>
		>;
	const title = byLocale((l) => d[`title_${l}`] as string | undefined);
	// The languages input is in: those ticked, else those the title is written in.
	const languages = d.languages.length
		? locales.filter((l) => d.languages.includes(l))
		: locales.filter((l) => title[l]);
	return {
		owner: withOwner ? (d.owner ?? null) : null,
		title,
		description: byLocale((l) => d[`description_${l}`] as string | undefined),
		languages,
		level: d.level,
		status: d.status,
		moderation: d.moderation,
		requirements: Object.fromEntries(
			inputKinds.map((k) => [k, d[`requirement_${k}`]])
		) as unknown as Requirements,
		supportThreshold: d.support_threshold,
		supportWindowDays: d.support_window_days,
		answerDays: d.answer_days,
		flagsToHide: d.flags_to_hide,
		phases: rows
			.map(({ i }) => d[`phase_${i}`] as PhaseRow)
			.map((p) => ({ ...p, opens: inputKinds.filter((k) => p.opens.includes(k)) }))
			.sort((a, b) => a.startsOn.localeCompare(b.startsOn)),
		themes: [...new Set(d.themes)],
		goals: [...new Set(d.goals)],
		targets: [...new Set(d.targets)],
		moderators: [...new Set(d.moderators)],
		answerers: [...new Set(d.answerers)],
		version: d.version ?? ''
	};
}

/** The form of a new space: the defaults a space starts from. */
export function newSpaceFormValues(): SpaceFormValues {
	const values = spaceFormValues(new FormData());
	return {
		...values,
		languages: ['sv'],
		level: 'consultation',
		status: 'draft',
		moderation: 'post',
		requirements: {
				proposals: 'verified-email',
				supports: 'verified-email',
				comments: 'verified-email',
				reports: 'verified-email'
			},
		supportThreshold: '50',
		supportWindowDays: '90',
		answerDays: '183',
		flagsToHide: '3'
	};
}
