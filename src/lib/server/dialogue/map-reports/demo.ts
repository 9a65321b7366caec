import { eq } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import type { LocalizedText } from '../../kernel/localized.ts';
import { runSystemChange } from '../../kernel/write.ts';
import { user } from '../../accounts/schema.ts';
import { partnership } from '../../partnerships/schema.ts';
import {
	dialogueGoal,
	dialoguePhase,
	dialogueSpace,
	dialogueTarget,
	dialogueTheme,
	mapReport,
	mapReportCategory,
	mapReportEvent,
	mapReportSetup,
	type ReportStatus
} from '../schema.ts';
import { gridCentre, nearestDistrict } from './place.ts';
import type { ReportDistrict } from './schema.ts';

// The reports demo: residents of Yogyakarta report standing water, mosquito breeding sites and
// waste in the Västerbotten–Yogyakarta partnership's space, and a fictional health-office team
// answers. The reporters are demo accounts (example.org, no password) with names made up for the
// demo; the reports are generated from fixed texts and a fixed seed, so every start makes the same
// ones. Added only when the space is missing.

export const demoReportSpaceSlug = 'yogyakarta-rapportera-vatten-och-myggor';

const day = 24 * 60 * 60 * 1000;

/** Kota Yogyakarta's fourteen districts (kecamatan) with approximate centres. */
export const yogyakartaDistricts: ReportDistrict[] = [
	{ name: 'Tegalrejo', lat: -7.783, lon: 110.352 },
	{ name: 'Jetis', lat: -7.78, lon: 110.365 },
	{ name: 'Gondokusuman', lat: -7.783, lon: 110.381 },
	{ name: 'Danurejan', lat: -7.79, lon: 110.372 },
	{ name: 'Gedongtengen', lat: -7.79, lon: 110.362 },
	{ name: 'Ngampilan', lat: -7.801, lon: 110.356 },
	{ name: 'Wirobrajan', lat: -7.804, lon: 110.347 },
	{ name: 'Gondomanan', lat: -7.802, lon: 110.368 },
	{ name: 'Pakualaman', lat: -7.801, lon: 110.376 },
	{ name: 'Kraton', lat: -7.809, lon: 110.362 },
	{ name: 'Mergangsan', lat: -7.815, lon: 110.374 },
	{ name: 'Mantrijeron', lat: -7.823, lon: 110.36 },
	{ name: 'Umbulharjo', lat: -7.817, lon: 110.389 },
	{ name: 'Kotagede', lat: -7.827, lon: 110.398 }
];

const reporters = [
	{ key: 'sari', name: 'Sari Contohwati' },
	{ key: 'budi', name: 'Budi Percobaan' },
	{ key: 'dewi', name: 'Dewi Rekaan' },
	{ key: 'agus', name: 'Agus Misalnya' }
] as const;

const space = {
	title: {
		sv: 'Rapportera stillastående vatten och myggor i Yogyakarta',
		en: 'Report standing water and mosquitoes in Yogyakarta'
	} satisfies LocalizedText,
	description: {
		sv: '<p>Dengue sprids av myggor som lägger ägg i stillastående vatten. Visa var vatten samlas, var myggor förökar sig och var avfall blir liggande, så kan hälsotjänsten åtgärda platserna och se mönster innan ett utbrott. Varje rapport granskas och får ett offentligt svar.</p><p>Det här är en påhittad dialog i plattformens demo: rapporterna och svaren är exempel.</p>',
		en: '<p>Dengue is spread by mosquitoes that lay their eggs in standing water. Show where water collects, where mosquitoes breed and where waste is left, so that the health services can deal with the places and see patterns before an outbreak. Every report is reviewed and gets a public answer.</p><p>This is a made-up dialogue in the platform’s demo: the reports and the answers are examples.</p>'
	} satisfies LocalizedText
};

const categories: { key: string; title: LocalizedText; description: LocalizedText }[] = [
	{
		key: 'standing-water',
		title: { sv: 'Stillastående vatten', en: 'Standing water' },
		description: {
			sv: 'Pölar, diken, tunnor eller däck där vatten blir stående i mer än några dagar.',
			en: 'Puddles, ditches, drums or tyres where water stays for more than a few days.'
		}
	},
	{
		key: 'mosquito-breeding',
		title: { sv: 'Myggor förökar sig', en: 'Mosquito breeding site' },
		description: {
			sv: 'Platser med många larver eller myggor, till exempel i vattenbehållare.',
			en: 'Places with many larvae or mosquitoes, for example in water containers.'
		}
	},
	{
		key: 'waste',
		title: { sv: 'Avfall', en: 'Waste' },
		description: {
			sv: 'Sopor, burkar och plast som samlar regnvatten.',
			en: 'Rubbish, tins and plastic that collect rainwater.'
		}
	},
	{
		key: 'blocked-drain',
		title: { sv: 'Igensatt avlopp', en: 'Blocked drain' },
		description: {
			sv: 'Dagvattenbrunnar och rännor som inte leder bort vattnet.',
			en: 'Storm drains and gutters that do not carry the water away.'
		}
	}
];

/** What residents write, by category: in English or Indonesian, as a resident might. */
const descriptions: Record<string, { text: string; language: string }[]> = {
	'standing-water': [
		{
			text: 'Water has stood in the ditch along the lane for over a week since the last rain.',
			language: 'en'
		},
		{ text: 'Old tyres behind the workshop are full of rainwater.', language: 'en' },
		{ text: 'Genangan air di depan gang tidak surut sejak hujan hari Senin.', language: 'id' },
		{
			text: 'A broken water tank on the roof of the empty house next door overflows every afternoon.',
			language: 'en'
		}
	],
	'mosquito-breeding': [
		{ text: 'Many larvae in the open water drums at the market stalls.', language: 'en' },
		{ text: 'Banyak jentik nyamuk di bak mandi umum dekat masjid.', language: 'id' },
		{ text: 'Lots of mosquitoes in the evening near the flower pots along the school fence.', language: 'en' }
	],
	waste: [
		{ text: 'Plastic cups and tins are thrown behind the bus stop and fill with water.', language: 'en' },
		{ text: 'Sampah menumpuk di tepi sungai setelah pasar malam.', language: 'id' },
		{ text: 'A pile of coconut shells next to the drinks stall collects rainwater.', language: 'en' }
	],
	'blocked-drain': [
		{ text: 'The storm drain at the crossing is blocked with leaves and the street floods.', language: 'en' },
		{ text: 'Selokan tersumbat sampah, air meluap ke jalan saat hujan.', language: 'id' }
	]
};

/** The team's notes for each step (a fictional health-office team, no real person). */
const notes: Record<Exclude<ReportStatus, 'new'>, string[]> = {
	verified: [
		'Thank you. The neighbourhood health volunteers have seen the place and confirmed the report.',
		'Checked by the district team: the report is correct.'
	],
	'in-progress': [
		'The sanitation team will clear the place this week.',
		'Larvicide has been put in the containers; the owner has been asked to cover them.'
	],
	resolved: [
		'The ditch has been cleared and the water drains again.',
		'The containers are covered and the site was checked again after five days: no larvae.',
		'The waste has been collected and the neighbourhood has a new collection day.'
	],
	rejected: ['This place was already reported; see the earlier report nearby.']
};

/** A small fixed-seed generator: the demo is the same on every start. */
function seeded(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let t = s;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const pick = <T>(items: readonly T[], r: number) => items[Math.floor(r * items.length) % items.length]!;

/** The statuses a demo report has been through, oldest first. */
function pathTo(status: ReportStatus): Exclude<ReportStatus, 'new'>[] {
	if (status === 'resolved') return ['verified', 'in-progress', 'resolved'];
	if (status === 'in-progress') return ['verified', 'in-progress'];
	if (status === 'verified') return ['verified'];
	if (status === 'rejected') return ['rejected'];
	return [];
}

async function demoReporters(tx: Transaction): Promise<string[]> {
	await tx
		.insert(user)
		.values(
			reporters.map((r) => ({
				id: `demo-reporter-${r.key}`,
				name: r.name,
				email: `${r.key}.${r.name.split(' ')[1]!.toLowerCase()}@example.org`,
				emailVerified: true,
				role: 'reader' as const,
				locale: 'en'
			}))
		)
		.onConflictDoNothing();
	return reporters.map((r) => `demo-reporter-${r.key}`);
}

/** How many demo reports: enough to see the map fill and the clusters work. */
export const demoReportCount = 90;

/** Adds the Yogyakarta reporting space when it is missing and its partnership is there. */
export async function addDemoReports(db: Database): Promise<boolean> {
	const [present] = await db
		.select({ id: dialogueSpace.id })
		.from(dialogueSpace)
		.where(eq(dialogueSpace.slug, demoReportSpaceSlug));
	const [owner] = await db
		.select({ id: partnership.id })
		.from(partnership)
		.where(eq(partnership.slug, 'vasterbotten-yogyakarta'));
	if (present || !owner) return false;
	return runSystemChange(db, async (tx) => {
		const now = Date.now();
		const people = await demoReporters(tx);
		const [row] = await tx
			.insert(dialogueSpace)
			.values({
				slug: demoReportSpaceSlug,
				partnershipId: owner.id,
				...space,
				languages: ['en', 'sv'],
				participationLevel: 'involvement',
				status: 'open',
				moderation: 'post',
				createdAt: new Date(now - 200 * day)
			})
			.returning({ id: dialogueSpace.id });
		const spaceId = row!.id;
		await tx.insert(dialoguePhase).values({
			spaceId,
			position: 0,
			kind: 'input',
			startsOn: new Date(now - 200 * day).toISOString().slice(0, 10),
			endsOn: new Date(now + 365 * day).toISOString().slice(0, 10),
			opens: ['reports', 'comments']
		});
		await tx.insert(dialogueTheme).values({ spaceId, themeKey: 'participation' });
		await tx.insert(dialogueGoal).values([
			{ spaceId, goal: 3 },
			{ spaceId, goal: 11 }
		]);
		await tx.insert(dialogueTarget).values({ spaceId, target: '3.3' });
		const gridMeters = 250;
		await tx.insert(mapReportSetup).values({
			spaceId,
			review: true,
			privacy: 'grid',
			gridMeters,
			bbox: [110.335, -7.835, 110.41, -7.765],
			districts: yogyakartaDistricts,
			smsKeyword: 'DENGUE'
		});
		const categoryRows = await tx
			.insert(mapReportCategory)
			.values(categories.map((c, position) => ({ spaceId, ...c, position })))
			.returning({ id: mapReportCategory.id, key: mapReportCategory.key });
		const random = seeded(20261204);
		const statusFor = (age: number, r: number): ReportStatus => {
			if (age < 3) return r < 0.7 ? 'new' : 'verified';
			if (age < 20) return pick(['verified', 'in-progress', 'in-progress', 'resolved', 'new'] as const, r);
			return pick(
				['resolved', 'resolved', 'resolved', 'resolved', 'in-progress', 'verified', 'rejected'] as const,
				r
			);
		};
		for (let i = 0; i < demoReportCount; i++) {
			const category = pick(categoryRows, random());
			const district = pick(yogyakartaDistricts, random());
			// Scattered around the district's centre, within about 600 m.
			const lat = Math.round((district.lat + (random() - 0.5) * 0.011) * 1e5) / 1e5;
			const lon = Math.round((district.lon + (random() - 0.5) * 0.011) * 1e5) / 1e5;
			// At least a day old, so that its steps fit between its writing and now.
			const age = 1 + Math.floor(random() * 180);
			const status = statusFor(age, random());
			const words = pick(descriptions[category.key]!, random());
			const createdAt = new Date(now - age * day - Math.floor(random() * 12) * 60 * 60 * 1000);
			const steps = pathTo(status);
			// The first answer within one to four days, each later step a few days after, never later than now.
			const stepTimes = steps.map(
				(_, n) =>
					new Date(
						Math.min(
							now - (steps.length - n) * 60 * 60 * 1000,
							createdAt.getTime() + (1 + n * 3 + random() * 3) * day
						)
					)
			);
			const shownAt = gridCentre(lat, lon, gridMeters);
			const stepNotes = steps.map((s) => pick(notes[s], random()));
			const [report] = await tx
				.insert(mapReport)
				.values({
					spaceId,
					categoryId: category.id,
					authorId: pick(people, random()),
					description: words.text,
					language: words.language,
					district: nearestDistrict(yogyakartaDistricts, lat, lon),
					precision: random() < 0.7 ? 'exact' : 'approximate',
					lat,
					lon,
					publicLat: shownAt.lat,
					publicLon: shownAt.lon,
					status,
					public: status !== 'new' && status !== 'rejected',
					note: stepNotes.at(-1) ?? null,
					noteLanguage: steps.length ? 'en' : null,
					createdAt,
					firstAnsweredAt: stepTimes[0] ?? null,
					resolvedAt: status === 'resolved' ? stepTimes.at(-1)! : null
				})
				.returning({ id: mapReport.id });
			await tx.insert(mapReportEvent).values([
				{ reportId: report!.id, status: 'new' as const, at: createdAt },
				...steps.map((s, n) => ({
					reportId: report!.id,
					status: s,
					note: stepNotes[n]!,
					at: stepTimes[n]!
				}))
			]);
		}
		return {
			result: true,
			audit: { action: 'dialogue.demo', after: { slugs: [demoReportSpaceSlug] } },
			public: false
		};
	});
}
