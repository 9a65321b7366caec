import { count, eq, sql } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { readDataFile } from '../kernel/data-files.ts';
import type { LocalizedText } from '../kernel/localized.ts';
import { sdgGoal, sdgTarget, theme } from './schema.ts';

interface SdgFile {
	goals: { number: number; colour: string; shortName: LocalizedText; title: LocalizedText }[];
	targets: { code: string; goal: number; position: number; text: LocalizedText; title: LocalizedText }[];
}
interface ThemeFile {
	key: string;
	name: LocalizedText;
	description?: LocalizedText;
}

/**
 * Goals, targets and the four principles: loaded (and updated) on every start, as they are
 * reference data. The starting topics go only into a database that has no topic yet: after that
 * editors own them, and a topic they merged away must not come back.
 */
export async function seedTaxonomy(db: Database): Promise<void> {
	const sdg = readDataFile<SdgFile>('sdg', 'sdg.json');
	const principles = readDataFile<ThemeFile[]>('demo', 'principles.json');
	const topics = readDataFile<ThemeFile[]>('demo', 'topics.json');
	await db.transaction(async (tx) => {
		// Reference data: a reworded goal or target reaches every installation on its next start; an
		// unchanged one is not written again.
		await tx
			.insert(sdgGoal)
			.values(sdg.goals)
			.onConflictDoUpdate({
				target: sdgGoal.number,
				set: {
					colour: sql`excluded.colour`,
					shortName: sql`excluded.short_name`,
					title: sql`excluded.title`
				},
				setWhere: sql`(${sdgGoal.colour}, ${sdgGoal.shortName}, ${sdgGoal.title}) is distinct from (excluded.colour, excluded.short_name, excluded.title)`
			});
		await tx
			.insert(sdgTarget)
			.values(sdg.targets)
			.onConflictDoUpdate({
				target: sdgTarget.code,
				set: { text: sql`excluded.text`, title: sql`excluded.title`, position: sql`excluded.position` },
				setWhere: sql`(${sdgTarget.text}, ${sdgTarget.title}, ${sdgTarget.position}) is distinct from (excluded.text, excluded.title, excluded.position)`
			});
		const [{ n: topicCount } = { n: 0 }] = await tx
			.select({ n: count() })
			.from(theme)
			.where(eq(theme.kind, 'topic'));
		const themes = [
			...principles.map((t, i) => ({ ...t, kind: 'principle' as const, position: i })),
			...(topicCount ? [] : topics.map((t, i) => ({ ...t, kind: 'topic' as const, position: 100 + i })))
		];
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
