import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor, type TestActor } from '../../test/actors.ts';
import { aSpace, aSurvey, testSurveyQuestions } from '../../test/factories/dialogue.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { ForbiddenError } from '../../kernel/errors.ts';
import { problems } from '../../test/problems.ts';
import { surveyAnswer, surveyResponse, survey as surveyTable } from '../schema.ts';
import { answerFields, readAnswers, sectionsShown } from './definition.ts';
import {
	answerSurvey,
	createSurvey,
	decideText,
	saveSurvey,
	surveyToken,
	SurveyRefused
} from './commands.ts';
import { responsesForDownload } from './queries.ts';
import { surveyResults } from './results.ts';

// Surveys: conditions decide which parts are asked, each part's answers are checked before the
// next is shown, a response is stored once per one-time token and per participant (also when
// 1,000 arrive at once), free text is public only once a moderator shows it, and the builder
// refuses what would change the meaning of answers already given.

const form = (fields: Record<string, string | string[]>) => {
	const f = new FormData();
	for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) f.append(name, v);
	return f;
};

describe('a survey’s questions', () => {
	const questions = testSurveyQuestions();
	it('shows a part only when an earlier answer matches its condition', () => {
		expect(sectionsShown(questions, {})).toEqual([0, 2]);
		expect(sectionsShown(questions, { q1: ['o1'] })).toEqual([0, 2]);
		expect(sectionsShown(questions, { q1: ['o3'] })).toEqual([0, 1, 2]);
	});

	it('finds every problem of a part at its question, and drops answers to questions not shown', () => {
		const read = readAnswers(
			questions,
			form({ a_q2: ['o1', 'o2', 'o3'], a_q3: 'Jag hinner inte', a_q4: '9', a_q5_o1: '1', a_q5_o2: '1' }),
			[0, 1, 2]
		);
		expect(read.problems.map((p) => `${p.field}:${p.code}`)).toEqual([
			'a_q1:surveyRequired',
			'a_q2:surveyTooManyChoices',
			'a_q4:surveyInvalidAnswer',
			'a_q5:surveyRankingOrder'
		]);
		// q3 shows only to those who never take part: its text is not kept.
		expect(read.answers.q3).toBeUndefined();
	});

	it('carries a part’s answers to the next page as the same fields', () => {
		const answers = { q1: ['o3'], q2: ['o1', 'o4'], q4: 4, q5: { o1: 2, o2: 1, o3: 3 }, q3: 'Tiden' };
		const again = readAnswers(
			questions,
			form(Object.fromEntries(groupFields(answerFields(questions, answers)))),
			[0, 1, 2]
		);
		expect(again.problems).toEqual([]);
		expect(again.answers).toEqual(answers);
	});
});

function groupFields(fields: [string, string][]) {
	const grouped = new Map<string, string[]>();
	for (const [k, v] of fields) grouped.set(k, [...(grouped.get(k) ?? []), v]);
	return grouped;
}

describe.each(testDatabases)('surveys on $name', (database) => {
	let h: DatabaseHandle;
	let editor: TestActor;
	let resident: TestActor;
	let other: TestActor;
	let spaceSlug: string;
	let spaceIdOf: number;
	const sv = { locale: 'sv' };

	beforeAll(async () => {
		h = await database.open();
		editor = await anActor(h.db, 'editor');
		resident = await anActor(h.db, 'reader');
		other = await anActor(h.db, 'reader');
		({ slug: spaceSlug, id: spaceIdOf } = await aSpace(h.db));
	});
	afterAll(async () => {
		await h?.close();
	});

	const spaceId = async () => spaceIdOf;
	const responsesOf = async (surveyId: number) =>
		h.db.select().from(surveyResponse).where(eq(surveyResponse.surveyId, surveyId));

	it('asks part by part: the next part shown, the skipped one skipped, all stored at the end', async () => {
		const s = await aSurvey(h.db, await spaceId());
		const token = surveyToken(s.id);
		const step1 = await answerSurvey(
			h.db,
			null,
			spaceSlug,
			s.slug,
			form({ section: '0', clientId: token, a_q1: 'o1', a_q2: ['o2', 'o3'] }),
			sv
		);
		// "Often": the part about obstacles is skipped.
		expect(step1).toEqual({ done: false, section: 2, answers: { q1: ['o1'], q2: ['o2', 'o3'] } });
		expect(await responsesOf(s.id)).toHaveLength(0);

		const missing = await problems(
			answerSurvey(h.db, null, spaceSlug, s.slug, form({ section: '2', clientId: token, a_q1: 'o1' }), sv)
		);
		expect(missing).toEqual(['a_q4:surveyRequired']);

		const done = await answerSurvey(
			h.db,
			null,
			spaceSlug,
			s.slug,
			form({
				section: '2',
				clientId: token,
				a_q1: 'o1',
				a_q2: ['o2', 'o3'],
				a_q4: '5',
				a_q6_o1: '4',
				a_q6_o2: '2',
				a_q3: 'not asked'
			}),
			sv
		);
		expect(done).toEqual({ done: true, repeated: false });
		const [response] = await responsesOf(s.id);
		// Anonymous: nobody's id is kept.
		expect(response!.participantId).toBeNull();
		const stored = await h.db.select().from(surveyAnswer).where(eq(surveyAnswer.responseId, response!.id));
		expect(stored.map((a) => `${a.question}/${a.item}/${a.value ?? ''}`).sort()).toEqual([
			'q1/o1/',
			'q2/o2/',
			'q2/o3/',
			'q4//5',
			'q6/o1/4',
			'q6/o2/2'
		]);
	});

	it('stores a response sent again with its token once, and refuses a token of another survey', async () => {
		const s = await aSurvey(h.db, await spaceId());
		const other = await aSurvey(h.db, await spaceId());
		const token = surveyToken(s.id);
		const full = { section: '2', clientId: token, a_q1: 'o2', a_q4: '3' };
		const sendings = await Promise.all(
			Array.from({ length: 5 }, () => answerSurvey(h.db, null, spaceSlug, s.slug, form(full), sv))
		);
		expect(await responsesOf(s.id)).toHaveLength(1);
		expect(sendings.filter((r) => r.done && !r.repeated)).toHaveLength(1);
		expect(await answerSurvey(h.db, null, spaceSlug, s.slug, form(full), sv)).toEqual({
			done: true,
			repeated: true
		});
		expect(
			await problems(answerSurvey(h.db, null, spaceSlug, other.slug, form({ ...full, clientId: token }), sv))
		).toEqual(['form:surveyTokenInvalid']);
		expect(
			await problems(
				answerSurvey(
					h.db,
					null,
					spaceSlug,
					s.slug,
					form({ ...full, clientId: `${token.slice(0, -2)}xx` }),
					sv
				)
			)
		).toEqual(['form:surveyTokenInvalid']);
	});

	it('stores exactly 1,000 responses sent at once', async () => {
		const s = await aSurvey(h.db, await spaceId());
		const tokens = Array.from({ length: 1000 }, () => surveyToken(s.id));
		const results = await Promise.all(
			tokens.map((clientId, i) =>
				answerSurvey(
					h.db,
					null,
					spaceSlug,
					s.slug,
					form({ section: '2', clientId, a_q1: ['o1', 'o2'][i % 2]!, a_q4: String((i % 5) + 1) }),
					sv
				)
			)
		);
		expect(results.every((r) => r.done && !r.repeated)).toBe(true);
		expect(await responsesOf(s.id)).toHaveLength(1000);
		const { responses, questions } = await surveyResults(h.db, s, 'sv');
		expect(responses).toBe(1000);
		expect(questions[0]!.bars.map((b) => b.count)).toEqual([500, 500, 0]);
		expect(questions.find((q) => q.key === 'q4')!.bars.map((b) => b.count)).toEqual([
			200, 200, 200, 200, 200
		]);
	}, 120_000);

	it('lets a signed-in participant answer once, and refuses the signed-out where names are asked for', async () => {
		const s = await aSurvey(h.db, await spaceId(), { respondents: 'verified-email' });
		const full = (clientId: string) => form({ section: '2', clientId, a_q1: 'o1', a_q4: '2' });
		await expect(
			answerSurvey(h.db, null, spaceSlug, s.slug, full(surveyToken(s.id)), sv)
		).rejects.toMatchObject({
			reason: 'signIn'
		});
		expect(await answerSurvey(h.db, resident, spaceSlug, s.slug, full(surveyToken(s.id)), sv)).toEqual({
			done: true,
			repeated: false
		});
		const again = answerSurvey(h.db, resident, spaceSlug, s.slug, full(surveyToken(s.id)), sv);
		await expect(again).rejects.toBeInstanceOf(SurveyRefused);
		await expect(again).rejects.toMatchObject({ reason: 'answered' });
		const [row] = await responsesOf(s.id);
		expect(row!.participantId).toBe(resident.id);
	});

	it('refuses answers before the first day and after the last', async () => {
		const early = await aSurvey(h.db, await spaceId(), { opensOn: '2099-01-01', closesOn: '2099-02-01' });
		const late = await aSurvey(h.db, await spaceId(), { opensOn: '2020-01-01', closesOn: '2020-02-01' });
		const send = (slug: string, id: number) =>
			answerSurvey(
				h.db,
				null,
				spaceSlug,
				slug,
				form({ section: '2', clientId: surveyToken(id), a_q1: 'o1', a_q4: '2' }),
				sv
			);
		await expect(send(early.slug, early.id)).rejects.toMatchObject({ reason: 'notYet' });
		await expect(send(late.slug, late.id)).rejects.toMatchObject({ reason: 'closed' });
	});

	it('shows free text in the results only once a moderator has, and never in the public file before', async () => {
		const s = await aSurvey(h.db, await spaceId());
		for (const text of ['Mötena är på dagtid', 'Ring mig på 070-1234567']) {
			await answerSurvey(
				h.db,
				null,
				spaceSlug,
				s.slug,
				form({ section: '2', clientId: surveyToken(s.id), a_q1: 'o3', a_q3: text, a_q4: '1' }),
				sv
			);
		}
		const textsOf = async () =>
			(await surveyResults(h.db, s, 'sv')).questions.find((q) => q.key === 'q3')!.texts.map((t) => t.text);
		expect(await textsOf()).toEqual([]);
		const [first, second] = (await responsesOf(s.id)).sort((a, b) => a.id - b.id);
		await expect(
			decideText(h.db, other, spaceSlug, s.slug, {
				response: String(first!.id),
				question: 'q3',
				state: 'shown'
			})
		).rejects.toBeInstanceOf(ForbiddenError);
		await decideText(h.db, editor, spaceSlug, s.slug, {
			response: String(first!.id),
			question: 'q3',
			state: 'shown'
		});
		await decideText(h.db, editor, spaceSlug, s.slug, {
			response: String(second!.id),
			question: 'q3',
			state: 'hidden'
		});
		expect(await textsOf()).toEqual(['Mötena är på dagtid']);
		const publicFile = JSON.stringify(await responsesForDownload(h.db, s.id, false));
		expect(publicFile).toContain('Mötena är på dagtid');
		expect(publicFile).not.toContain('070-1234567');
		expect(JSON.stringify(await responsesForDownload(h.db, s.id, true))).toContain('070-1234567');
	});

	it('builds a survey from the form, keeps its keys, and refuses changing what answers mean once answered', async () => {
		const builder = {
			surveyTitleSv: 'Vatten i Ale',
			opensOn: '2026-01-01',
			closesOn: '2099-12-31',
			respondents: 'anyone',
			questionKey: ['', '', ''],
			questionSection: ['1', '2', ''],
			questionKind: ['single', 'text', ''],
			questionSv: ['Har du brunn?', 'Varför inte?', ''],
			questionEn: ['', '', ''],
			questionOptions: ['Ja | Yes\nNej | No', '', ''],
			questionRequired: ['yes', 'no', ''],
			questionMax: ['', '', ''],
			questionScaleMin: ['', '', ''],
			questionScaleMax: ['', '', ''],
			questionLow: ['', '', ''],
			questionHigh: ['', '', ''],
			questionIf: ['', 'q1', ''],
			questionIfOptions: ['', '2', '']
		};
		await expect(createSurvey(h.db, other, spaceSlug, builder)).rejects.toBeInstanceOf(ForbiddenError);
		const slug = await createSurvey(h.db, editor, spaceSlug, builder);
		const [made] = await h.db.select().from(surveyTable).where(eq(surveyTable.slug, slug));
		expect(made!.questions.map((q) => [q.key, q.section, q.condition])).toEqual([
			['q1', 0, null],
			['q2', 1, { question: 'q1', options: ['o2'] }]
		]);
		expect(made!.questions[0]!.options[1]).toEqual({ key: 'o2', text: { sv: 'Nej', en: 'No' } });

		// A condition must look back at a choice question of an earlier part.
		expect(
			await problems(
				saveSurvey(h.db, editor, spaceSlug, slug, {
					...builder,
					questionKey: ['q1', 'q2', ''],
					questionSection: ['1', '1', '']
				})
			)
		).toEqual(['question-2:surveyConditionInvalid']);

		await answerSurvey(
			h.db,
			null,
			spaceSlug,
			slug,
			form({ section: '1', clientId: surveyToken(made!.id), a_q1: 'o1' }),
			sv
		);
		const reworded = {
			...builder,
			questionKey: ['q1', 'q2', ''],
			questionSv: ['Har du en egen brunn?', 'Varför inte?', '']
		};
		await saveSurvey(h.db, editor, spaceSlug, slug, reworded);
		expect(
			await problems(
				saveSurvey(h.db, editor, spaceSlug, slug, {
					...reworded,
					questionOptions: ['Ja\nNej\nVet inte', '', '']
				})
			)
		).toEqual(['form:surveyAnsweredStructure']);
	});
});

describe('the builder’s form', () => {
	it('answers junk in every field with problems, never an exception of another kind', async () => {
		const { readSurveyForm, surveyShape } = await import('./input.ts');
		const { ValidationError } = await import('../../kernel/errors.ts');
		for (const junk of ['\u0000\u0001', 'x'.repeat(5000), '2026-13-45', '-1']) {
			const form = Object.fromEntries(
				Object.keys(surveyShape).map((k) => [k, k.startsWith('question') ? [junk] : junk])
			);
			expect(() => readSurveyForm(form, [])).toThrow(ValidationError);
		}
	});
});
