import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor, anonymous, type TestActor } from '../../test/actors.ts';
import { aProposal, aSpace, type TestSpace } from '../../test/factories/dialogue.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import type { Actor } from '../../kernel/policy.ts';
import { ValidationError } from '../../kernel/errors.ts';
import { problemsIn } from '../../kernel/http.ts';
import { proposal, proposalSupport } from '../schema.ts';
import { proposalForEdit, proposalPage } from './queries.ts';
import { supportProposal } from './commands.ts';

// What a proposal's page offers the one reading it: its author cannot support it (and keeps the
// right to edit it), an answerer of the space is led to the answer form, and the edit form says
// until when it is open.

describe.each(testDatabases)("the proposal page's reader on $name", (database) => {
	let h: DatabaseHandle;
	let author: TestActor;
	let answerer: TestActor;
	let reader: TestActor;
	let space: TestSpace;

	beforeAll(async () => {
		h = await database.open();
		author = await anActor(h.db, 'reader', { name: 'Ada Förslagsställare' });
		answerer = await anActor(h.db, 'reader');
		reader = await anActor(h.db, 'reader');
		space = await aSpace(h.db, { team: { [answerer.id]: 'answerer' } });
	});
	afterAll(async () => {
		await h?.close();
	});

	const supportsOf = async (id: number) =>
		h.db.select().from(proposalSupport).where(eq(proposalSupport.proposalId, id));

	it('refuses the author’s support of their own proposal, which they may still edit', async () => {
		const p = await aProposal(h.db, space.id, author.id);
		const page = await proposalPage(h.db, author, space.slug, p.id, 'sv');
		expect(page.reader).toMatchObject({ isAuthor: true, supportRefusal: 'ownProposal', canEdit: true });

		const refused = await supportProposal(h.db, author, space.slug, p.id).catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(ValidationError);
		expect(problemsIn(refused as ValidationError, 'sv').map((x) => x.message)).toEqual([
			'Formuläret: Du kan inte stödja ditt eget förslag.'
		]);
		expect(await supportsOf(p.id)).toEqual([]);
		const [row] = await h.db.select().from(proposal).where(eq(proposal.id, p.id));
		expect(row!.supportCount).toBe(0);
		expect((await proposalPage(h.db, author, space.slug, p.id, 'sv')).reader.canEdit).toBe(true);

		// Anyone else supports it as before; so does anyone once its author is gone.
		expect((await supportProposal(h.db, reader, space.slug, p.id)).added).toBe(true);
		const orphan = await aProposal(h.db, space.id, null);
		expect((await supportProposal(h.db, reader, space.slug, orphan.id)).added).toBe(true);
	});

	it('offers the answer form to the space’s answerers only, while the proposal can be answered', async () => {
		const p = await aProposal(h.db, space.id, author.id);
		const canAnswer = async (who: Actor, id = p.id) =>
			(await proposalPage(h.db, who, space.slug, id, 'sv')).reader.canAnswer;
		expect(await canAnswer(answerer)).toBe(true);
		expect(await canAnswer(reader)).toBe(false);
		expect(await canAnswer(author)).toBe(false);
		expect(await canAnswer(anonymous)).toBe(false);
		// An editor answers anywhere.
		expect(await canAnswer(await anActor(h.db, 'editor'))).toBe(true);
		// Withdrawn: nothing to answer.
		const withdrawn = await aProposal(h.db, space.id, author.id, { status: 'withdrawn' });
		expect(await canAnswer(answerer, withdrawn.id)).toBe(false);
	});

	it('tells the edit form when the 15-minute window closes', async () => {
		const createdAt = new Date(Date.now() - 5 * 60_000);
		const p = await aProposal(h.db, space.id, author.id, { createdAt });
		const edit = await proposalForEdit(h.db, author, space.slug, p.id);
		expect(edit.open).toBe(true);
		expect(new Date(edit.editUntil).getTime()).toBe(createdAt.getTime() + 15 * 60_000);
	});
});
