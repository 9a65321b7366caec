import { randomUUID } from 'node:crypto';
import type { Database } from '../../kernel/database.ts';
import {
	dialogueComment,
	dialoguePhase,
	dialogueSpace,
	dialogueTeam,
	mapReportCategory,
	mapReportSetup,
	proposal,
	type LocationPrivacy,
	type InputKind,
	type ModerationMode,
	type ProposalStatus,
	type Requirements,
	type SpaceStatus,
	type SpaceTeamRole,
	type SurveyQuestion,
	type SurveyRespondents,
	survey
} from '../../dialogue/schema.ts';
import { anOrganization } from './organizations.ts';

export interface TestSpace {
	id: number;
	slug: string;
	organizationId: number | null;
	partnershipId: number | null;
}

const day = 24 * 60 * 60 * 1000;
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/**
 * An open dialogue space of its own for a test, owned by a new organization unless given one (or
 * a partnership), with one input phase around today that opens `opens` (all kinds by default),
 * and a team if asked (`team`: user id → role).
 */
export async function aSpace(
	db: Database,
	options: {
		slug?: string;
		organizationId?: number;
		partnershipId?: number;
		status?: SpaceStatus;
		moderation?: ModerationMode;
		requirements?: Partial<Requirements>;
		supportThreshold?: number;
		supportWindowDays?: number;
		answerDays?: number;
		flagsToHide?: number;
		opens?: InputKind[];
		team?: Record<string, SpaceTeamRole>;
		title?: string;
	} = {}
): Promise<TestSpace> {
	const organizationId =
		options.partnershipId === undefined
			? (options.organizationId ?? (await anOrganization(db, { country: 'SE' })).id)
			: null;
	const partnershipId = options.partnershipId ?? null;
	const slug = options.slug ?? `test-space-${randomUUID().slice(0, 8)}`;
	const [row] = await db
		.insert(dialogueSpace)
		.values({
			slug,
			organizationId,
			partnershipId,
			title: { sv: options.title ?? 'Ett samtal för ett test', en: options.title ?? 'A dialogue for a test' },
			description: { sv: '<p>Vad tycker du?</p>', en: '<p>What do you think?</p>' },
			languages: ['sv', 'en'],
			participationLevel: 'consultation',
			status: options.status ?? 'open',
			moderation: options.moderation ?? 'post',
			requirements: {
				proposals: 'verified-email',
				supports: 'verified-email',
				comments: 'verified-email',
				reports: 'verified-email',
				...options.requirements
			},
			supportThreshold: options.supportThreshold ?? 50,
			supportWindowDays: options.supportWindowDays ?? 90,
			answerDays: options.answerDays ?? 183,
			flagsToHide: options.flagsToHide ?? 3
		})
		.returning({ id: dialogueSpace.id });
	const id = row!.id;
	const now = Date.now();
	await db.insert(dialoguePhase).values({
		spaceId: id,
		position: 0,
		kind: 'input',
		startsOn: isoDate(new Date(now - 30 * day)),
		endsOn: isoDate(new Date(now + 60 * day)),
		opens: options.opens ?? ['proposals', 'supports', 'comments']
	});
	const team = Object.entries(options.team ?? {});
	if (team.length) {
		await db.insert(dialogueTeam).values(team.map(([userId, role]) => ({ spaceId: id, userId, role })));
	}
	return { id, slug, organizationId, partnershipId };
}

/** A proposal in a space, written by `authorId`, collecting supports unless told otherwise. */
export async function aProposal(
	db: Database,
	spaceId: number,
	authorId: string | null,
	options: {
		title?: string;
		body?: string;
		status?: ProposalStatus;
		createdAt?: Date;
		collectUntil?: Date;
	} = {}
): Promise<{ id: number }> {
	const createdAt = options.createdAt ?? new Date();
	const [row] = await db
		.insert(proposal)
		.values({
			spaceId,
			authorId,
			title: options.title ?? `Ett förslag ${randomUUID().slice(0, 6)}`,
			body: options.body ?? 'Texten i ett förslag för ett test.',
			language: 'sv',
			status: options.status ?? 'collecting',
			createdAt,
			collectUntil: options.collectUntil ?? new Date(createdAt.getTime() + 90 * day)
		})
		.returning({ id: proposal.id });
	return row!;
}

/** A top-level comment (or a reply to `parent`) in a space, on a proposal if given. */
export async function aComment(
	db: Database,
	spaceId: number,
	authorId: string | null,
	options: {
		proposalId?: number;
		parent?: { id: number; rootId: number | null; depth: number };
		body?: string;
	} = {}
): Promise<{ id: number; rootId: number | null; depth: number }> {
	const parent = options.parent;
	const [row] = await db
		.insert(dialogueComment)
		.values({
			spaceId,
			proposalId: options.proposalId ?? null,
			parentId: parent?.id ?? null,
			rootId: parent ? (parent.rootId ?? parent.id) : null,
			depth: parent ? parent.depth + 1 : 0,
			authorId,
			body: options.body ?? 'En kommentar för ett test.'
		})
		.returning({ id: dialogueComment.id, rootId: dialogueComment.rootId, depth: dialogueComment.depth });
	return row!;
}

/** The categories every test report space offers. */
export const testReportCategories = ['standing-water', 'waste'] as const;

/**
 * A space that takes reports on a map: an open reporting phase, two categories, review as asked
 * (default yes), a box around central Yogyakarta and three of its districts.
 */
export async function aReportSpace(
	db: Database,
	options: Parameters<typeof aSpace>[1] & {
		review?: boolean;
		privacy?: LocationPrivacy;
		gridMeters?: number;
	} = {}
): Promise<TestSpace & { categories: Record<(typeof testReportCategories)[number], number> }> {
	const space = await aSpace(db, { opens: ['reports', 'comments'], ...options });
	await db.insert(mapReportSetup).values({
		spaceId: space.id,
		review: options.review ?? true,
		privacy: options.privacy ?? 'grid',
		gridMeters: options.gridMeters ?? 500,
		bbox: [110.33, -7.84, 110.42, -7.76],
		districts: [
			{ name: 'Jetis', lat: -7.7785, lon: 110.3655 },
			{ name: 'Kraton', lat: -7.8095, lon: 110.3615 },
			{ name: 'Umbulharjo', lat: -7.8155, lon: 110.3855 }
		]
	});
	const rows = await db
		.insert(mapReportCategory)
		.values(
			testReportCategories.map((key, position) => ({
				spaceId: space.id,
				key,
				position,
				title: {
					sv: key === 'waste' ? 'Avfall' : 'Stillastående vatten',
					en: key === 'waste' ? 'Waste' : 'Standing water'
				}
			}))
		)
		.returning({ id: mapReportCategory.id, key: mapReportCategory.key });
	const categories = Object.fromEntries(rows.map((r) => [r.key, r.id])) as Record<
		(typeof testReportCategories)[number],
		number
	>;
	return { ...space, categories };
}

/**
 * The questions of a test survey, one of each kind: part 1 asks how the person takes part (one
 * choice) and which channels they use (several, at most 2); part 2 only for those who have never
 * taken part ("o3"): why not (free text); part 3 a scale, a ranking and a matrix.
 */
export const testSurveyQuestions = (): SurveyQuestion[] => {
	const t = (sv: string, en: string) => ({ sv, en });
	const options = (...texts: string[]) => texts.map((x, i) => ({ key: `o${i + 1}`, text: t(x, x) }));
	const scale = { min: 1, max: 5, low: t('Inte alls', 'Not at all'), high: t('Mycket', 'Very much') };
	return [
		{
			key: 'q1',
			section: 0,
			kind: 'single',
			text: t('Hur ofta deltar du?', 'How often do you take part?'),
			required: true,
			options: options('Ofta', 'Ibland', 'Aldrig'),
			maxChoices: null,
			scale: null,
			condition: null
		},
		{
			key: 'q2',
			section: 0,
			kind: 'multiple',
			text: t('Vilka kanaler använder du?', 'Which channels do you use?'),
			required: false,
			options: options('Möten', 'Webben', 'Sms', 'Radio'),
			maxChoices: 2,
			scale: null,
			condition: null
		},
		{
			key: 'q3',
			section: 1,
			kind: 'text',
			text: t('Vad hindrar dig?', 'What stops you?'),
			required: true,
			options: [],
			maxChoices: null,
			scale: null,
			condition: { question: 'q1', options: ['o3'] }
		},
		{
			key: 'q4',
			section: 2,
			kind: 'scale',
			text: t('Hur viktigt är det att bli tillfrågad?', 'How important is being asked?'),
			required: true,
			options: [],
			maxChoices: null,
			scale,
			condition: null
		},
		{
			key: 'q5',
			section: 2,
			kind: 'ranking',
			text: t('Rangordna', 'Rank'),
			required: false,
			options: options('Skola', 'Vatten', 'Vägar'),
			maxChoices: null,
			scale: null,
			condition: null
		},
		{
			key: 'q6',
			section: 2,
			kind: 'matrix',
			text: t('Hur väl stämmer det?', 'How well does it fit?'),
			required: false,
			options: options('Jag blir lyssnad på', 'Jag får svar'),
			maxChoices: null,
			scale,
			condition: null
		}
	];
};

/** A survey in a space, open around today, with the test questions unless given others. */
export async function aSurvey(
	db: Database,
	spaceId: number,
	options: {
		respondents?: SurveyRespondents;
		resultsPublic?: boolean;
		questions?: SurveyQuestion[];
		opensOn?: string;
		closesOn?: string;
	} = {}
) {
	const now = Date.now();
	const [row] = await db
		.insert(survey)
		.values({
			spaceId,
			slug: `survey-${randomUUID().slice(0, 8)}`,
			title: { sv: 'Hur vill du vara med?', en: 'How do you want to take part?' },
			sections: [
				{ sv: 'Om dig', en: 'About you' },
				{ sv: 'Hinder', en: 'Obstacles' },
				{ sv: 'Vad är viktigt', en: 'What matters' }
			],
			questions: options.questions ?? testSurveyQuestions(),
			opensOn: options.opensOn ?? isoDate(new Date(now - 7 * day)),
			closesOn: options.closesOn ?? isoDate(new Date(now + 30 * day)),
			respondents: options.respondents ?? 'anyone',
			resultsPublic: options.resultsPublic ?? true
		})
		.returning();
	return row!;
}
