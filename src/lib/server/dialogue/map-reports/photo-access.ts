import { eq } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import { can, mayOn, type Actor } from '../../kernel/policy.ts';
import { mapReport } from '../schema.ts';
import { dialoguePolicy } from '../policy.ts';
import { spaceActors } from '../spaces/queries.ts';
import type { PhotoAccess } from '../proposals/photo-access.ts';

// Who may fetch a report's photo by its address: the report decides. Everyone while it is public;
// while it waits for review (or was refused before it was public), its reporter and the team.

export async function reportPhotoAccess(
	db: Database,
	mediaId: number,
	viewer: () => Promise<Actor>
): Promise<PhotoAccess> {
	const rows = await db
		.select({ spaceId: mapReport.spaceId, authorId: mapReport.authorId, public: mapReport.public })
		.from(mapReport)
		.where(eq(mapReport.mediaId, mediaId));
	if (!rows.length) return 'none';
	const closed = rows.filter((r) => !r.public);
	if (!closed.length) return 'public';
	const actor = await viewer();
	if (!actor) return 'refused';
	for (const row of closed) {
		if (row.authorId === actor.id || can(actor, dialoguePolicy.handleReports)) continue;
		if (!(await mayOn(actor, dialoguePolicy.handleReports, await spaceActors(db, row.spaceId))))
			return 'refused';
	}
	return 'allowed';
}
