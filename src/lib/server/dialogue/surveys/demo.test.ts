import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { demoSpaceSlugs } from '../demo-texts.ts';
import { survey, surveyAnswer } from '../schema.ts';
import { addDemoSurvey, demoResponseCount, demoSurveySlug } from './demo.ts';
import { readSurvey } from './queries.ts';
import { surveyResults } from './results.ts';

describe.each(testDatabases)('the survey demo on $name', (database) => {
	let h: DatabaseHandle;

	beforeAll(async () => {
		// The prepared database has the demo loaded (test/global-setup.ts), as a start would.
		h = await database.open();
	});
	afterAll(async () => {
		await h?.close();
	});

	it('has Ale’s open survey with published results, its conditional part answered only by those it asks', async () => {
		const { survey: row } = await readSurvey(h.db, demoSpaceSlugs.ale, demoSurveySlug, null);
		expect(row).toMatchObject({ respondents: 'anyone', resultsPublic: true });
		const { responses, questions } = await surveyResults(h.db, row, 'sv');
		expect(responses).toBe(demoResponseCount);
		const byKey = Object.fromEntries(questions.map((q) => [q.key, q]));
		// Part 2 is asked of those who answered "No" to question 2, and only of them.
		const no = byKey.q2!.bars[2]!.count;
		expect(no).toBeGreaterThan(0);
		expect(byKey.q3!.answered).toBe(no);
		expect(byKey.q1!.answered).toBe(demoResponseCount);
		// Only the free text a moderator showed is in the results.
		const shown = [...byKey.q4!.texts, ...byKey.q8!.texts].map((x) => x.text);
		expect(shown).toContain('Bussen till Nödinge går för sällan på helgerna.');
		const hidden = await h.db
			.select({ text: surveyAnswer.text })
			.from(surveyAnswer)
			.where(and(eq(surveyAnswer.surveyId, row.id), eq(surveyAnswer.textState, 'hidden')));
		expect(hidden.length).toBeGreaterThan(0);
		for (const x of hidden) expect(shown).not.toContain(x.text);
		expect(await addDemoSurvey(h.db)).toBe(false);
		expect(await h.db.select().from(survey).where(eq(survey.slug, demoSurveySlug))).toHaveLength(1);
	});
});
