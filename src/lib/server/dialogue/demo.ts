import { eq, inArray } from 'drizzle-orm';
import type { Database, Transaction } from '../kernel/database.ts';
import { runSystemChange } from '../kernel/write.ts';
import type { LocalizedText } from '../kernel/localized.ts';
import { user } from '../accounts/schema.ts';
import { organization } from '../organizations/schema.ts';
import { partnership } from '../partnerships/schema.ts';
import {
	dialogueComment,
	dialogueGoal,
	dialoguePhase,
	dialogueSpace,
	dialogueTarget,
	dialogueTheme,
	proposal,
	proposalAnswer,
	proposalEvent,
	proposalSupport,
	type AnswerState,
	type InputKind,
	type PhaseKind,
	type ProposalStatus,
	type Stance
} from './schema.ts';

/**
 * The dialogue demo: an Ale consultation on involving young residents (proposals with supports
 * and answers) and a Hörby–Peja debate on the town square (comments). The participants are demo
 * accounts with example.org addresses that nobody can sign in with (they have no password); the
 * names are made up and say so. All texts were written for the project. Only what is missing is
 * added: a space already there (by its address) is left as it is, so every start may run this.
 */

const day = 24 * 60 * 60 * 1000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Made-up participants: "Exempel", "Prov", "Shembull" (Albanian: example) and "Provë" (test). */
export const demoParticipants = [
	{ key: 'alva', name: 'Alva Exempelsson', email: 'alva.exempelsson@example.org', locale: 'sv' },
	{ key: 'elis', name: 'Elis Provberg', email: 'elis.provberg@example.org', locale: 'sv' },
	{ key: 'noor', name: 'Noor Demosdotter', email: 'noor.demosdotter@example.org', locale: 'sv' },
	{ key: 'vide', name: 'Vide Påhittad', email: 'vide.pahittad@example.org', locale: 'sv' },
	{ key: 'siri', name: 'Siri Testlund', email: 'siri.testlund@example.org', locale: 'sv' },
	{ key: 'malte', name: 'Malte Låtsasson', email: 'malte.latsasson@example.org', locale: 'sv' },
	{ key: 'arben', name: 'Arben Shembulli', email: 'arben.shembulli@example.org', locale: 'en' },
	{ key: 'vjosa', name: 'Vjosa Provë', email: 'vjosa.prove@example.org', locale: 'en' }
] as const;
type Participant = (typeof demoParticipants)[number]['key'];

export const demoSpaceSlugs = {
	ale: 'unga-i-ale-vara-med-och-paverka',
	debate: 'torget-i-horby-och-peja'
} as const;

interface DemoPhase {
	kind: PhaseKind;
	/** Days from today (negative: in the past). */
	from: number;
	to: number;
	opens: InputKind[];
}

interface DemoProposal {
	author: Participant;
	title: string;
	body: string;
	/** Days ago it was written. */
	age: number;
	supporters: Participant[];
	status: ProposalStatus;
	answer?: { state: AnswerState; text: LocalizedText; age: number };
}

interface DemoComment {
	author: Participant;
	body: string;
	stance?: Stance;
	age: number;
	replies?: DemoComment[];
}

const alePhases: DemoPhase[] = [
	{ kind: 'information', from: -60, to: -31, opens: [] },
	{ kind: 'input', from: -30, to: 45, opens: ['proposals', 'supports', 'comments'] },
	{ kind: 'deliberation', from: 46, to: 75, opens: ['comments'] },
	{ kind: 'decision', from: 76, to: 100, opens: [] },
	{ kind: 'feedback', from: 101, to: 130, opens: [] }
];

const aleProposals: DemoProposal[] = [
	{
		author: 'alva',
		title: 'Ett ungdomsråd med egen budget',
		body: 'Låt ett ungdomsråd med representanter från varje högstadieskola i kommunen fördela en egen summa pengar varje år till idéer från unga. Rådet borde få presentera sina beslut för kommunstyrelsen två gånger per år.',
		age: 25,
		supporters: ['elis', 'noor', 'vide', 'siri', 'malte'],
		status: 'answered',
		answer: {
			state: 'accepted',
			age: 5,
			text: {
				sv: 'Kommunstyrelsen har beslutat att inrätta ett ungdomsråd från och med nästa läsår, med en egen budget för ungas idéer. Rådet redovisar sina beslut för kommunstyrelsen två gånger om året. (Exempel i demon.)',
				en: 'The municipal executive board has decided to set up a youth council from next school year, with a budget of its own for young people’s ideas. The council reports its decisions to the board twice a year. (An example in the demo.)'
			}
		}
	},
	{
		author: 'elis',
		title: 'Fler kvällsbussar till fritidsgårdarna',
		body: 'Många unga i Ale kan inte ta sig hem från fritidsgården efter klockan 21. Förläng busslinjerna mellan tätorterna på fredagar och lördagar så att fler kan vara med på aktiviteterna.',
		age: 20,
		supporters: ['alva', 'noor', 'siri', 'vide', 'malte'],
		status: 'to-answer'
	},
	{
		author: 'noor',
		title: 'Skolval med riktiga frågor från kommunen',
		body: 'Låt eleverna i årskurs 9 rösta om en verklig fråga som kommunen ska besluta om, till exempel hur en lekplats eller ett torg ska utformas, och redovisa resultatet öppet.',
		age: 14,
		supporters: ['alva', 'malte'],
		status: 'collecting'
	},
	{
		author: 'vide',
		title: 'Lagliga graffitiväggar i Nödinge och Älvängen',
		body: 'Ge unga lagliga väggar att måla på, gärna i samarbete med kulturskolan, så att konsten får synas och klotter på andra platser minskar.',
		age: 8,
		supporters: ['siri'],
		status: 'collecting'
	},
	{
		author: 'siri',
		title: 'Sommarjobb i kommunens egna verksamheter',
		body: 'Fler sommarjobb för 15–17-åringar i kommunens verksamheter, till exempel i parkerna och på biblioteken, så att unga lär känna hur kommunen arbetar.',
		age: 3,
		supporters: [],
		status: 'collecting'
	}
];

const debatePhases: DemoPhase[] = [
	{ kind: 'information', from: -40, to: -21, opens: [] },
	{ kind: 'deliberation', from: -20, to: 40, opens: ['comments'] },
	{ kind: 'feedback', from: 41, to: 70, opens: [] }
];

const debateComments: DemoComment[] = [
	{
		author: 'malte',
		stance: 'for',
		age: 18,
		body: 'Ett bilfritt torg på lördagar skulle ge plats för marknad och uteserveringar. Parkering finns några hundra meter bort.',
		replies: [
			{
				author: 'vide',
				stance: 'against',
				age: 17,
				body: 'För den som har svårt att gå är några hundra meter långt. Hur ska man då ta sig till apoteket?',
				replies: [
					{
						author: 'malte',
						age: 16,
						body: 'Bra poäng. Platser för rörelsehindrade kunde finnas kvar vid torgets kant.'
					}
				]
			}
		]
	},
	{
		author: 'arben',
		stance: 'for',
		age: 15,
		body: 'In Peja the old town streets became car-free in the evenings, and the cafés say they have more guests now. It took a year before people got used to it.',
		replies: [
			{
				author: 'vjosa',
				stance: 'neutral',
				age: 14,
				body: 'The shop owners were worried at first. What helped was a meeting every month where they could tell the municipality what worked and what did not.'
			}
		]
	},
	{
		author: 'siri',
		stance: 'against',
		age: 10,
		body: 'Jag är orolig för handlarna vid torget. Innan beslutet borde kommunen räkna hur många kunder som kommer med bil.'
	},
	{
		author: 'noor',
		stance: 'neutral',
		age: 6,
		body: 'Kan vi pröva ett bilfritt torg under en sommar och sedan fråga både handlare och besökare vad de tycker?'
	}
];

/** Demo participants, made if missing; their ids by key. */
async function participants(tx: Transaction): Promise<Map<Participant, string>> {
	await tx
		.insert(user)
		.values(
			demoParticipants.map((p) => ({
				id: `demo-participant-${p.key}`,
				name: p.name,
				email: p.email,
				emailVerified: true,
				role: 'reader' as const,
				locale: p.locale
			}))
		)
		.onConflictDoNothing();
	const rows = await tx
		.select({ id: user.id, email: user.email })
		.from(user)
		.where(
			inArray(
				user.email,
				demoParticipants.map((p) => p.email)
			)
		);
	const byEmail = new Map(rows.map((r) => [r.email, r.id]));
	return new Map(demoParticipants.map((p) => [p.key, byEmail.get(p.email)!]));
}

async function insertPhases(tx: Transaction, spaceId: number, phases: DemoPhase[], now: number) {
	await tx.insert(dialoguePhase).values(
		phases.map((p, position) => ({
			spaceId,
			position,
			kind: p.kind,
			startsOn: isoDay(new Date(now + p.from * day)),
			endsOn: isoDay(new Date(now + p.to * day)),
			opens: p.opens
		}))
	);
}

async function aleConsultation(tx: Transaction, organizationId: number, people: Map<Participant, string>) {
	const now = Date.now();
	const threshold = 5;
	const [space] = await tx
		.insert(dialogueSpace)
		.values({
			slug: demoSpaceSlugs.ale,
			organizationId,
			title: {
				sv: 'Unga i Ale: hur vill du vara med och påverka?',
				en: 'Young people in Ale: how do you want to have a say?'
			},
			description: {
				sv: '<p>Ale kommun vill att fler unga mellan 13 och 25 år är med och påverkar det som rör dem. Lämna förslag på hur kommunen kan lyssna på unga, stöd andras förslag och diskutera. Det här är en påhittad dialog i plattformens demo.</p>',
				en: '<p>Ale Municipality wants more young people aged 13 to 25 to have a say in what concerns them. Make proposals for how the municipality can listen to young people, support others’ proposals and discuss. This is a made-up dialogue in the platform’s demo.</p>'
			},
			languages: ['sv', 'en'],
			participationLevel: 'consultation',
			status: 'open',
			moderation: 'post',
			supportThreshold: threshold,
			supportWindowDays: 90,
			answerDays: 60,
			createdAt: new Date(now - 60 * day)
		})
		.returning({ id: dialogueSpace.id });
	const spaceId = space!.id;
	await insertPhases(tx, spaceId, alePhases, now);
	await tx.insert(dialogueTheme).values([{ spaceId, themeKey: 'participation' }]);
	await tx.insert(dialogueGoal).values([{ spaceId, goal: 16 }]);
	await tx.insert(dialogueTarget).values([{ spaceId, target: '16.7' }]);
	for (const p of aleProposals) {
		const createdAt = new Date(now - p.age * day);
		const reached = p.supporters.length >= threshold ? new Date(createdAt.getTime() + 2 * day) : null;
		const answeredAt = p.answer ? new Date(now - p.answer.age * day) : null;
		const [row] = await tx
			.insert(proposal)
			.values({
				spaceId,
				authorId: people.get(p.author)!,
				title: p.title,
				body: p.body,
				language: 'sv',
				status: p.status,
				answerState: p.answer?.state ?? null,
				supportCount: p.supporters.length,
				collectUntil: new Date(createdAt.getTime() + 90 * day),
				thresholdReachedAt: reached,
				answerDue: reached ? new Date(reached.getTime() + 60 * day) : null,
				firstAnsweredAt: answeredAt,
				createdAt
			})
			.returning({ id: proposal.id });
		const proposalId = row!.id;
		if (p.supporters.length) {
			await tx.insert(proposalSupport).values(
				p.supporters.map((s, i) => ({
					proposalId,
					userId: people.get(s)!,
					createdAt: new Date(createdAt.getTime() + (i + 1) * 6 * 60 * 60 * 1000)
				}))
			);
		}
		const events: (typeof proposalEvent.$inferInsert)[] = [
			{ proposalId, kind: 'submitted', at: createdAt },
			{ proposalId, kind: 'published', at: createdAt }
		];
		if (reached) events.push({ proposalId, kind: 'threshold-reached', at: reached });
		if (p.answer && answeredAt) {
			await tx.insert(proposalAnswer).values({
				proposalId,
				state: p.answer.state,
				text: p.answer.text,
				decidedBy: { sv: 'Kommunstyrelsen (exempel)', en: 'Municipal executive board (example)' },
				createdAt: answeredAt,
				publishedAt: answeredAt
			});
			events.push({
				proposalId,
				kind: 'answer-published',
				detail: { state: p.answer.state },
				at: answeredAt
			});
		}
		await tx.insert(proposalEvent).values(events);
	}
	return spaceId;
}

async function insertComment(
	tx: Transaction,
	spaceId: number,
	people: Map<Participant, string>,
	c: DemoComment,
	parent: { id: number; rootId: number; depth: number } | null,
	now: number
): Promise<void> {
	const [row] = await tx
		.insert(dialogueComment)
		.values({
			spaceId,
			parentId: parent?.id ?? null,
			rootId: parent?.rootId ?? null,
			depth: parent ? parent.depth + 1 : 0,
			authorId: people.get(c.author)!,
			body: c.body,
			stance: c.stance ?? null,
			createdAt: new Date(now - c.age * day)
		})
		.returning({ id: dialogueComment.id });
	const self = { id: row!.id, rootId: parent?.rootId ?? row!.id, depth: parent ? parent.depth + 1 : 0 };
	for (const reply of c.replies ?? []) await insertComment(tx, spaceId, people, reply, self, now);
}

async function squareDebate(tx: Transaction, partnershipId: number, people: Map<Participant, string>) {
	const now = Date.now();
	const [space] = await tx
		.insert(dialogueSpace)
		.values({
			slug: demoSpaceSlugs.debate,
			partnershipId,
			title: {
				sv: 'Torget: parkering eller mötesplats?',
				en: 'The square: car park or meeting place?'
			},
			description: {
				sv: '<p>Både Hörby och Peja diskuterar om torget i centrum ska vara fritt från bilar en del av veckan. Partnerskapet samlar argument från invånare i båda kommunerna innan politikerna tar ställning. Det här är en påhittad debatt i plattformens demo.</p>',
				en: '<p>Both Hörby and Peja are discussing whether the central square should be free of cars part of the week. The partnership gathers arguments from residents of both municipalities before the politicians decide. This is a made-up debate in the platform’s demo.</p>'
			},
			languages: ['sv', 'en'],
			participationLevel: 'involvement',
			status: 'open',
			moderation: 'post',
			requirements: { proposals: 'verified-email', supports: 'verified-email', comments: 'verified-email' },
			createdAt: new Date(now - 40 * day)
		})
		.returning({ id: dialogueSpace.id });
	const spaceId = space!.id;
	await insertPhases(tx, spaceId, debatePhases, now);
	await tx.insert(dialogueTheme).values([
		{ spaceId, themeKey: 'participation' },
		{ spaceId, themeKey: 'transparency' }
	]);
	await tx.insert(dialogueGoal).values([{ spaceId, goal: 11 }]);
	await tx.insert(dialogueTarget).values([{ spaceId, target: '11.7' }]);
	for (const c of debateComments) await insertComment(tx, spaceId, people, c, null, now);
	return spaceId;
}

/**
 * Adds the demo spaces that are missing. The Ale consultation needs Ale kommun (a reference
 * municipality), the debate the Hörby–Peja partnership (the partnerships' demo): without them,
 * that space is left out.
 */
export async function addDemoDialogue(db: Database): Promise<string[]> {
	const present = new Set(
		(
			await db
				.select({ slug: dialogueSpace.slug })
				.from(dialogueSpace)
				.where(inArray(dialogueSpace.slug, Object.values(demoSpaceSlugs)))
		).map((r) => r.slug)
	);
	const [[ale], [horbyPeja]] = await Promise.all([
		db.select({ id: organization.id }).from(organization).where(eq(organization.slug, 'ale-kommun')),
		db.select({ id: partnership.id }).from(partnership).where(eq(partnership.slug, 'horby-peja'))
	]);
	const wanted = {
		ale: !present.has(demoSpaceSlugs.ale) && ale !== undefined,
		debate: !present.has(demoSpaceSlugs.debate) && horbyPeja !== undefined
	};
	if (!wanted.ale && !wanted.debate) return [];
	return runSystemChange(db, async (tx) => {
		const people = await participants(tx);
		const added: string[] = [];
		if (wanted.ale) {
			await aleConsultation(tx, ale!.id, people);
			added.push(demoSpaceSlugs.ale);
		}
		if (wanted.debate) {
			await squareDebate(tx, horbyPeja!.id, people);
			added.push(demoSpaceSlugs.debate);
		}
		// Dialogue pages are never in the render cache: nothing public to refresh.
		return { result: added, audit: { action: 'dialogue.demo', after: { slugs: added } }, public: false };
	});
}
