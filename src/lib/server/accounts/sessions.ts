import { actorOf, type Auth } from './auth.ts';
import type { Role } from './schema.ts';
import { requiresSecondFactor, staff } from '../kernel/policy.ts';
import { config } from '../kernel/config.ts';

/** Staff sessions end after this long without a request. */
export const staffIdleMinutes = config().auth.staffIdleMinutes;
/** No session lives longer than this, however active. */
export const absoluteDays = config().auth.sessionAbsoluteDays;

export interface SignedInUser {
	id: string;
	name: string;
	email: string;
	role: Role;
	locale: string;
	twoFactorEnabled: boolean;
	sessionId: string;
}

/**
 * The signed-in user behind a request, or null. Ends sessions that have been idle too long
 * (staff) or lived too long (everyone) before they are refreshed.
 */
export async function currentUser(auth: Auth, headers: Headers): Promise<SignedInUser | null> {
	const stored = await auth.api.getSession({ headers, query: { disableRefresh: true } });
	if (!stored) return null;
	const { role } = actorOf(stored.user);
	const now = Date.now();
	const idle = now - new Date(stored.session.updatedAt).getTime();
	const age = now - new Date(stored.session.createdAt).getTime();
	const isStaff = (staff as readonly Role[]).includes(role);
	if ((isStaff && idle > staffIdleMinutes * 60_000) || age > absoluteDays * 86_400_000) {
		await auth.api.revokeSession({ body: { token: stored.session.token }, headers });
		return null;
	}
	// Now let better-auth slide the session forward (it writes at most once a minute).
	const fresh = await auth.api.getSession({ headers });
	if (!fresh) return null;
	return {
		id: fresh.user.id,
		name: fresh.user.name,
		email: fresh.user.email,
		role,
		locale: fresh.user.locale ?? 'sv',
		twoFactorEnabled: !!fresh.user.twoFactorEnabled,
		sessionId: fresh.session.id
	};
}

/**
 * What a member of staff who must use two-step verification may reach before setting it up: the
 * account pages (the set-up itself, sessions, their data) and signing out. Paths without the
 * language prefix.
 */
const beforeSecondFactor = /^\/(account|sign-out)(\/|$)/;

/**
 * Whether this request must wait until the person has set up two-step verification: editors and
 * admins without it reach nothing else, page, form action or API alike. Asked by the hooks on
 * every request, with the role read afresh from the database (a promotion counts at once).
 */
export function mustSetUpSecondFactor(user: SignedInUser | null, path: string): boolean {
	return (
		!!user && requiresSecondFactor(user.role) && !user.twoFactorEnabled && !beforeSecondFactor.test(path)
	);
}
