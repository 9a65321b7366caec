import { readFileSync } from 'node:fs';
import path from 'node:path';
import { count, eq, sql } from 'drizzle-orm';
import type { Database } from './index.ts';
import { sdgGoal, sdgTarget } from '../sdg/schema.ts';
import { theme } from '../content/schema.ts';
import { organization } from '../organizations/schema.ts';
import {
	partnership,
	partnershipGoal,
	partnershipMember,
	partnershipPhase,
	partnershipTarget,
	partnershipTeamMember,
	partnershipTheme,
	type PartnershipPhase,
	type TeamRole
} from '../partnerships/schema.ts';
import { swedishMunicipalities, swedishRegions } from '../geo/sweden.ts';
import { slugify } from '../core/slug.ts';
import { saveArticle, type ArticleInput } from '../content/commands.ts';
import type { LocalizedText } from '../core/localized.ts';

const dataDir = () => path.resolve(process.env.REFERENCE_DATA_DIR ?? 'data');
const readJson = <T>(file: string): T => JSON.parse(readFileSync(path.join(dataDir(), file), 'utf8')) as T;

interface SdgFile {
	goals: { number: number; colour: string; shortName: LocalizedText; title: LocalizedText }[];
	targets: { code: string; goal: number; position: number; text: LocalizedText }[];
}
interface ThemeFile {
	key: string;
	name: LocalizedText;
	description?: LocalizedText;
}
interface OrganizationFile {
	key: string;
	kind: (typeof organization.$inferInsert)['kind'];
	name: LocalizedText;
	country: string;
	municipalityCode: string | null;
	county: string | null;
	lat: number | null;
	lon: number | null;
}
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
interface ArticleFile extends Omit<ArticleInput, 'organizationIds' | 'partnershipId' | 'status'> {
	organizations: string[];
	partnership: string | null;
}

/**
 * Goals, targets and the four principles: loaded (and updated) on every start, as they are
 * reference data. The starting topics go only into a database that has no topic yet: after that
 * editors own them, and a topic they merged away must not come back.
 */
export async function seedReferenceData(db: Database): Promise<void> {
	const sdg = readJson<SdgFile>('sdg/sdg.json');
	const principles = readJson<ThemeFile[]>('demo/principles.json');
	const topics = readJson<ThemeFile[]>('demo/topics.json');
	await db.transaction(async (tx) => {
		for (const g of sdg.goals) {
			await tx
				.insert(sdgGoal)
				.values(g)
				.onConflictDoUpdate({
					target: sdgGoal.number,
					set: { colour: g.colour, shortName: g.shortName, title: g.title }
				});
		}
		await tx.insert(sdgTarget).values(sdg.targets).onConflictDoNothing({ target: sdgTarget.code });
		const [{ n: topicCount } = { n: 0 }] = await tx
			.select({ n: count() })
			.from(theme)
			.where(eq(theme.kind, 'topic'));
		const themes = [
			...principles.map((t, i) => ({ ...t, kind: 'principle' as const, position: i })),
			...(topicCount ? [] : topics.map((t, i) => ({ ...t, kind: 'topic' as const, position: 100 + i })))
		];
		await tx
			.insert(organization)
			.values([...referenceOrganizations()])
			.onConflictDoUpdate({
				target: organization.slug,
				set: {
					name: sql`excluded.name`,
					county: sql`excluded.county`,
					municipalityCode: sql`excluded.municipality_code`,
					lat: sql`excluded.lat`,
					lon: sql`excluded.lon`,
					reference: true
				}
			});
		for (const t of themes) {
			await tx
				.insert(theme)
				.values({
					key: t.key,
					kind: t.kind,
					name: t.name,
					description: t.description ?? {},
					position: t.position
				})
				.onConflictDoNothing({ target: theme.key });
		}
	});
}

/** Regions whose own name is not "Region" and the county's name. */
const regionNames: Record<string, string> = {
	'04': 'Region Sörmland',
	'06': 'Region Jönköpings län',
	'08': 'Region Kalmar län',
	'14': 'Västra Götalandsregionen',
	'18': 'Region Örebro län',
	'23': 'Region Jämtland Härjedalen'
};

/**
 * The 290 municipalities and 21 regions (data/geo), as organizations every partnership can name.
 * Their names follow the common pattern ("Ale kommun", "Region Gävleborg").
 */
function* referenceOrganizations() {
	const taken = new Set<string>();
	for (const m of swedishMunicipalities()) {
		const sv = `${m.name} kommun`;
		// Håbo and Habo fold to the same letters: the second keeps its code in the address.
		let slug = slugify(sv);
		if (taken.has(slug)) slug = `${slug}-${m.code}`;
		taken.add(slug);
		yield {
			slug,
			kind: 'municipality' as const,
			name: { sv, en: `${m.name} Municipality` },
			country: 'SE',
			municipalityCode: m.code,
			county: m.county,
			reference: true,
			lat: m.lat,
			lon: m.lon
		};
	}
	for (const r of swedishRegions()) {
		const sv = regionNames[r.county] ?? `Region ${r.name}`;
		yield {
			slug: slugify(sv),
			kind: 'region' as const,
			name: { sv, en: sv },
			country: 'SE',
			municipalityCode: r.county,
			county: r.county,
			reference: true,
			lat: r.lat,
			lon: r.lon
		};
	}
}

/** The demo content (eight articles, four partnerships): only into an empty database. */
export async function seedDemoContent(db: Database): Promise<boolean> {
	const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(partnership);
	if (n > 0) return false;
	const organizations = readJson<OrganizationFile[]>('demo/organizations.json');
	const partnerships = readJson<PartnershipFile[]>('demo/partnerships.json');
	const articles = readJson<ArticleFile[]>('demo/articles.json');
	const orgIds = new Map<string, number>();
	const partnershipIds = new Map<string, number>();
	await db.transaction(async (tx) => {
		for (const o of organizations) {
			// Swedish municipalities and regions are reference rows already: use those.
			const [known] = await tx
				.select({ id: organization.id })
				.from(organization)
				.where(eq(organization.slug, o.key));
			const [row] = known
				? [known]
				: await tx
						.insert(organization)
						.values({
							slug: o.key,
							kind: o.kind,
							name: o.name,
							country: o.country,
							municipalityCode: o.municipalityCode,
							county: o.county,
							lat: o.lat,
							lon: o.lon
						})
						.returning({ id: organization.id });
			orgIds.set(o.key, row!.id);
		}
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
			partnershipIds.set(p.key, row!.id);
			const members = p.members.map((key) => {
				const org = organizations.find((o) => o.key === key);
				return {
					partnershipId: row!.id,
					organizationId: mustGet(orgIds, key),
					role: org?.country === 'SE' ? 'swedish' : 'international'
				};
			});
			await tx.insert(partnershipMember).values(members);
			const partnershipId = row!.id;
			const goals = [...new Set([...p.goals, ...p.targets.map((t) => Number(t.split('.')[0]))])];
			await tx.insert(partnershipTheme).values(p.themes.map((themeKey) => ({ partnershipId, themeKey })));
			await tx.insert(partnershipGoal).values(goals.map((goal) => ({ partnershipId, goal })));
			await tx.insert(partnershipTarget).values(p.targets.map((target) => ({ partnershipId, target })));
			await tx.insert(partnershipPhase).values(p.phases.map((ph) => ({ partnershipId, ...ph })));
			await tx
				.insert(partnershipTeamMember)
				.values(p.team.map((t, position) => ({ partnershipId, ...t, position })));
		}
	});
	for (const a of articles) {
		await saveArticle(db, {
			slug: a.slug,
			kind: a.kind,
			status: 'published',
			publishedAt: a.publishedAt,
			themes: a.themes,
			goals: a.goals,
			targets: a.targets,
			countries: a.countries,
			organizationIds: a.organizations.map((key) => mustGet(orgIds, key)),
			partnershipId: a.partnership ? mustGet(partnershipIds, a.partnership) : null,
			translations: a.translations
		});
	}
	return true;
}

function mustGet<K, V>(map: Map<K, V>, key: K): V {
	const value = map.get(key);
	if (value === undefined) throw new Error(`Demo data refers to unknown key ${String(key)}`);
	return value;
}
