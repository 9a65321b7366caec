import { ForbiddenError } from './errors.ts';
import type { Role } from '../accounts/schema.ts';

/** Who is asking: a signed-in user with a role, or nobody. Always from the session, never a form. */
export type Actor = { id: string; role: Role } | null;

/** "anonymous" is anyone not signed in. */
export type Audience = Role | 'anonymous';

export interface Rule {
	/** Who may. */
	allow: readonly Audience[];
	/** Why: the reason a reviewer checks the rule against. */
	why: string;
}

/** Declares a domain's rules; the names become the actions routes ask about. */
export function rules<T extends Record<string, Rule>>(defined: T): T {
	return defined;
}

export function can(actor: Actor, rule: Rule): boolean {
	return rule.allow.includes(actor ? (actor.role ?? 'reader') : 'anonymous');
}

/** Throws ForbiddenError (403) unless the actor may; signed-out visitors get `signInRequired`. */
export function authorize(actor: Actor, rule: Rule): asserts actor is NonNullable<Actor> {
	if (!can(actor, rule)) throw new ForbiddenError(actor === null);
}

const staff = ['admin', 'editor', 'author'] as const;

/** The editorial workspace and the accounts: one table, read by every /admin route. */
export const workspace = rules({
	enter: {
		allow: staff,
		why: 'the workspace is for programme staff; readers and participants have no use for it'
	},
	writeArticles: {
		allow: staff,
		why: 'authors, editors and admins write, translate and submit drafts for review'
	},
	publish: {
		allow: ['admin', 'editor'],
		why: 'authors write but do not publish: an editor reviews, publishes, schedules, unpublishes, archives and edits what is live'
	},
	uploadMedia: { allow: staff, why: 'whoever writes needs images and reports, with their alt texts' },
	deleteMedia: {
		allow: ['admin', 'editor'],
		why: 'a deleted file disappears from every article that uses it'
	},
	manageTopics: {
		allow: ['admin', 'editor'],
		why: 'topics shape the whole bank; the four principles stay fixed'
	},
	manageUsers: { allow: ['admin'], why: 'roles give power over content and people' },
	readAuditLog: { allow: ['admin'], why: 'the log holds addresses and security events' },
	readOutbox: { allow: ['admin'], why: 'unsent mail holds sign-in links for other people' }
});

/** What every signed-in user may do with their own account. */
export const ownAccount = rules({
	manage: {
		allow: ['admin', 'editor', 'author', 'reader'],
		why: 'everyone sees and ends their own sessions, downloads and deletes their data'
	}
});

/** Roles that must sign in with a second factor: they publish and hand out roles. */
export function requiresSecondFactor(role: Role): boolean {
	return role === 'admin' || role === 'editor';
}

const signedIn = ['admin', 'editor', 'author', 'reader'] as const;

/**
 * The partnership registry. Coordinators edit their own partnership: that is a fact about the
 * partnership (`partnership_access`), checked by the partnerships domain on top of these rules.
 */
export const registry = rules({
	editAnyPartnership: {
		allow: ['admin', 'editor'],
		why: "the programme's editors keep every partnership's page right"
	},
	editOwnPartnership: {
		allow: signedIn,
		why: 'a coordinator (a role on the partnership, not a global one) edits their own partnership'
	},
	manageOrganizations: {
		allow: ['admin', 'editor'],
		why: 'international partners are created and placed on the map by editors'
	}
});

/** Find a partner: profiles, contact requests, moderation. */
export const partnerSearch = rules({
	postProfile: {
		allow: signedIn,
		why: "an organization's staff (a fact about the organization) post its profile"
	},
	contact: {
		allow: signedIn,
		why: 'only signed-in staff of an organization may write to another, and they can be traced'
	},
	moderate: {
		allow: ['admin', 'editor'],
		why: 'editors hide profiles and handle reported contact requests'
	}
});
