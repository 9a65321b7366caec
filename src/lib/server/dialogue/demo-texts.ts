import type { LocalizedText } from '../kernel/localized.ts';
import type { AnswerState, InputKind, PhaseKind, ProposalStatus, Stance } from './schema.ts';

/**
 * What the dialogue demo says and who says it (`demo.ts` writes it): an Ale consultation on
 * involving young residents and a Hörby–Peja debate on the town square. All texts were written
 * for the project; the names are made up and say so.
 */

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
export type Participant = (typeof demoParticipants)[number]['key'];

export const demoSpaceSlugs = {
	ale: 'unga-i-ale-vara-med-och-paverka',
	debate: 'torget-i-horby-och-peja'
} as const;

export interface DemoPhase {
	kind: PhaseKind;
	/** Days from today (negative: in the past). */
	from: number;
	to: number;
	opens: InputKind[];
}

export interface DemoProposal {
	author: Participant;
	title: string;
	body: string;
	/** Days ago it was written. */
	age: number;
	supporters: Participant[];
	status: ProposalStatus;
	answer?: { state: AnswerState; text: LocalizedText; age: number };
}

export interface DemoComment {
	author: Participant;
	body: string;
	stance?: Stance;
	age: number;
	replies?: DemoComment[];
}

/** The Ale consultation's title and description. */
export const aleSpace: { title: LocalizedText; description: LocalizedText } = {
	title: {
		sv: 'Unga i Ale: hur vill du vara med och påverka?',
		en: 'Young people in Ale: how do you want to have a say?'
	},
	description: {
		sv: '<p>Ale kommun vill att fler unga mellan 13 och 25 år är med och påverkar det som rör dem. Lämna förslag på hur kommunen kan lyssna på unga, stöd andras förslag och diskutera. Det här är en påhittad dialog i plattformens demo.</p>',
		en: '<p>Ale Municipality wants more young people aged 13 to 25 to have a say in what concerns them. Make proposals for how the municipality can listen to young people, support others’ proposals and discuss. This is a made-up dialogue in the platform’s demo.</p>'
	}
};

/** Who decided the demo's answer. */
export const aleDecidedBy: LocalizedText = {
	sv: 'Kommunstyrelsen (exempel)',
	en: 'Municipal executive board (example)'
};

export const alePhases: DemoPhase[] = [
	{ kind: 'information', from: -60, to: -31, opens: [] },
	{ kind: 'input', from: -30, to: 45, opens: ['proposals', 'supports', 'comments'] },
	{ kind: 'deliberation', from: 46, to: 75, opens: ['comments'] },
	{ kind: 'decision', from: 76, to: 100, opens: [] },
	{ kind: 'feedback', from: 101, to: 130, opens: [] }
];

export const aleProposals: DemoProposal[] = [
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

/** The Hörby–Peja debate's title and description. */
export const debateSpace: { title: LocalizedText; description: LocalizedText } = {
	title: {
		sv: 'Torget: parkering eller mötesplats?',
		en: 'The square: car park or meeting place?'
	},
	description: {
		sv: '<p>Både Hörby och Peja diskuterar om torget i centrum ska vara fritt från bilar en del av veckan. Partnerskapet samlar argument från invånare i båda kommunerna innan politikerna tar ställning. Det här är en påhittad debatt i plattformens demo.</p>',
		en: '<p>Both Hörby and Peja are discussing whether the central square should be free of cars part of the week. The partnership gathers arguments from residents of both municipalities before the politicians decide. This is a made-up debate in the platform’s demo.</p>'
	}
};

export const debatePhases: DemoPhase[] = [
	{ kind: 'information', from: -40, to: -21, opens: [] },
	{ kind: 'deliberation', from: -20, to: 40, opens: ['comments'] },
	{ kind: 'feedback', from: 41, to: 70, opens: [] }
];

export const debateComments: DemoComment[] = [
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
