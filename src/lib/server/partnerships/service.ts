import { and, eq } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { ValidationError, type FieldProblem } from '../kernel/errors.ts';
import { can, type Actor } from '../kernel/policy.ts';
import { unknownFilterTags } from '../taxonomy/known.ts';
import { isCountryCode } from '../kernel/countries.ts';
import { partnershipAccess } from './schema.ts';
import { getPartnership, listPartnerships, type PartnershipPage } from './queries.ts';
import { parsePartnershipFilter, type PartnershipFilter } from './validation.ts';
import { partnershipsPolicy } from './policy.ts';

/**
 * The partnership list from a query string, as the page, the API and the CSV ask for it: parse,
 * check that a named theme, target or country exists (a clear 400, not an empty list), then list.
 */
export async function findPartnerships(
	db: Database,
	locale: string,
	params: URLSearchParams,
	perPage = 50,
	options: { withMap?: boolean } = {}
): Promise<{ filter: PartnershipFilter; result: PartnershipPage }> {
	const filter = parsePartnershipFilter(params);
	const problems: FieldProblem<'partnerships'>[] = await unknownFilterTags(db, filter);
	if (filter.country && !isCountryCode(filter.country))
		problems.push({ field: 'country', code: 'invalidCountry' });
	if (problems.length) throw new ValidationError(problems, 'partnerships');
	return { filter, result: await listPartnerships(db, locale, filter, perPage, options) };
}

/** Whether the actor may edit this partnership: an editor, or its coordinator. */
export async function mayEditPartnership(
	db: Database,
	actor: Actor,
	partnershipId: number
): Promise<boolean> {
	if (can(actor, partnershipsPolicy.editAny)) return true;
	if (!actor || !can(actor, partnershipsPolicy.editOwn)) return false;
	const [row] = await db
		.select({ role: partnershipAccess.role })
		.from(partnershipAccess)
		.where(and(eq(partnershipAccess.partnershipId, partnershipId), eq(partnershipAccess.userId, actor.id)));
	return row?.role === 'coordinator';
}

/** A partnership's page, and whether the visitor may edit it. */
export async function partnershipPage(db: Database, actor: Actor, locale: string, slug: string) {
	const partnership = await getPartnership(db, locale, slug);
	if (!partnership) return null;
	return { partnership, canEdit: await mayEditPartnership(db, actor, partnership.id) };
}
