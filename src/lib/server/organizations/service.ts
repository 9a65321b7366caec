import { and, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../kernel/database.ts';
import { audit } from '../kernel/audit.ts';
import { bumpRevision } from '../kernel/revision.ts';
import { contentChanged } from '../kernel/content-version.ts';
import { NotFoundError, ValidationError, type FieldProblem, type ErrorCode } from '../kernel/errors.ts';
import { authorize, type Actor } from '../kernel/policy.ts';
import { slugify, uniqueSlug } from '../kernel/slug.ts';
import { isCountryCode } from '../kernel/countries.ts';
import { organization, organizationKinds, type OrganizationKind } from './schema.ts';
import { organizationsPolicy } from './policy.ts';

/** What the organization form posted, as typed. */
export interface OrganizationFormValues {
	name_sv: string;
	name_en: string;
	kind: string;
	country: string;
	lat: string;
	lon: string;
}

export function organizationFormValues(form: FormData): OrganizationFormValues {
	const text = (name: string) => {
		const v = form.get(name);
		return typeof v === 'string' ? v : '';
	};
	return {
		name_sv: text('name_sv'),
		name_en: text('name_en'),
		kind: text('kind'),
		country: text('country').trim().toUpperCase(),
		lat: text('lat').trim().replace(',', '.'),
		lon: text('lon').trim().replace(',', '.')
	};
}

export interface ParsedOrganization {
	name: { sv: string; en: string };
	kind: OrganizationKind;
	country: string;
	lat: number;
	lon: number;
}

const coordinate = (max: number) =>
	z
		.string()
		.regex(/^-?\d{1,3}(\.\d{1,7})?$/)
		.transform(Number)
		.pipe(z.number().min(-max).max(max));

/** Checks the form: names in both languages, a known kind and country, a point on the map. */
export function parseOrganizationForm(v: OrganizationFormValues): ParsedOrganization {
	const problems: FieldProblem<'organizations'>[] = [];
	const add = (field: string, code: ErrorCode<'organizations'>) => problems.push({ field, code });
	const names = { sv: v.name_sv.trim(), en: v.name_en.trim() };
	for (const l of ['sv', 'en'] as const) {
		if (!names[l]) add(`name_${l}`, 'required');
		else if (names[l].length > 160) add(`name_${l}`, 'tooLong');
	}
	const kind = z.enum(organizationKinds).safeParse(v.kind);
	if (!kind.success) add('kind', 'invalidOrganizationKind');
	if (!/^[A-Z]{2}$/.test(v.country) || !isCountryCode(v.country)) add('country', 'invalidCountry');
	const lat = coordinate(90).safeParse(v.lat);
	const lon = coordinate(180).safeParse(v.lon);
	if (!lat.success) add('lat', 'invalidLatitude');
	if (!lon.success) add('lon', 'invalidLongitude');
	if (problems.length || !kind.success || !lat.success || !lon.success) throw new ValidationError(problems, 'organizations');
	return { name: names, kind: kind.data, country: v.country, lat: lat.data, lon: lon.data };
}

/** The organizations editors made (the Swedish reference data is not edited here). */
export async function listEditableOrganizations(db: Database, actor: Actor) {
	authorize(actor, organizationsPolicy.manage);
	return db
		.select({
			id: organization.id,
			slug: organization.slug,
			name: organization.name,
			kind: organization.kind,
			country: organization.country,
			lat: organization.lat,
			lon: organization.lon
		})
		.from(organization)
		.where(eq(organization.reference, false))
		.orderBy(sql`${organization.name}->>'sv'`);
}

/** An international partner (or another organization) on the map; audited. Returns its slug. */
export async function createOrganization(db: Database, actor: Actor, o: ParsedOrganization): Promise<string> {
	authorize(actor, organizationsPolicy.manage);
	const slug = await db.transaction(async (tx) => {
		const slug = await uniqueSlug(slugify(o.name.sv) || 'organisation', async (prefix) =>
			(
				await tx
					.select({ slug: organization.slug })
					.from(organization)
					.where(sql`${organization.slug} like ${prefix + '%'}`)
			).map((r) => r.slug)
		);
		const [row] = await tx
			.insert(organization)
			.values({ slug, kind: o.kind, name: o.name, country: o.country, lat: o.lat, lon: o.lon })
			.returning({ id: organization.id });
		await audit(tx, {
			actorId: actor.id,
			action: 'organization.create',
			subject: `organization:${row!.id}`,
			after: o
		});
		await bumpRevision(tx);
		return slug;
	});
	contentChanged();
	return slug;
}

/** Changes an editor-made organization; the reference municipalities and regions stay as loaded. */
export async function updateOrganization(
	db: Database,
	actor: Actor,
	id: number,
	o: ParsedOrganization
): Promise<void> {
	authorize(actor, organizationsPolicy.manage);
	await db.transaction(async (tx) => {
		const [before] = await tx
			.select()
			.from(organization)
			.where(and(eq(organization.id, id), ne(organization.reference, true)))
			.for('update');
		if (!before) throw new NotFoundError('organization');
		await tx
			.update(organization)
			.set({ kind: o.kind, name: o.name, country: o.country, lat: o.lat, lon: o.lon })
			.where(eq(organization.id, id));
		await audit(tx, {
			actorId: actor.id,
			action: 'organization.update',
			subject: `organization:${id}`,
			before: {
				name: before.name,
				kind: before.kind,
				country: before.country,
				lat: before.lat,
				lon: before.lon
			},
			after: o
		});
		await bumpRevision(tx);
	});
	contentChanged();
}
