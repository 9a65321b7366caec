import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor, anonymous, type TestActor } from '../../test/actors.ts';
import { aProposal, aSpace, type TestSpace } from '../../test/factories/dialogue.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { ForbiddenError, NotFoundError } from '../../kernel/errors.ts';
import { auditLog } from '../../kernel/schema.ts';
import { user } from '../../accounts/schema.ts';
import { readRevision } from '../../kernel/revision.ts';
import { dialogueFollow, dialogueNotification } from '../schema.ts';
import { followsOf, isFollowing, setFollow } from './follows.ts';
import { unsubscribe, unsubscribeView } from './unsubscribe.ts';
import { readUnsubscribeToken, unsubscribeToken } from './tokens.ts';

describe.each(testDatabases)('following and unsubscribing on $name', (database) => {
	let h: DatabaseHandle;
	let space: TestSpace;
	let reader: TestActor;
	const saved = process.env.BETTER_AUTH_SECRET;

	const followsOfReader = (who: TestActor) =>
		h.db.select().from(dialogueFollow).where(eq(dialogueFollow.userId, who.id));

	beforeAll(async () => {
		h = await database.open();
		process.env.BETTER_AUTH_SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
		space = await aSpace(h.db, { title: 'Torget i Hörby' });
		reader = await anActor(h.db, 'reader', { name: 'Frida Följare' });
	});
	afterAll(async () => {
		if (saved === undefined) delete process.env.BETTER_AUTH_SECRET;
		else process.env.BETTER_AUTH_SECRET = saved;
		await h?.close();
	});

	it('follows and stops following a space and a proposal, audited, leaving the public pages alone', async () => {
		const p = await aProposal(h.db, space.id, null);
		const revision = await readRevision(h.db);
		expect(await setFollow(h.db, reader, { space: space.slug }, 'follow')).toEqual({ following: true });
		await setFollow(h.db, reader, { space: space.slug, proposal: p.id }, 'follow');
		// Twice is the same as once.
		await setFollow(h.db, reader, { space: space.slug, proposal: p.id }, 'follow');
		expect(await isFollowing(h.db, reader, { space: space.slug })).toBe(true);
		expect(await isFollowing(h.db, reader, { space: space.slug, proposal: p.id })).toBe(true);
		expect(await followsOf(h.db, reader, space.id, [p.id])).toEqual({
			space: true,
			proposals: new Set([p.id])
		});
		expect(await followsOfReader(reader)).toHaveLength(2);

		await setFollow(h.db, reader, { space: space.slug }, 'unfollow');
		expect(await isFollowing(h.db, reader, { space: space.slug })).toBe(false);
		expect(await isFollowing(h.db, reader, { space: space.slug, proposal: p.id })).toBe(true);
		expect(await readRevision(h.db)).toBe(revision);
		const audits = await h.db.select().from(auditLog).where(eq(auditLog.actorId, reader.id));
		expect(audits.map((a) => a.action)).toEqual(
			expect.arrayContaining(['dialogue.follow', 'dialogue.unfollow'])
		);
		await setFollow(h.db, reader, { space: space.slug, proposal: p.id }, 'unfollow');
	});

	it('asks a visitor to sign in, and finds no draft space or unpublished proposal to follow', async () => {
		await expect(setFollow(h.db, anonymous, { space: space.slug }, 'follow')).rejects.toBeInstanceOf(
			ForbiddenError
		);
		const draft = await aSpace(h.db, { status: 'draft' });
		await expect(setFollow(h.db, reader, { space: draft.slug }, 'follow')).rejects.toBeInstanceOf(
			NotFoundError
		);
		const screened = await aProposal(h.db, space.id, null, { status: 'screening' });
		await expect(
			setFollow(h.db, reader, { space: space.slug, proposal: screened.id }, 'follow')
		).rejects.toBeInstanceOf(NotFoundError);
		const elsewhere = await aProposal(h.db, (await aSpace(h.db)).id, null);
		await expect(
			setFollow(h.db, reader, { space: space.slug, proposal: elsewhere.id }, 'follow')
		).rejects.toBeInstanceOf(NotFoundError);
		expect(await followsOfReader(reader)).toHaveLength(0);
	});

	it('unsubscribes from one follow by its mailed link, without signing in, audited as the person', async () => {
		const p = await aProposal(h.db, space.id, null, { title: 'Fontän på torget' });
		await setFollow(h.db, reader, { space: space.slug }, 'follow');
		await setFollow(h.db, reader, { space: space.slug, proposal: p.id }, 'follow');
		const token = unsubscribeToken(reader.id, { kind: 'proposal', proposalId: p.id });

		// Opening the link changes nothing.
		expect(await unsubscribeView(h.db, token, 'sv')).toEqual({
			kind: 'proposal',
			spaceTitle: 'Torget i Hörby',
			proposalTitle: 'Fontän på torget',
			spaceSlug: space.slug,
			proposalId: p.id
		});
		expect(await followsOfReader(reader)).toHaveLength(2);
		await unsubscribe(h.db, token, 'sv');
		expect((await followsOfReader(reader)).map((f) => f.spaceId)).toEqual([space.id]);
		// Again (a mail program may retry): nothing more, no error.
		await unsubscribe(h.db, token, 'sv');
		const [row] = await h.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.actorId, reader.id), eq(auditLog.action, 'dialogue.unsubscribe')));
		expect(row!.subject).toBe(`proposal:${p.id}`);
	});

	it('stops everything with the "all" link, replies included, and drops what was waiting for a digest', async () => {
		const other = await anActor(h.db, 'reader');
		const p = await aProposal(h.db, space.id, null);
		await setFollow(h.db, other, { space: space.slug }, 'follow');
		await setFollow(h.db, other, { space: space.slug, proposal: p.id }, 'follow');
		await h.db
			.insert(dialogueNotification)
			.values({ userId: other.id, key: 'event:999999', spaceId: space.id });
		await unsubscribe(h.db, unsubscribeToken(other.id, { kind: 'all' }), 'en');
		expect(await followsOfReader(other)).toHaveLength(0);
		expect(
			await h.db.select().from(dialogueNotification).where(eq(dialogueNotification.userId, other.id))
		).toHaveLength(0);
		// Replies to their own comments need no follow: the account's setting stops them.
		const [account] = await h.db
			.select({ notificationMail: user.notificationMail })
			.from(user)
			.where(eq(user.id, other.id));
		expect(account!.notificationMail).toBe('none');
	});

	it('refuses a link that was changed, cut short or made for someone else', async () => {
		const token = unsubscribeToken(reader.id, { kind: 'space', spaceId: space.id });
		expect(readUnsubscribeToken(token)).toEqual({
			userId: reader.id,
			target: { kind: 'space', spaceId: space.id }
		});
		const [part, user, signature] = token.split('.') as [string, string, string];
		const someoneElse = Buffer.from((await anActor(h.db, 'reader')).id).toString('base64url');
		for (const bad of [
			`${part}.${someoneElse}.${signature}`,
			`s${space.id + 1}.${user}.${signature}`,
			`a.${user}.${signature}`,
			token.slice(0, -1),
			`${token}x`,
			'',
			'a.b.c'
		]) {
			expect(readUnsubscribeToken(bad)).toBeNull();
			await expect(unsubscribe(h.db, bad, 'sv')).rejects.toBeInstanceOf(NotFoundError);
		}
		// A person whose account is gone: the link finds nothing.
		const ghost = unsubscribeToken('no-such-user', { kind: 'all' });
		await expect(unsubscribeView(h.db, ghost, 'sv')).rejects.toBeInstanceOf(NotFoundError);
	});
});
