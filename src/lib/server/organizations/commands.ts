import { and, eq, like, ne } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { NotFoundError } from '../kernel/errors.ts';
import type { Actor } from '../kernel/policy.ts';
import { slugify, uniqueSlug } from '../kernel/slug.ts';
import { runCommand } from '../kernel/write.ts';
import { organization } from './schema.ts';
import { parseOrganizationForm, parseOrganizationUpdate } from './input.ts';
import { organizationsPolicy } from './policy.ts';

/** A form as sent (FormData) or the values the kernel's `formValues` took from one. */
type Raw = FormData | Record<string, unknown>;

/** An international partner (or another organization) on the map; audited. Returns its slug. */
export async function createOrganization(db: Database, actor: Actor, raw: Raw): Promise<string> {
	return runCommand(db, actor, {
		rule: organizationsPolicy.manage,
		parse: () => parseOrganizationForm(raw),
		work: async (tx, o) => {
			const slug = await uniqueSlug(slugify(o.name.sv) || 'organisation', async (prefix) =>
				(
					await tx
						.select({ slug: organization.slug })
						.from(organization)
						.where(like(organization.slug, `${prefix}%`))
				).map((r) => r.slug)
			);
			const [row] = await tx
				.insert(organization)
				.values({ slug, kind: o.kind, name: o.name, country: o.country, lat: o.lat, lon: o.lon })
				.returning({ id: organization.id });
			return {
				result: slug,
				audit: { action: 'organization.create', subject: `organization:${row!.id}`, after: o },
				public: true
			};
		}
	});
}

/** Changes an editor-made organization; the reference municipalities and regions stay as loaded. */
export async function updateOrganization(db: Database, actor: Actor, raw: Raw): Promise<void> {
	await runCommand(db, actor, {
		rule: organizationsPolicy.manage,
		parse: () => parseOrganizationUpdate(raw),
		work: async (tx, { id, ...o }) => {
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
			return {
				result: undefined,
				audit: {
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
				},
				public: true
			};
		}
	});
}
