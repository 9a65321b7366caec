import { eq } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import type { Actor } from '../../kernel/policy.ts';
import { readForm } from '../../kernel/input.ts';
import { runCommand } from '../../kernel/write.ts';
import { partnerProfile, type ProfileStatus } from '../schema.ts';
import { partnerSearchPolicy } from '../policy.ts';
import { moderationShape } from '../input.ts';

/** An editor sets a profile's status (the form's `profile`) with a note the organization sees. */
function setProfileStatus(
	db: Database,
	actor: Actor,
	form: FormData | Record<string, unknown>,
	status: ProfileStatus
): Promise<void> {
	return runCommand(db, actor, {
		rule: partnerSearchPolicy.moderate,
		parse: () => readForm(form, moderationShape, 'partnerSearch'),
		work: async (tx, { profile, note }) => {
			const [before] = await tx
				.select({ status: partnerProfile.status, moderationNote: partnerProfile.moderationNote })
				.from(partnerProfile)
				.where(eq(partnerProfile.id, profile))
				.for('update');
			if (!before) throw new NotFoundError('Profile');
			const after = { status, moderationNote: note || null };
			await tx.update(partnerProfile).set(after).where(eq(partnerProfile.id, profile));
			return {
				result: undefined,
				audit: {
					action: status === 'hidden' ? 'partner-profile.hide' : 'partner-profile.show',
					subject: `partner-profile:${profile}`,
					before,
					after
				},
				public: true
			};
		}
	});
}

/** An editor hides a profile from the listing, with a note the organization sees. */
export function hideProfile(
	db: Database,
	actor: Actor,
	form: FormData | Record<string, unknown>
): Promise<void> {
	return setProfileStatus(db, actor, form, 'hidden');
}

/** An editor shows a hidden profile again (the note may be cleared or kept). */
export function showProfile(
	db: Database,
	actor: Actor,
	form: FormData | Record<string, unknown>
): Promise<void> {
	return setProfileStatus(db, actor, form, 'active');
}
