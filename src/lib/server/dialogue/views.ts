import { z } from 'zod';
import { localizePath, locales, type Locale } from '#lib/i18n/locales.ts';
import {
	inputKinds,
	moderationModes,
	participantRequirements,
	participationLevels,
	phaseKinds,
	proposalStatuses,
	spaceStatuses
} from '#lib/dialogue-values.ts';
import type { SpacePage, SpaceRow } from './spaces/listing.ts';
import type { SpaceDetail } from './spaces/queries.ts';

/**
 * What the open data answers with for dialogues (a contract: see docs/api.md): the JSON of
 * `/api/v1/dialogues` and `/api/v1/dialogues/<slug>`, each also as a Zod schema for the OpenAPI
 * document, and the CSV's columns.
 */

export const dialogueOwnerView = z.object({
	kind: z.enum(['organization', 'partnership']),
	slug: z.string(),
	/** The organization's name, or the partnership's members' names. */
	name: z.string(),
	/** ISO 3166-1 alpha-2 codes of the owner (a partnership's members). */
	countries: z.array(z.string()),
	url: z.url()
});

export const dialoguePhaseView = z.object({
	kind: z.enum(phaseKinds),
	startsOn: z.iso.date(),
	endsOn: z.iso.date(),
	opens: z.array(z.enum(inputKinds))
});

/** A dialogue space in a list. */
export const dialogueSummaryView = z.object({
	slug: z.string(),
	title: z.string(),
	participationLevel: z.enum(participationLevels),
	status: z.enum(spaceStatuses),
	owner: dialogueOwnerView,
	phases: z.array(dialoguePhaseView),
	/** The kinds of input open today. */
	openNow: z.array(z.enum(inputKinds)),
	themes: z.array(z.string()),
	goals: z.array(z.number().int()),
	targets: z.array(z.string()),
	/** Public proposals, and the supports they have. */
	proposals: z.number().int(),
	supports: z.number().int(),
	createdAt: z.iso.datetime(),
	url: z.url()
});

/** `GET /api/v1/dialogues` */
export const dialogueListView = z.object({
	items: z.array(dialogueSummaryView),
	total: z.number().int(),
	page: z.number().int(),
	perPage: z.number().int()
});

/** `GET /api/v1/dialogues/<slug>` */
export const dialogueView = dialogueSummaryView.extend({
	lang: z.enum(locales),
	/** Sanitised HTML. */
	description: z.string(),
	/** The languages input and answers are in. */
	languages: z.array(z.string()),
	moderation: z.enum(moderationModes),
	/** Who may give each kind of input. */
	requirements: z.object({
		proposals: z.enum(participantRequirements),
		supports: z.enum(participantRequirements),
		comments: z.enum(participantRequirements),
		reports: z.enum(participantRequirements)
	}),
	supportThreshold: z.number().int(),
	supportWindowDays: z.number().int(),
	answerDays: z.number().int(),
	proposalsByStatus: z.partialRecord(z.enum(proposalStatuses), z.number().int()),
	updatedAt: z.iso.datetime()
});

export type DialogueSummaryView = z.infer<typeof dialogueSummaryView>;
export type DialogueListView = z.infer<typeof dialogueListView>;
export type DialogueView = z.infer<typeof dialogueView>;

const ownerUrl = (origin: string, locale: Locale, s: SpaceRow) =>
	origin +
	localizePath(
		locale,
		s.owner.kind === 'organization' ? `/organizations/${s.owner.slug}` : `/partnerships/${s.owner.slug}`
	);

/** A space in a list, as the API shows it. */
export function dialogueSummaryJson(origin: string, locale: Locale, s: SpaceRow): DialogueSummaryView {
	return {
		slug: s.slug,
		title: s.title,
		participationLevel: s.level,
		status: s.status,
		owner: { ...s.owner, url: ownerUrl(origin, locale, s) },
		phases: s.phases,
		openNow: s.openNow,
		themes: s.themes.map((t) => t.key),
		goals: s.goals,
		targets: s.targets,
		proposals: s.proposals,
		supports: s.supports,
		createdAt: s.createdAt,
		url: origin + localizePath(locale, `/dialogue/${s.slug}`)
	};
}

export function dialogueListJson(origin: string, locale: Locale, page: SpacePage): DialogueListView {
	return {
		items: page.rows.map((s) => dialogueSummaryJson(origin, locale, s)),
		total: page.total,
		page: page.page,
		perPage: page.perPage
	};
}

/** One space, as the API shows it. */
export function dialogueJson(origin: string, locale: Locale, s: SpaceDetail): DialogueView {
	return {
		...dialogueSummaryJson(origin, locale, s),
		lang: locale,
		description: s.description,
		languages: s.languages,
		moderation: s.moderation,
		requirements: s.requirements,
		supportThreshold: s.supportThreshold,
		supportWindowDays: s.supportWindowDays,
		answerDays: s.answerDays,
		proposalsByStatus: s.byStatus,
		updatedAt: s.updatedAt
	};
}

/** The CSV columns of a list of dialogues (one row a space). */
export const dialogueCsvHeader = [
	'slug',
	'title',
	'status',
	'participation_level',
	'owner_kind',
	'owner',
	'countries',
	'starts_on',
	'ends_on',
	'open_now',
	'themes',
	'goals',
	'targets',
	'proposals',
	'supports',
	'url'
];

/** One space as a CSV row; several values in a cell are joined with "; ". */
export function dialogueCsvRecord(origin: string, locale: Locale, s: SpaceRow): (string | number | null)[] {
	const starts = s.phases.map((p) => p.startsOn).sort();
	const ends = s.phases.map((p) => p.endsOn).sort();
	return [
		s.slug,
		s.title,
		s.status,
		s.level,
		s.owner.kind,
		s.owner.name,
		s.owner.countries.join('; '),
		starts[0] ?? null,
		ends.at(-1) ?? null,
		s.openNow.join('; '),
		s.themes.map((t) => t.key).join('; '),
		s.goals.join('; '),
		s.targets.join('; '),
		s.proposals,
		s.supports,
		origin + localizePath(locale, `/dialogue/${s.slug}`)
	];
}
