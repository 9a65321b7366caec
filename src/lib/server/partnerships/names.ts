import { sql } from 'drizzle-orm';
import { pick, type LocalizedText } from '../kernel/localized.ts';
import { organization } from '../organizations/schema.ts';
import { partnership, partnershipMember } from './schema.ts';

/**
 * A partnership's member organizations' names, the Swedish side first, as a column of a select
 * from `partnership` (a subquery per row: one statement for any number of partnerships). The
 * outer id is named with its table: Drizzle leaves columns unqualified in a select without joins,
 * and a bare "id" inside the subquery would be the organization's.
 */
export const partnershipNames = sql<
	LocalizedText[] | null
>`(select json_agg(${organization.name} order by ${partnershipMember.role} desc, ${organization.id})
	from ${partnershipMember} join ${organization} on ${organization.id} = ${partnershipMember.organizationId}
	where ${partnershipMember.partnershipId} = ${partnership}.${sql.identifier(partnership.id.name)})`;

/** A partnership's name in the language: its members, Swedish first ("Hörby kommun – Peja kommun"). */
export function partnershipName(names: LocalizedText[] | null, locale: string): string {
	return (names ?? []).map((n) => pick(n, locale)).join(' – ');
}
