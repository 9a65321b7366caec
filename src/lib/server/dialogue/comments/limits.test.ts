import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor } from '../../test/actors.ts';
import { aSpace } from '../../test/factories/dialogue.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { ValidationError } from '../../kernel/errors.ts';
import { dialogueComment } from '../schema.ts';
import { CommentLimitError, commentsPerAddress, commentsPerParticipant, writeComment } from './commands.ts';

// The allowances in the database (rate-limiter-flexible on the sign-in throttle's table): per
// participant and per client address, ten minutes each.

let address = 0;
const client = () => ({ ip: `10.3.${Math.floor(address / 250)}.${address++ % 250}` });
const refusal = (run: Promise<unknown>) =>
	run.then(
		() => {
			throw new Error('expected a refusal');
		},
		(e: unknown) => e
	);

describe.each(testDatabases)('comment allowances on $name', (database) => {
	let h: DatabaseHandle;

	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(() => h?.close());

	it('a participant writes at most 20 comments in ten minutes; refused ones do not count', async () => {
		const busy = await anActor(h.db, 'reader');
		const place = { space: (await aSpace(h.db)).slug, proposalId: null };
		// Refused before (bad input) or after (comments closed) the allowance is taken: neither counts.
		const closed = { space: (await aSpace(h.db, { status: 'closed' })).slug, proposalId: null };
		for (let i = 0; i < 5; i++) {
			expect(
				await refusal(writeComment(h.db, busy, place, { comment: 'x'.repeat(2000) }, client()))
			).toBeInstanceOf(ValidationError);
			expect(await refusal(writeComment(h.db, busy, closed, { comment: 'Stängt' }, client()))).toBeInstanceOf(
				ValidationError
			);
		}
		for (let i = 0; i < commentsPerParticipant; i++)
			await writeComment(h.db, busy, place, { comment: `Kommentar ${i}` }, client());
		const refused = await writeComment(h.db, busy, place, { comment: 'En till' }, client()).catch((e) => e);
		expect(refused).toBeInstanceOf(CommentLimitError);
		expect(refused.retryAfterSeconds).toBeGreaterThan(500);
		expect(refused.retryAfterSeconds).toBeLessThanOrEqual(600);
		const rows = await h.db
			.select({ id: dialogueComment.id })
			.from(dialogueComment)
			.where(eq(dialogueComment.authorId, busy.id));
		expect(rows).toHaveLength(commentsPerParticipant);
	});

	it('one client address writes at most 60 comments in ten minutes, whoever is signed in', async () => {
		const place = { space: (await aSpace(h.db)).slug, proposalId: null };
		const office = { ip: '192.0.2.77' };
		const people = await Promise.all([0, 1, 2, 3].map(() => anActor(h.db, 'reader')));
		for (let i = 0; i < commentsPerAddress; i++)
			await writeComment(h.db, people[i % 4]!, place, { comment: `Från kontoret ${i}` }, office);
		const fresh = await anActor(h.db, 'reader');
		await expect(writeComment(h.db, fresh, place, { comment: 'En till' }, office)).rejects.toBeInstanceOf(
			CommentLimitError
		);
		// The refused person's own allowance was given back: from elsewhere they write at once.
		await writeComment(h.db, fresh, place, { comment: 'Hemifrån' }, client());
		const written = await h.db
			.select({ body: dialogueComment.body })
			.from(dialogueComment)
			.where(eq(dialogueComment.authorId, fresh.id));
		expect(written.map((c) => c.body)).toEqual(['Hemifrån']);
	});
});
