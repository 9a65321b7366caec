import { ForbiddenError } from './errors.ts';
import { roles, type Role } from '#lib/roles.ts';

/**
 * Who may do what, as data. Each module declares its rules in its `policy.ts` with `rules()`;
 * every route and command asks `authorize()` (or `authorizeOn()` for a rule about one thing),
 * and the permission journey walks every route and form action with every role.
 */

/** Who is asking: a signed-in user with a role, or nobody. Always from the session, never a form. */
export type Actor = { id: string; role: Role } | null;

/** "anonymous" is anyone not signed in. */
export type Audience = Role | 'anonymous';

/** Everyone with an account. */
export const signedIn = roles;
/** Programme staff: the workspace is theirs. */
export const staff = ['admin', 'editor', 'author'] as const;
/** Staff who publish, moderate and change what others made. */
export const editors = ['admin', 'editor'] as const;

export interface Rule<S = never> {
	/** Who may, whatever the thing acted on. */
	allow: readonly Audience[];
	/**
	 * Who else may, by a fact about the thing acted on (the coordinator of this partnership, staff
	 * of this organization, the author of a draft): checked by `authorizeOn` with that thing.
	 */
	also?: {
		who: string;
		when: (actor: NonNullable<Actor>, subject: S) => boolean | Promise<boolean>;
	};
	/** Why: the reason a reviewer checks the rule against. */
	why: string;
}

/** Declares a module's rules; the names become the actions routes and commands ask about. */
export function rules<T extends Record<string, Rule<never> | Rule<any>>>(defined: T): T {
	return defined;
}

const audienceOf = (actor: Actor): Audience => (actor ? actor.role : 'anonymous');

/** Whether the actor may, by role alone (a rule's `also` needs `mayOn`). */
export function can(actor: Actor, rule: Rule<any>): boolean {
	return rule.allow.includes(audienceOf(actor));
}

/** Whether the actor may act on this subject: by role, or by the rule's fact about it. */
export async function mayOn<S>(actor: Actor, rule: Rule<S>, subject: S): Promise<boolean> {
	if (can(actor, rule)) return true;
	if (!actor || !rule.also) return false;
	return rule.also.when(actor, subject);
}

/** Throws ForbiddenError (403) unless the actor may; signed-out visitors get `signInRequired` (401). */
export function authorize(actor: Actor, rule: Rule<any>): asserts actor is NonNullable<Actor> {
	if (!can(actor, rule)) throw new ForbiddenError(actor === null);
}

/** The same for a rule about one thing; returns the (signed-in) actor. */
export async function authorizeOn<S>(actor: Actor, rule: Rule<S>, subject: S): Promise<NonNullable<Actor>> {
	if (!(await mayOn(actor, rule, subject))) throw new ForbiddenError(actor === null);
	return actor!;
}

/** Roles that must sign in with a second factor: they publish and hand out roles. */
export function requiresSecondFactor(role: Role): boolean {
	return role === 'admin' || role === 'editor';
}
