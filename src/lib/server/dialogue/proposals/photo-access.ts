import { eq } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import { can, mayOn, type Actor } from '../../kernel/policy.ts';
import { proposal } from '../schema.ts';
import { dialoguePolicy } from '../policy.ts';
import { spaceActors } from '../spaces/queries.ts';
import { publicStatuses } from './queries.ts';

// Who may fetch a proposal's photo by its address (/media/<key>/<width>.webp): the proposal decides,
// not the library. Everyone while the proposal is public; while it waits for screening, was refused
// or is hidden, only those who see the proposal itself: its author, the space's moderators and its
// answerers (and the programme's editors, who are both).

/**
 * `none`: the file is no proposal's photo (the library's own rules). `public`: everyone may see it.
 * `allowed`: not public, but this viewer may. `refused`: not for this viewer.
 */
export type PhotoAccess = 'none' | 'public' | 'allowed' | 'refused';

/**
 * Whether a library item is a proposal's photo and who may see it now. The viewer is asked for
 * (a session read) only when the proposal is not public.
 */
export async function proposalPhotoAccess(
	db: Database,
	mediaId: number,
	viewer: () => Promise<Actor>
): Promise<PhotoAccess> {
	const rows = await db
		.select({
			spaceId: proposal.spaceId,
			authorId: proposal.authorId,
			status: proposal.status,
			hidden: proposal.hidden
		})
		.from(proposal)
		.where(eq(proposal.mediaId, mediaId));
	if (!rows.length) return 'none';
	const closed = rows.filter((r) => r.hidden || !publicStatuses.includes(r.status));
	if (!closed.length) return 'public';
	const actor = await viewer();
	if (!actor) return 'refused';
	for (const row of closed) {
		if (row.authorId === actor.id) continue;
		if (can(actor, dialoguePolicy.moderate) || can(actor, dialoguePolicy.answer)) continue;
		const space = await spaceActors(db, row.spaceId);
		const sees =
			(await mayOn(actor, dialoguePolicy.moderate, space)) ||
			(await mayOn(actor, dialoguePolicy.answer, space));
		if (!sees) return 'refused';
	}
	return 'allowed';
}
