import { eq, sql } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { runSystemChange } from '../kernel/write.ts';
import { organization } from '../organizations/schema.ts';
import { sdgTarget, theme } from '../taxonomy/schema.ts';
import {
	partnership,
	partnershipGoal,
	partnershipMember,
	partnershipPhase,
	partnershipTarget,
	partnershipTheme
} from './schema.ts';

/**
 * A small seeded generator (mulberry32), the same as the article corpus's, so a seed gives the
 * same registry on every run and every machine.
 */
function random(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Where partner municipalities lie: a country and a point to scatter around. */
const regions: [string, number, number][] = [
	['XK', 42.6, 20.9],
	['BA', 44.2, 17.9],
	['RS', 44.0, 20.9],
	['MK', 41.6, 21.7],
	['AL', 41.2, 20.0],
	['UA', 49.0, 31.3],
	['MD', 47.2, 28.5],
	['GE', 42.3, 43.4],
	['BY', 53.7, 27.9],
	['TN', 34.0, 9.5],
	['BW', -22.3, 24.7],
	['ZA', -29.0, 25.1],
	['KE', 0.2, 37.9],
	['UG', 1.4, 32.3],
	['TZ', -6.4, 34.9],
	['MZ', -18.7, 35.5],
	['NA', -22.6, 17.1],
	['RW', -1.9, 29.9],
	['GH', 7.9, -1.0],
	['ID', -2.5, 118.0],
	['VN', 14.1, 108.3],
	['KH', 12.6, 104.99],
	['LK', 7.9, 80.8],
	['PS', 31.9, 35.2],
	['BO', -16.3, -63.6]
];

/**
 * Adds `organizations` international organizations and `partnerships` partnerships, each joining
 * a Swedish reference municipality or region to one of them, with tags and phases. For `npm run
 * bench` and scale tests only; never the demo.
 */
export async function addSyntheticRegistry(
	db: Database,
	{ organizations, partnerships }: { organizations: number; partnerships: number },
	seed = 2040
): Promise<void> {
	const rnd = random(seed);
	const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
	await runSystemChange(db, async (tx) => {
		const swedish = await tx
			.select({ id: organization.id })
			.from(organization)
			.where(eq(organization.reference, true));
		const themes = (await tx.select({ key: theme.key }).from(theme)).map((t) => t.key);
		const targets = await tx.select({ code: sdgTarget.code, goal: sdgTarget.goal }).from(sdgTarget);
		const orgs = Array.from({ length: organizations }, (_, i) => {
			const [country, lat, lon] = pick(regions);
			return {
				slug: `corpus-org-${i + 1}`,
				kind: pick(['municipality', 'district', 'city', 'province'] as const),
				name: { sv: `Exempelkommun ${i + 1}`, en: `Example municipality ${i + 1}` },
				country,
				lat: Math.round((lat + (rnd() - 0.5) * 4) * 1e4) / 1e4,
				lon: Math.round((lon + (rnd() - 0.5) * 4) * 1e4) / 1e4
			};
		});
		const international: number[] = [];
		for (let i = 0; i < orgs.length; i += 1000) {
			const rows = await tx
				.insert(organization)
				.values(orgs.slice(i, i + 1000))
				.returning({ id: organization.id });
			international.push(...rows.map((r) => r.id));
		}
		const statuses = ['inception', 'active', 'completed'] as const;
		const made = Array.from({ length: partnerships }, (_, i) => {
			const start = 2005 + Math.floor(rnd() * 20);
			const status = pick([...statuses]);
			return {
				slug: `corpus-partnership-${i + 1}`,
				status,
				startYear: start,
				endYear: status === 'completed' ? start + 1 + Math.floor(rnd() * 3) : null,
				summary: {
					sv: `Ett exempelpartnerskap (${i + 1}) om medborgardialog och lokal demokrati.`,
					en: `An example partnership (${i + 1}) on citizen dialogue and local democracy.`
				}
			};
		});
		const ids: number[] = [];
		for (let i = 0; i < made.length; i += 1000) {
			const rows = await tx
				.insert(partnership)
				.values(made.slice(i, i + 1000))
				.returning({ id: partnership.id });
			ids.push(...rows.map((r) => r.id));
		}
		const members: (typeof partnershipMember.$inferInsert)[] = [];
		const themeRows: (typeof partnershipTheme.$inferInsert)[] = [];
		const goalRows: (typeof partnershipGoal.$inferInsert)[] = [];
		const targetRows: (typeof partnershipTarget.$inferInsert)[] = [];
		const phaseRows: (typeof partnershipPhase.$inferInsert)[] = [];
		ids.forEach((partnershipId, i) => {
			members.push({ partnershipId, organizationId: pick(swedish).id, role: 'swedish' });
			members.push({ partnershipId, organizationId: pick(international), role: 'international' });
			for (const key of new Set([pick(themes), pick(themes)]))
				themeRows.push({ partnershipId, themeKey: key });
			const chosen = new Map([pick(targets), pick(targets), pick(targets)].map((t) => [t.code, t.goal]));
			for (const code of chosen.keys()) targetRows.push({ partnershipId, target: code });
			for (const goal of new Set([...chosen.values(), 16])) goalRows.push({ partnershipId, goal });
			const p = made[i]!;
			phaseRows.push({ partnershipId, phase: 'inception', fromYear: p.startYear, toYear: p.startYear });
			if (p.status !== 'inception')
				phaseRows.push({ partnershipId, phase: 'active', fromYear: p.startYear + 1, toYear: p.endYear });
		});
		for (const [table, rows] of [
			[partnershipMember, members],
			[partnershipTheme, themeRows],
			[partnershipGoal, goalRows],
			[partnershipTarget, targetRows],
			[partnershipPhase, phaseRows]
		] as const) {
			for (let i = 0; i < rows.length; i += 5000)
				await tx.insert(table).values(rows.slice(i, i + 5000) as never);
		}
		return {
			result: undefined,
			audit: { action: 'partnership.corpus', after: { organizations, partnerships, seed } },
			public: true
		};
	});
	await db.execute(sql`analyze`);
}
