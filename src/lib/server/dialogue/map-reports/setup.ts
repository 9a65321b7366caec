import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import { ValidationError } from '../../kernel/errors.ts';
import { pick } from '../../kernel/localized.ts';
import { authorizeOn, type Actor } from '../../kernel/policy.ts';
import { slugify } from '../../kernel/slug.ts';
import { runCommand } from '../../kernel/write.ts';
import { municipalityBox } from '../../kernel/maps/area.ts';
import { swedishMunicipalities, swedishMunicipality } from '../../taxonomy/sweden.ts';
import { mapReport, mapReportCategory, mapReportSetup } from '../schema.ts';
import { dialoguePolicy } from '../policy.ts';
import { readSpace } from '../spaces/queries.ts';
import { readSetupForm, type ReportSetupValues } from './input.ts';
import { open311Keys } from './open311-keys.ts';

// Whoever runs a space decides whether it takes reports on a map and how: review first or not,
// what the public sees of a place, the map's area (a Swedish municipality from the platform's own
// outlines, or a box of coordinates), its districts and its categories. A category reports use
// cannot be taken away (its reports would lose what they are about); its wording can change.

/** What the set-up form shows: the saved set-up, or a new space's defaults. */
export async function reportSetupForm(db: Database, actor: Actor, slug: string, locale: string) {
	const space = await readSpace(db, { slug });
	await authorizeOn(actor, dialoguePolicy.runSpace, space.actors);
	const [[setup], categories] = await Promise.all([
		db.select().from(mapReportSetup).where(eq(mapReportSetup.spaceId, space.id)),
		db
			.select({
				key: mapReportCategory.key,
				title: mapReportCategory.title,
				description: mapReportCategory.description,
				used: count(mapReport.id)
			})
			.from(mapReportCategory)
			.leftJoin(mapReport, eq(mapReport.categoryId, mapReportCategory.id))
			.where(eq(mapReportCategory.spaceId, space.id))
			.groupBy(mapReportCategory.id)
			.orderBy(asc(mapReportCategory.position), asc(mapReportCategory.id))
	]);
	return {
		space: { slug: space.slug, title: pick(space.title, locale), takesReports: !!setup },
		keys: setup ? await open311Keys(db, space.id) : [],
		values: {
			review: setup?.review ?? true,
			askPhoto: setup?.askPhoto ?? true,
			smsKeyword: setup?.smsKeyword ?? '',
			privacy: setup?.privacy ?? 'grid',
			gridMeters: setup?.gridMeters ?? 500,
			municipality: setup?.municipalityCode ?? '',
			box: setup && !setup.municipalityCode ? setup.bbox.map(String) : ['', '', '', ''],
			districts: (setup?.districts ?? []).map((d) => `${d.name}; ${d.lat}; ${d.lon}`).join('\n'),
			categories: categories.map((c) => ({
				key: c.key,
				sv: c.title.sv ?? '',
				en: c.title.en ?? '',
				helpSv: c.description.sv ?? '',
				helpEn: c.description.en ?? '',
				used: c.used
			}))
		},
		municipalities: swedishMunicipalities()
			.map((m) => ({ code: m.code, name: m.name }))
			.sort((a, b) => a.name.localeCompare(b.name, 'sv'))
	};
}

const refuse = (field: string, code: 'reportSetupUnknownMunicipality' | 'reportSetupCategoryInUse') =>
	new ValidationError([{ field, code }], 'dialogue');

/** Saves the set-up in one transaction: the settings, then the categories row by row. */
export async function saveReportSetup(
	db: Database,
	actor: Actor,
	slug: string,
	form: FormData | Record<string, unknown>
): Promise<void> {
	const space = await readSpace(db, { slug });
	await authorizeOn(actor, dialoguePolicy.runSpace, space.actors);
	await runCommand<ReportSetupValues, void>(db, actor, {
		rule: dialoguePolicy.participate,
		// Two spaces cannot answer to one keyword.
		unique: {
			map_report_setup_sms_keyword_unique: new ValidationError(
				[{ field: 'smsKeyword', code: 'reportSetupSmsKeywordTaken' }],
				'dialogue'
			)
		},
		parse: () => readSetupForm(form),
		work: async (tx, input) => {
			let bbox = input.bbox;
			if (input.municipalityCode) {
				if (!swedishMunicipality(input.municipalityCode))
					throw refuse('municipality', 'reportSetupUnknownMunicipality');
				bbox ??= municipalityBox(input.municipalityCode);
				if (!bbox) throw refuse('municipality', 'reportSetupUnknownMunicipality');
			}
			const settings = {
				review: input.review,
				askPhoto: input.askPhoto,
				smsKeyword: input.smsKeyword,
				privacy: input.privacy,
				gridMeters: input.gridMeters,
				municipalityCode: input.municipalityCode,
				bbox: bbox!,
				districts: input.districts
			};
			const [before] = await tx
				.select()
				.from(mapReportSetup)
				.where(eq(mapReportSetup.spaceId, space.id))
				.for('update');
			await tx
				.insert(mapReportSetup)
				.values({ spaceId: space.id, ...settings })
				.onConflictDoUpdate({ target: mapReportSetup.spaceId, set: settings });

			const existing = await tx
				.select({ id: mapReportCategory.id, key: mapReportCategory.key })
				.from(mapReportCategory)
				.where(eq(mapReportCategory.spaceId, space.id));
			const byKey = new Map(existing.map((c) => [c.key, c.id]));
			const removed = input.categories.filter((c) => c.key && !c.title.sv && !c.title.en && byKey.has(c.key));
			if (removed.length) {
				const ids = removed.map((c) => byKey.get(c.key)!);
				const [used] = await tx
					.select({ n: count() })
					.from(mapReport)
					.where(inArray(mapReport.categoryId, ids));
				if ((used?.n ?? 0) > 0) throw refuse('categorySv', 'reportSetupCategoryInUse');
				await tx.delete(mapReportCategory).where(inArray(mapReportCategory.id, ids));
			}
			const taken = new Set(existing.map((c) => c.key));
			let position = 0;
			for (const c of input.categories) {
				if (!c.title.sv && !c.title.en) continue;
				const id = c.key ? byKey.get(c.key) : undefined;
				if (id !== undefined) {
					await tx
						.update(mapReportCategory)
						.set({ title: c.title, description: c.description, position })
						.where(and(eq(mapReportCategory.id, id), eq(mapReportCategory.spaceId, space.id)));
				} else {
					// A new category's key, from its title: stable in addresses, CSV and Open311.
					const base = slugify(c.title.sv ?? c.title.en ?? '', 40) || 'category';
					let key = base;
					for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
					taken.add(key);
					await tx
						.insert(mapReportCategory)
						.values({ spaceId: space.id, key, title: c.title, description: c.description, position });
				}
				position++;
			}
			return {
				result: undefined,
				audit: {
					action: 'report.setup',
					subject: `dialogue-space:${space.id}`,
					before: before
						? { review: before.review, privacy: before.privacy, gridMeters: before.gridMeters }
						: null,
					after: {
						review: settings.review,
						privacy: settings.privacy,
						gridMeters: settings.gridMeters,
						categories: input.categories.filter((c) => c.title.sv || c.title.en).length
					}
				},
				public: false
			};
		}
	});
}
