import { sql } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { organization } from '../organizations/schema.ts';
import { sdgTarget } from '../taxonomy/schema.ts';
import type { Locale } from '#lib/i18n/locales.ts';
import { partnershipMember, partnershipTarget } from './schema.ts';
import { subquery } from '../kernel/sql.ts';
import { pick, type LocalizedText } from '../kernel/localized.ts';

/** What the partnership list's filters and the partnership form offer to choose from. */

/** What the filters offer: countries of international partners and counties of Swedish ones. */
export async function partnershipFilterOptions(
	db: Database,
	locale: Locale
): Promise<{ countries: string[]; counties: string[]; targets: { code: string; title: string }[] }> {
	const [r] = await db
		.select({
			targets: subquery<{ code: string; title: LocalizedText }[] | null>(
				sql`select json_agg(json_build_object('code', ${sdgTarget.code}, 'title', ${sdgTarget.title}) order by ${sdgTarget.goal}, ${sdgTarget.position}) from ${sdgTarget}
					where exists (select 1 from ${partnershipTarget} where ${partnershipTarget.target} = ${sdgTarget.code})`
			),
			countries: subquery<string[] | null>(
				sql`select json_agg(distinct ${organization.country}) from ${partnershipMember}
					join ${organization} on ${organization.id} = ${partnershipMember.organizationId}
					where ${partnershipMember.role} = 'international'`
			),
			counties: subquery<string[] | null>(
				sql`select json_agg(distinct ${organization.county}) from ${partnershipMember}
					join ${organization} on ${organization.id} = ${partnershipMember.organizationId}
					where ${partnershipMember.role} = 'swedish' and ${organization.county} is not null`
			)
		})
		.from(sql`(select 1) as one`);
	return {
		countries: r?.countries ?? [],
		counties: r?.counties ?? [],
		targets: (r?.targets ?? []).map((t) => ({ code: t.code, title: pick(t.title, locale) }))
	};
}

/** The organizations the member pickers offer: Swedish ones and the rest, by name. */
export async function organizationOptions(db: Database, locale: Locale) {
	const orgs = await db
		.select({
			id: organization.id,
			name: organization.name,
			country: organization.country,
			kind: organization.kind
		})
		.from(organization);
	const named = orgs
		.map((x) => ({ id: x.id, name: x.name[locale] ?? x.name.sv ?? '', country: x.country, kind: x.kind }))
		.sort((a, b) => a.name.localeCompare(b.name, locale));
	return {
		swedish: named.filter((x) => x.country === 'SE'),
		international: named.filter((x) => x.country !== 'SE')
	};
}
