import { editors, rules, signedIn, type Actor } from '../kernel/policy.ts';
import type { SpaceTeamRole } from './schema.ts';

/**
 * A space as the policy sees it: who runs it (its owner's people: the partnership's coordinators
 * or the organization's staff) and who moderates and answers in it. Read by `spaces/queries.ts`
 * (`spaceActors`) in one query.
 */
export interface SpaceActors {
	/** Coordinators of the owning partnership, or staff of the owning organization. */
	runners: readonly string[];
	team: readonly { userId: string; role: SpaceTeamRole }[];
}

const runs = (actor: NonNullable<Actor>, space: SpaceActors) => space.runners.includes(actor.id);
const inTeam = (role: SpaceTeamRole) => (actor: NonNullable<Actor>, space: SpaceActors) =>
	runs(actor, space) || space.team.some((t) => t.userId === actor.id && t.role === role);

/**
 * Citizen dialogue. Residents take part with an account of their own (role reader, a verified
 * address); what a space asks of them beyond that (verified residents only) is a rule of the
 * space checked in the commands, not a role.
 */
export const dialoguePolicy = rules({
	createSpace: {
		allow: signedIn,
		why:
			'the first, role-only step: whoever runs a partnership or works for an organization may open a space for it; ' +
			'the owner is then checked with `runSpace`'
	},
	runSpace: {
		allow: editors,
		also: {
			who: 'a coordinator of the owning partnership or staff of the owning organization',
			when: runs
		},
		why: "a space speaks for its owner: its own people set it up, choose moderators and answerers; the programme's editors help any"
	},
	moderate: {
		allow: editors,
		also: { who: 'a moderator of this space (or whoever runs it)', when: inTeam('moderator') },
		why: 'hiding and restoring input and blocking a participant are moderators’ decisions, each with a public reason'
	},
	moderatePlatform: {
		allow: editors,
		why: "the platform's queue and platform-wide blocks are the programme editors'"
	},
	answer: {
		allow: editors,
		also: { who: 'an answerer of this space (or whoever runs it)', when: inTeam('answerer') },
		why: 'the official answer speaks for the body that decided: only the answerers its owner chose draft and publish it'
	},
	handleReports: {
		allow: editors,
		also: {
			who: 'a moderator or answerer of this space (or whoever runs it)',
			when: (actor: NonNullable<Actor>, space: SpaceActors) =>
				inTeam('moderator')(actor, space) || inTeam('answerer')(actor, space)
		},
		why: 'reviewing a report, seeing its exact place and answering it with a public note is the work of the team its owner chose'
	},
	participate: {
		allow: signedIn,
		why: 'proposals, supports, comments and flags come from accounts with a verified address, so that each counts once and can be moderated'
	}
});
