import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { aPerson, aTestAuth, type TestPerson } from '../../test/factories/accounts.ts';
import { aComment, aProposal, aSpace, type TestSpace } from '../../test/factories/dialogue.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { ForbiddenError, ValidationError } from '../../kernel/errors.ts';
import { problemsIn } from '../../kernel/http.ts';
import { auditLog, mailOutbox } from '../../kernel/schema.ts';
import {
	dialogueComment,
	dialogueFlag,
	dialogueFollow,
	residentVerification,
	proposal,
	proposalSupport
} from '../../dialogue/schema.ts';
import type { Auth } from '../auth.ts';
import { user } from '../schema.ts';
import { userDataView } from '../views.ts';
import { deleteOwnAccount, saveSettings } from './commands.ts';
import { exportUserData, ownSettings } from './queries.ts';

/**
 * A participant's own account (issue 10): settings, the data download with their dialogue input,
 * and deleting the account, after which what they wrote stays as a former participant's.
 */
describe.each(testDatabases)('a participant’s own account on $name', (database) => {
	let h: DatabaseHandle;
	let auth: Auth;

	beforeAll(async () => {
		h = await database.open();
		auth = aTestAuth(h.db);
	});
	afterAll(() => h?.close());

	const auditOf = (action: string, actorId: string) =>
		h.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, action), eq(auditLog.actorId, actorId)));

	it('saves the display name, language and notification mail, logging only what changed', async () => {
		const me = await aPerson(auth, h.db, 'reader', { name: 'Sam Svensson' });
		expect(await ownSettings(h.db, me)).toMatchObject({
			name: 'Sam Svensson',
			locale: 'sv',
			notificationMail: 'daily'
		});
		await saveSettings(h.db, me, { displayName: '  Sam  S. ', lang: 'en', notificationMail: 'weekly' });
		expect(await ownSettings(h.db, me)).toMatchObject({
			name: 'Sam S.',
			locale: 'en',
			notificationMail: 'weekly'
		});
		const [logged] = await auditOf('user.settings', me.id);
		expect(logged).toMatchObject({
			subject: `user:${me.id}`,
			before: { name: 'Sam Svensson', locale: 'sv', notificationMail: 'daily' },
			after: { name: 'Sam S.', locale: 'en', notificationMail: 'weekly' }
		});
		await saveSettings(h.db, me, { displayName: 'Sam S.', lang: 'en', notificationMail: 'single' });
		const rows = await auditOf('user.settings', me.id);
		expect(rows).toHaveLength(2);
		expect(rows.find((r) => r.id !== logged!.id)).toMatchObject({
			before: { notificationMail: 'weekly' },
			after: { notificationMail: 'single' }
		});
		// Saving the same again changes nothing and logs nothing.
		await saveSettings(h.db, me, { displayName: 'Sam S.', lang: 'en', notificationMail: 'single' });
		expect(await auditOf('user.settings', me.id)).toHaveLength(2);
	});

	it('names each bad setting and keeps the saved ones; nobody signed out may save', async () => {
		const me = await aPerson(auth, h.db, 'reader', { name: 'Bo Bra' });
		const error = await saveSettings(h.db, me, {
			displayName: '',
			lang: 'de',
			notificationMail: 'hourly'
		}).catch((e) => e);
		expect(error).toBeInstanceOf(ValidationError);
		expect(problemsIn(error, 'en')).toEqual([
			{ field: 'displayName', message: 'Display name: This must be filled in.' },
			{ field: 'lang', message: 'Language for email and pages: The language must be sv or en.' },
			{
				field: 'notificationMail',
				message: 'Email about what you follow: Choose how you want to receive email.'
			}
		]);
		expect(await ownSettings(h.db, me)).toMatchObject({
			name: 'Bo Bra',
			locale: 'sv',
			notificationMail: 'daily'
		});
		await expect(
			saveSettings(h.db, null, { displayName: 'X', lang: 'sv', notificationMail: 'daily' })
		).rejects.toMatchObject({ signInRequired: true });
		await expect(ownSettings(h.db, null)).rejects.toThrow(ForbiddenError);
	});

	describe('with input in a dialogue', () => {
		let me: TestPerson;
		let other: TestPerson;
		let space: TestSpace;
		let mine: { id: number };
		let theirs: { id: number };
		let myComment: { id: number };

		beforeAll(async () => {
			me = await aPerson(auth, h.db, 'reader', { name: 'Dana Deltagare', email: 'dana@example.se' });
			other = await aPerson(auth, h.db, 'reader', { name: 'Olle Annan' });
			space = await aSpace(h.db);
			mine = await aProposal(h.db, space.id, me.id, { title: 'Fler bänkar i parken' });
			theirs = await aProposal(h.db, space.id, other.id, { title: 'Längre öppettider' });
			// Both support the other's proposal, and Olle supports Dana's: counts kept with the rows.
			await h.db.insert(proposalSupport).values([
				{ proposalId: theirs.id, userId: me.id },
				{ proposalId: theirs.id, userId: other.id },
				{ proposalId: mine.id, userId: other.id }
			]);
			await h.db.update(proposal).set({ supportCount: 2 }).where(eq(proposal.id, theirs.id));
			await h.db.update(proposal).set({ supportCount: 1 }).where(eq(proposal.id, mine.id));
			myComment = await aComment(h.db, space.id, me.id, { proposalId: theirs.id, body: 'Ja, gärna!' });
			const theirComment = await aComment(h.db, space.id, other.id, { proposalId: mine.id });
			await h.db.insert(dialogueFlag).values({
				spaceId: space.id,
				commentId: theirComment.id,
				userId: me.id,
				reason: 'off-topic'
			});
			await h.db.insert(dialogueFollow).values([
				{ userId: me.id, spaceId: space.id },
				{ userId: me.id, proposalId: theirs.id },
				{ userId: other.id, proposalId: mine.id }
			]);
			// Verified as a resident of the space's organization, under a keyed code of who she is.
			await h.db.insert(residentVerification).values({
				userId: me.id,
				organizationId: space.organizationId!,
				method: 'census',
				subject: 'keyed-code-of-dana'
			});
			await h.db.insert(mailOutbox).values({
				key: `test:${me.id}:digest`,
				recipient: me.email,
				subject: 'Sammanfattning',
				text: 'Nytt i det du följer.'
			});
		});

		it('puts the proposals, supports, comments, flags and follows in the data download', async () => {
			const data = await exportUserData(h.db, me);
			expect(userDataView.parse(data)).toEqual(data);
			expect(data.profile).toMatchObject({ name: 'Dana Deltagare', notificationMail: 'daily', locale: 'sv' });
			expect(data.dialogue.proposals).toEqual([
				expect.objectContaining({
					id: mine.id,
					space: space.slug,
					title: 'Fler bänkar i parken',
					supportCount: 1
				})
			]);
			expect(data.dialogue.supports).toEqual([
				expect.objectContaining({ proposal: theirs.id, space: space.slug, title: 'Längre öppettider' })
			]);
			expect(data.dialogue.comments).toEqual([
				expect.objectContaining({
					id: myComment.id,
					proposal: theirs.id,
					body: 'Ja, gärna!',
					deletedAt: null
				})
			]);
			expect(data.dialogue.flags).toEqual([
				expect.objectContaining({ space: space.slug, reason: 'off-topic' })
			]);
			expect(data.dialogue.follows.map((f) => [f.space, f.proposal]).sort()).toEqual(
				[
					[space.slug, null],
					[null, theirs.id]
				].sort()
			);
			expect(data.dialogue.verifications).toEqual([
				expect.objectContaining({ method: 'census', organization: expect.any(String) })
			]);
			expect(JSON.stringify(data)).not.toContain('keyed-code-of-dana');
			// Someone else's input is not in it.
			expect(JSON.stringify(data)).not.toContain('Olle');
		});

		it('after deletion keeps the proposals and comments as a former participant’s; supports, flags and follows go', async () => {
			await deleteOwnAccount(h.db, me, { password: me.password });

			const [myProposal] = await h.db.select().from(proposal).where(eq(proposal.id, mine.id));
			expect(myProposal).toMatchObject({ title: 'Fler bänkar i parken', authorId: null, supportCount: 1 });
			const [comment] = await h.db.select().from(dialogueComment).where(eq(dialogueComment.id, myComment.id));
			expect(comment).toMatchObject({ body: 'Ja, gärna!', authorId: null });

			// Their support is gone and counted out; Olle's stays.
			const [supported] = await h.db.select().from(proposal).where(eq(proposal.id, theirs.id));
			expect(supported!.supportCount).toBe(1);
			expect(
				(await h.db.select().from(proposalSupport).where(eq(proposalSupport.proposalId, theirs.id))).map(
					(s) => s.userId
				)
			).toEqual([other.id]);
			expect(await h.db.select().from(proposalSupport).where(eq(proposalSupport.userId, me.id))).toEqual([]);
			expect(await h.db.select().from(dialogueFlag).where(eq(dialogueFlag.userId, me.id))).toEqual([]);
			expect(await h.db.select().from(dialogueFollow).where(eq(dialogueFollow.userId, me.id))).toEqual([]);
			expect(
				await h.db.select().from(residentVerification).where(eq(residentVerification.userId, me.id))
			).toEqual([]);
			expect(
				await h.db.select().from(dialogueFollow).where(eq(dialogueFollow.userId, other.id))
			).toHaveLength(1);
			// Mail not yet sent to them goes too.
			expect(await h.db.select().from(mailOutbox).where(eq(mailOutbox.recipient, 'dana@example.se'))).toEqual(
				[]
			);

			const [row] = await h.db.select().from(user).where(eq(user.id, me.id));
			expect(row).toMatchObject({ name: '', email: `deleted-${me.id}@invalid`, banned: true });
			expect(await auditOf('user.delete-own-account', me.id)).toHaveLength(1);
		});
	});
});
