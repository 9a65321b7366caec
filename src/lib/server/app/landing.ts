import type { Database } from '../kernel/database.ts';
import { staff } from '../kernel/policy.ts';
import { membershipRows } from '../partner-search/memberships.ts';
import { ownPartnerships } from '../partnerships/space/queries.ts';

/**
 * Where someone lands after signing in (a path without the language): where their work is.
 * Staff in the workspace; the coordinator of one partnership on it (of several, on their
 * account, which lists them first); someone who works for one organization on its page (its
 * profile and members are linked there); someone in one partnership's team on it; everyone
 * else on their account.
 */
export async function landingOf(db: Database, who: { id: string; role: string }): Promise<string> {
	if ((staff as readonly string[]).includes(who.role)) return '/admin';
	const [partnerships, organizations] = await Promise.all([
		ownPartnerships(db, who.id, 'sv'),
		membershipRows(db, who.id)
	]);
	const coordinated = partnerships.filter((p) => p.role === 'coordinator');
	if (coordinated.length === 1) return `/partnerships/${coordinated[0]!.slug}`;
	if (coordinated.length > 1) return '/account';
	if (organizations.length === 1) return `/organizations/${organizations[0]!.slug}`;
	if (!organizations.length && partnerships.length === 1) return `/partnerships/${partnerships[0]!.slug}`;
	return '/account';
}
