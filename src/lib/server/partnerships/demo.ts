import { existsSync } from 'node:fs';
import { and, count, eq, inArray, isNull } from 'drizzle-orm';
import type { Database, Transaction } from '../kernel/database.ts';
import { dataPath, readDataFile } from '../kernel/data-files.ts';
import { runSystemChange } from '../kernel/write.ts';
import type { LocalizedText } from '../kernel/localized.ts';
import { organization } from '../organizations/schema.ts';
import { goalsWithTargets } from '../taxonomy/known.ts';
import { goalOfTarget } from '../taxonomy/goals.ts';
import {
	partnership,
	partnershipDocument,
	partnershipGoal,
	partnershipMember,
	partnershipPhase,
	partnershipTarget,
	partnershipTeamMember,
	partnershipTheme,
	type PartnershipPhase,
	type TeamRole
} from './schema.ts';

interface PartnershipFile {
	key: string;
	slug: string;
	status: (typeof partnership.$inferInsert)['status'];
	startYear: number | null;
	endYear: number | null;
	members: string[];
	summary: LocalizedText;
	description: LocalizedText;
	themes: string[];
	goals: number[];
	targets: string[];
	phases: { phase: PartnershipPhase; fromYear: number; toYear: number | null }[];
	team: { side: string; role: TeamRole; name: string; title: LocalizedText }[];
}

/**
 * The four demo partnerships of data/demo/partnerships.json, only into a registry without any
 * partnership (a real registry is never touched). Their organizations must be there already
 * (organizations/demo.ts runs first). The team entries are positions, not invented people.
 */
export async function addDemoPartnerships(db: Database): Promise<boolean> {
	const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(partnership);
	if (n > 0) return false;
	const partnerships = readDataFile<PartnershipFile[]>('demo', 'partnerships.json');
	const slugs = [...new Set(partnerships.flatMap((p) => p.members))];
	const orgs = await db
		.select({ id: organization.id, slug: organization.slug, country: organization.country })
		.from(organization)
		.where(inArray(organization.slug, slugs));
	const bySlug = new Map(orgs.map((o) => [o.slug, o]));
	await runSystemChange(db, async (tx) => {
		for (const p of partnerships) {
			const [row] = await tx
				.insert(partnership)
				.values({
					slug: p.slug,
					status: p.status,
					startYear: p.startYear,
					endYear: p.endYear,
					summary: p.summary,
					description: p.description
				})
				.returning({ id: partnership.id });
			const partnershipId = row!.id;
			await tx.insert(partnershipMember).values(
				p.members.map((slug) => {
					const org = bySlug.get(slug);
					if (!org) throw new Error(`The demo partnership ${p.slug} names an unknown organization ${slug}`);
					return {
						partnershipId,
						organizationId: org.id,
						role: org.country === 'SE' ? ('swedish' as const) : ('international' as const)
					};
				})
			);
			const goalOf = new Map(p.targets.map((t) => [t, goalOfTarget(t)]));
			await tx.insert(partnershipTheme).values(p.themes.map((themeKey) => ({ partnershipId, themeKey })));
			await tx
				.insert(partnershipGoal)
				.values(goalsWithTargets(p.goals, p.targets, goalOf).map((goal) => ({ partnershipId, goal })));
			await tx.insert(partnershipTarget).values(p.targets.map((target) => ({ partnershipId, target })));
			await tx.insert(partnershipPhase).values(p.phases.map((ph) => ({ partnershipId, ...ph })));
			await tx
				.insert(partnershipTeamMember)
				.values(p.team.map((t, position) => ({ partnershipId, ...t, position })));
		}
		return {
			result: undefined,
			audit: { action: 'partnership.demo', after: { slugs: partnerships.map((p) => p.slug) } },
			public: true
		};
	});
	return true;
}

const documentTitles: Record<string, { sv: string; en: string }> = {
	'vasterbotten-yogyakarta': {
		sv: 'Resultatrapport 2023–2025 (på engelska, demo)',
		en: 'Results report 2023–2025 (demo)'
	},
	'kalmar-cape-winelands': {
		sv: 'Resultatrapport 2015–2017 (på engelska, demo)',
		en: 'Results report 2015–2017 (demo)'
	},
	'horby-peja': {
		sv: 'Resultatrapport 2015–2017 (på engelska, demo)',
		en: 'Results report 2015–2017 (demo)'
	},
	'ale-ghanzi': { sv: 'Resultatrapport 2023–2025 (på engelska, demo)', en: 'Results report 2023–2025 (demo)' }
};

export interface DemoDocument {
	partnershipId: number;
	slug: string;
	/** data/demo/documents/<slug>.pdf */
	file: string;
	title: { sv: string; en: string };
}

/**
 * The example document (data/demo/documents/<slug>.pdf) of each demo partnership that has no
 * document yet, so its page shows what a partnership's documents look like; titled as the demo's
 * example. The app puts each into the media library and attaches it (app/demo.ts).
 */
export async function missingDemoDocuments(db: Database): Promise<DemoDocument[]> {
	const rows = await db
		.select({ id: partnership.id, slug: partnership.slug })
		.from(partnership)
		.where(inArray(partnership.slug, Object.keys(documentTitles)));
	const missing: DemoDocument[] = [];
	for (const p of rows) {
		const file = dataPath('demo', 'documents', `${p.slug}.pdf`);
		const has = await db
			.select({ id: partnershipDocument.mediaId })
			.from(partnershipDocument)
			.where(eq(partnershipDocument.partnershipId, p.id))
			.limit(1);
		if (has.length || !existsSync(file)) continue;
		missing.push({ partnershipId: p.id, slug: p.slug, file, title: documentTitles[p.slug]! });
	}
	return missing;
}

/** Attaches a file of the library to a partnership as one of its documents. */
export async function attachDocument(
	tx: Database | Transaction,
	partnershipId: number,
	mediaId: number,
	title: LocalizedText
): Promise<void> {
	await tx.insert(partnershipDocument).values({ partnershipId, mediaId, title });
}

/** The demo partnerships among these addresses that have no lead image yet. */
export async function demoPartnershipsWithoutImage(db: Database, slugs: string[]): Promise<string[]> {
	if (!slugs.length) return [];
	const rows = await db
		.select({ slug: partnership.slug })
		.from(partnership)
		.where(and(inArray(partnership.slug, slugs), isNull(partnership.leadImageId)));
	return rows.map((r) => r.slug);
}

/** Gives a demo partnership its lead image, unless it has one by now. */
export async function setDemoPartnershipImage(
	tx: Transaction,
	slug: string,
	mediaId: number
): Promise<boolean> {
	const rows = await tx
		.update(partnership)
		.set({ leadImageId: mediaId })
		.where(and(eq(partnership.slug, slug), isNull(partnership.leadImageId)))
		.returning({ id: partnership.id });
	return rows.length > 0;
}
