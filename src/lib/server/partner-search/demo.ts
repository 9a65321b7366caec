import { count, inArray } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import type { LocalizedText } from '../kernel/localized.ts';
import { readDataFile } from '../kernel/data-files.ts';
import { runSystemChange } from '../kernel/write.ts';
import { organization } from '../organizations/schema.ts';
import { partnerProfile } from './schema.ts';
import { expiryFrom } from './profiles/commands.ts';

/** One example profile of data/demo/partner-profiles.json. */
export interface DemoProfile {
	/** The organization's slug: the organizations' demo (or reference data) made it. */
	organization: string;
	themes: string[];
	goals: number[];
	targets: string[];
	regions: string[];
	languages: string[];
	offer: LocalizedText;
	seek: LocalizedText;
	contactName: string;
	contactEmail: string;
}

/**
 * The example profiles, only into a database without any profile (so that a real one is never
 * overwritten, and a deleted example does not come back). A profile whose organization does not
 * exist is skipped. Returns whether it loaded them.
 */
export async function seedDemoProfiles(
	db: Database,
	profiles: readonly DemoProfile[] = readDataFile<{ profiles: DemoProfile[] }>(
		'demo',
		'partner-profiles.json'
	).profiles
): Promise<boolean> {
	const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(partnerProfile);
	if (Number(n) > 0) return false;
	const slugs = profiles.map((p) => p.organization);
	const found = slugs.length
		? await db
				.select({ id: organization.id, slug: organization.slug })
				.from(organization)
				.where(inArray(organization.slug, slugs))
		: [];
	const idOf = new Map(found.map((o) => [o.slug, o.id]));
	const now = new Date();
	const rows = profiles.flatMap((p) => {
		const organizationId = idOf.get(p.organization);
		if (organizationId === undefined) return [];
		return [
			{
				organizationId,
				themes: p.themes,
				goals: p.goals,
				targets: p.targets,
				regions: p.regions,
				languages: p.languages,
				offer: p.offer,
				seek: p.seek,
				contactName: p.contactName,
				contactEmail: p.contactEmail,
				renewedAt: now,
				expiresAt: expiryFrom(now)
			}
		];
	});
	if (!rows.length) return false;
	return runSystemChange(db, async (tx) => {
		await tx
			.insert(partnerProfile)
			.values(rows)
			.onConflictDoNothing({ target: partnerProfile.organizationId });
		// The demo is not a person's change: nothing to audit, but the listing must show it.
		return { result: true, audit: [], public: true };
	});
}
