import { sign, signedHere } from '../../kernel/signing.ts';

// Unsubscribe links: a signed token per person and follow (a space, a proposal) or for all of a
// person's dialogue mail. No table: the token carries what it stops and an HMAC over it, keyed
// with the server's secret, so it works without signing in, for that person only, and a changed
// token is refused. Tokens do not expire: an old mail's link still stops the mail.

/** What an unsubscribe token stops. */
export type UnsubscribeTarget =
	{ kind: 'space'; spaceId: number } | { kind: 'proposal'; proposalId: number } | { kind: 'all' };

export interface Unsubscribe {
	userId: string;
	target: UnsubscribeTarget;
}

const purpose = 'dialogue-unsubscribe';

function targetPart(target: UnsubscribeTarget): string {
	if (target.kind === 'space') return `s${target.spaceId}`;
	if (target.kind === 'proposal') return `p${target.proposalId}`;
	return 'a';
}

/** `s12.<user, base64url>.<signature>`: only letters, digits, `-`, `_` and dots. */
export function unsubscribeToken(userId: string, target: UnsubscribeTarget): string {
	const payload = `${targetPart(target)}.${Buffer.from(userId).toString('base64url')}`;
	return `${payload}.${sign(purpose, payload)}`;
}

/** The person and what to stop, or null for a token that was not made here (or was changed). */
export function readUnsubscribeToken(token: string): Unsubscribe | null {
	const match = /^([sp][1-9]\d{0,9}|a)\.([A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{43})$/.exec(token);
	if (!match) return null;
	const [, part, user, signature] = match as unknown as [string, string, string, string];
	if (!signedHere(purpose, `${part}.${user}`, signature)) return null;
	const userId = Buffer.from(user, 'base64url').toString();
	const id = Number(part.slice(1));
	const target: UnsubscribeTarget =
		part === 'a'
			? { kind: 'all' }
			: part.startsWith('s')
				? { kind: 'space', spaceId: id }
				: { kind: 'proposal', proposalId: id };
	return { userId, target };
}
