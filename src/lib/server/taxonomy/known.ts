import { inArray, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../kernel/database.ts';
import { ValidationError, type FieldProblem } from '../kernel/errors.ts';
import { sdgTarget, theme } from './schema.ts';

/**
 * Whether the tags a filter or form names exist. Filters answer an unknown theme or target with a
 * 400 that says so, not an empty list; forms refuse to save a tag that is not there.
 */
export async function unknownFilterTags(
	db: Database,
	filter: { theme?: string; target?: string },
	fields: { theme: string; target: string } = { theme: 'theme', target: 'sdg' }
): Promise<FieldProblem[]> {
	if (!filter.theme && !filter.target) return [];
	const [found] = await db
		.select({
			theme: sql<boolean>`exists (select 1 from ${theme} where ${theme.key} = ${filter.theme ?? ''})`,
			target: sql<boolean>`exists (select 1 from ${sdgTarget} where ${sdgTarget.code} = ${filter.target ?? ''})`
		})
		.from(sql`(select 1) as one`);
	const problems: FieldProblem[] = [];
	if (filter.theme && !found?.theme) problems.push({ field: fields.theme, code: 'invalidTheme' });
	if (filter.target && !found?.target) problems.push({ field: fields.target, code: 'unknownTarget' });
	return problems;
}

/** Throws a ValidationError naming the filter's unknown theme or target, if any. */
export async function checkFilterTags(
	db: Database,
	filter: { theme?: string; target?: string },
	fields?: { theme: string; target: string }
): Promise<void> {
	const problems = await unknownFilterTags(db, filter, fields);
	if (problems.length) throw new ValidationError(problems);
}

/**
 * The problems with a form's themes and targets (each named on its own field), and the goal of
 * every target, which a tagged item also carries: filtering by goal 16 finds what is tagged 16.7.
 */
export async function checkTags(
	tx: Database | Transaction,
	tags: { themes?: readonly string[]; targets: readonly string[] },
	fields: { themes: string; targets: string } = { themes: 'themes', targets: 'targets' }
): Promise<{ problems: FieldProblem[]; goalOf: Map<string, number> }> {
	const themes = [...new Set(tags.themes ?? [])];
	const targets = [...new Set(tags.targets)];
	const [foundThemes, foundTargets] = await Promise.all([
		themes.length ? tx.select({ key: theme.key }).from(theme).where(inArray(theme.key, themes)) : [],
		targets.length
			? tx
					.select({ code: sdgTarget.code, goal: sdgTarget.goal })
					.from(sdgTarget)
					.where(inArray(sdgTarget.code, targets))
			: []
	]);
	const problems: FieldProblem[] = [];
	if (foundThemes.length !== themes.length) problems.push({ field: fields.themes, code: 'invalidTheme' });
	// Which one: a form with a dozen targets ticked says which does not exist.
	const missing = targets.filter((t) => !foundTargets.some((f) => f.code === t));
	if (missing.length)
		problems.push({ field: fields.targets, code: 'targetMissing', params: { value: missing.join(', ') } });
	return { problems, goalOf: new Map(foundTargets.map((t) => [t.code, t.goal])) };
}

/** The goals an item carries: those chosen, and the goal of every chosen target. */
export function goalsWithTargets(
	goals: readonly number[],
	targets: readonly string[],
	goalOf: Map<string, number>
) {
	return [...new Set([...goals, ...targets.map((t) => goalOf.get(t)!)])];
}
