import { and, eq } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import type { LocalizedText } from '../../kernel/localized.ts';
import { runSystemChange } from '../../kernel/write.ts';
import { dialogueSpace } from '../spaces/schema.ts';
import { demoSpaceSlugs } from '../demo-texts.ts';
import { answerRows, sectionsShown, type Answers } from './definition.ts';
import { survey, surveyAnswer, surveyResponse, type SurveyQuestion } from './schema.ts';

// The demo's survey: Ale asks young people how they want to be involved. Fictional, like every
// response here (made by a fixed-seed generator, so the demo is the same on every start); the
// free-text answers are written for the demo and said to be examples on the survey's page.

export const demoSurveySlug = 'hur-vill-du-vara-med';
const day = 24 * 60 * 60 * 1000;
const t = (sv: string, en: string): LocalizedText => ({ sv, en });
const options = (...texts: LocalizedText[]) => texts.map((text, i) => ({ key: `o${i + 1}`, text }));
const agree = {
	min: 1,
	max: 5,
	low: t('Stämmer inte alls', 'Not true at all'),
	high: t('Stämmer helt', 'Completely true')
};

const questions: SurveyQuestion[] = [
	{
		key: 'q1',
		section: 0,
		kind: 'single',
		text: t('Hur gammal är du?', 'How old are you?'),
		required: true,
		options: options(t('13–15 år', '13–15'), t('16–19 år', '16–19'), t('20–25 år', '20–25')),
		maxChoices: null,
		scale: null,
		condition: null
	},
	{
		key: 'q2',
		section: 0,
		kind: 'single',
		text: t(
			'Har du under det senaste året varit med och påverkat något i kommunen?',
			'In the past year, have you had a say in anything in the municipality?'
		),
		required: true,
		options: options(
			t('Ja, flera gånger', 'Yes, several times'),
			t('Ja, en gång', 'Yes, once'),
			t('Nej', 'No')
		),
		maxChoices: null,
		scale: null,
		condition: null
	},
	{
		key: 'q3',
		section: 1,
		kind: 'multiple',
		text: t('Vad har hindrat dig? Välj högst två.', 'What has stopped you? Choose at most two.'),
		required: true,
		options: options(
			t('Jag visste inte att det gick', 'I did not know it was possible'),
			t('Det kändes inte som att det spelar någon roll', 'It did not feel as if it matters'),
			t('Tiderna passar inte', 'The times do not suit me'),
			t('Jag vet inte vem jag ska fråga', 'I do not know whom to ask'),
			t('Något annat', 'Something else')
		),
		maxChoices: 2,
		scale: null,
		condition: { question: 'q2', options: ['o3'] }
	},
	{
		key: 'q4',
		section: 1,
		kind: 'text',
		text: t('Vad skulle få dig att vilja vara med?', 'What would make you want to take part?'),
		required: false,
		options: [],
		maxChoices: null,
		scale: null,
		condition: { question: 'q2', options: ['o3'] }
	},
	{
		key: 'q5',
		section: 2,
		kind: 'ranking',
		text: t('Hur vill du helst bli tillfrågad? Rangordna.', 'How would you rather be asked? Rank them.'),
		required: true,
		options: options(
			t('En enkät i mobilen', 'A survey on the phone'),
			t('Ett möte i skolan', 'A meeting at school'),
			t('Ungdomsrådet', 'The youth council'),
			t('Sociala medier', 'Social media')
		),
		maxChoices: null,
		scale: null,
		condition: null
	},
	{
		key: 'q6',
		section: 2,
		kind: 'scale',
		text: t(
			'Hur troligt är det att du svarar på nästa enkät från kommunen?',
			'How likely are you to answer the municipality’s next survey?'
		),
		required: true,
		options: [],
		maxChoices: null,
		scale: {
			min: 1,
			max: 5,
			low: t('Inte alls troligt', 'Not at all likely'),
			high: t('Mycket troligt', 'Very likely')
		},
		condition: null
	},
	{
		key: 'q7',
		section: 2,
		kind: 'matrix',
		text: t('Hur väl stämmer det här?', 'How true is this?'),
		required: false,
		options: options(
			t('Kommunen lyssnar på unga', 'The municipality listens to young people'),
			t('Jag får veta vad som händer med det vi säger', 'I find out what happens with what we say'),
			t('Jag vet var jag kan lämna ett förslag', 'I know where to make a proposal')
		),
		maxChoices: null,
		scale: agree,
		condition: null
	},
	{
		key: 'q8',
		section: 2,
		kind: 'text',
		text: t('Något mer du vill säga till kommunen?', 'Anything else you want to tell the municipality?'),
		required: false,
		options: [],
		maxChoices: null,
		scale: null,
		condition: null
	}
];

/** Free-text answers written for the demo (no real person's words), and whether a moderator showed them. */
const texts: { question: 'q4' | 'q8'; text: string; language: string; shown: boolean }[] = [
	{
		question: 'q4',
		text: 'Om det var på kvällen och man fick veta efteråt vad som hände.',
		language: 'sv',
		shown: true
	},
	{
		question: 'q4',
		text: 'Att någon från kommunen kom till fritidsgården i stället.',
		language: 'sv',
		shown: true
	},
	{ question: 'q4', text: 'Kortare frågor i mobilen, inte långa möten.', language: 'sv', shown: true },
	{ question: 'q4', text: 'If it was in English too, I moved here last year.', language: 'en', shown: true },
	{ question: 'q4', text: 'Om mina kompisar också var med.', language: 'sv', shown: false },
	{ question: 'q8', text: 'Bussen till Nödinge går för sällan på helgerna.', language: 'sv', shown: true },
	{ question: 'q8', text: 'Bra att ni frågar! Gör det oftare.', language: 'sv', shown: true },
	{ question: 'q8', text: 'Fler platser att vara på efter skolan.', language: 'sv', shown: true },
	{ question: 'q8', text: 'Please tell us what you decide, not just ask.', language: 'en', shown: true },
	{ question: 'q8', text: 'Skatepark vid Ale torg!!', language: 'sv', shown: false }
];

/** A small fixed-seed generator. */
function seeded(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let x = s;
		x = Math.imul(x ^ (x >>> 15), x | 1);
		x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
		return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
	};
}

/** One made-up respondent's answers, leaning the way a real group of young people might. */
function answersOf(r: () => number): Answers {
	const weighted = (weights: number[]) => {
		const total = weights.reduce((a, b) => a + b, 0);
		let x = r() * total;
		for (const [i, w] of weights.entries()) if ((x -= w) < 0) return i;
		return weights.length - 1;
	};
	const a: Answers = { q1: [`o${weighted([3, 4, 3]) + 1}`], q2: [`o${weighted([1, 2, 5]) + 1}`] };
	if ((a.q2 as string[])[0] === 'o3') {
		const first = weighted([4, 3, 2, 3, 1]);
		const second = weighted([4, 3, 2, 3, 1]);
		a.q3 = [...new Set([`o${first + 1}`, `o${second + 1}`])];
	}
	// The ranking: each option's score with a lean, sorted into places 1–4.
	const lean = [2.2, 1.2, 1.0, 1.8];
	const order = lean.map((l, i) => ({ i, score: l + r() * 2 })).sort((x, y) => y.score - x.score);
	a.q5 = Object.fromEntries(order.map((o, place) => [`o${o.i + 1}`, place + 1]));
	a.q6 = 1 + weighted([1, 2, 3, 4, 2]);
	if (r() < 0.85)
		a.q7 = {
			o1: 1 + weighted([2, 4, 4, 2, 1]),
			o2: 1 + weighted([4, 4, 2, 1, 1]),
			o3: 1 + weighted([2, 3, 3, 3, 2])
		};
	return a;
}

export const demoResponseCount = 140;

/** Adds Ale's survey to its demo dialogue when the dialogue is there and the survey is not. */
export async function addDemoSurvey(db: Database): Promise<boolean> {
	const [space] = await db
		.select({ id: dialogueSpace.id })
		.from(dialogueSpace)
		.where(eq(dialogueSpace.slug, demoSpaceSlugs.ale));
	if (!space) return false;
	const [present] = await db
		.select({ id: survey.id })
		.from(survey)
		.where(and(eq(survey.spaceId, space.id), eq(survey.slug, demoSurveySlug)));
	if (present) return false;
	return runSystemChange(db, async (tx) => {
		const now = Date.now();
		const [row] = await tx
			.insert(survey)
			.values({
				spaceId: space.id,
				slug: demoSurveySlug,
				title: t('Hur vill du vara med och påverka?', 'How do you want to have a say?'),
				intro: t(
					'Ale kommun vill veta hur unga mellan 13 och 25 år vill bli tillfrågade. Det tar fem minuter. Det här är en påhittad enkät i plattformens demo; svaren och citaten är exempel.',
					'Ale Municipality wants to know how young people aged 13 to 25 want to be asked. It takes five minutes. This is a made-up survey in the platform’s demo; the answers and quotes are examples.'
				),
				sections: [
					t('Om dig', 'About you'),
					t('Det som hindrar', 'What stands in the way'),
					t('Hur och hur ofta', 'How and how often')
				],
				questions,
				opensOn: new Date(now - 40 * day).toISOString().slice(0, 10),
				closesOn: new Date(now + 50 * day).toISOString().slice(0, 10),
				respondents: 'anyone',
				resultsPublic: true
			})
			.returning({ id: survey.id });
		const surveyId = row!.id;
		const r = seeded(20261204);
		const textsLeft = [...texts];
		for (let n = 0; n < demoResponseCount; n++) {
			const answers = answersOf(r);
			// The written answers go to respondents whose path asks their question.
			const shown = sectionsShown(questions, answers);
			const text = textsLeft.findIndex((x) => x.question === 'q8' || shown.includes(1));
			let state: 'shown' | 'hidden' | null = null;
			let language = r() < 0.85 ? 'sv' : 'en';
			if (text >= 0 && n % 9 === 0) {
				const chosen = textsLeft.splice(text, 1)[0]!;
				answers[chosen.question] = chosen.text;
				state = chosen.shown ? 'shown' : 'hidden';
				language = chosen.language;
			}
			const [response] = await tx
				.insert(surveyResponse)
				.values({
					surveyId,
					clientId: `demo-${n}`,
					language,
					submittedAt: new Date(now - (40 - (n / demoResponseCount) * 39) * day)
				})
				.returning({ id: surveyResponse.id });
			await tx.insert(surveyAnswer).values(
				answerRows(questions, answers).map((a) => ({
					...a,
					responseId: response!.id,
					surveyId,
					textState: a.text === null ? null : state
				}))
			);
		}
		return {
			result: true,
			audit: { action: 'dialogue.demo', after: { survey: demoSurveySlug } },
			public: false
		};
	});
}
