import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Transaction } from '../kernel/database.ts';
import { rows } from '../kernel/rows.ts';
import { audit } from '../kernel/audit.ts';
import { bumpRevision } from '../kernel/revision.ts';
import { contentChanged } from '../kernel/content-version.ts';
import { ValidationError, type FieldProblem } from '../kernel/errors.ts';
import { authorize, type Actor } from '../kernel/policy.ts';
import type { LocalizedText } from '../kernel/localized.ts';
import { articleTheme } from './schema.ts';
import { theme } from '../taxonomy/schema.ts';
import { topicsPolicy } from '../taxonomy/policy.ts';

// Topics are the editable themes beside the four fixed principles. Editors add, rename and merge
// them; every change is one transaction with its audit row and a raised content revision, so the
// public listing, its filter index and the render cache all see it at once.

/** A theme as the editors' topic page shows it: both names and how many articles carry it. */
export interface EditableTheme {
	key: string;
	kind: 'principle' | 'topic';
	name: { sv: string; en: string };
	description: LocalizedText;
	/** Articles linked to it, whatever their status (what a merge moves). */
	articles: number;
	/** Of those, the published ones (what the public listing counts, before language). */
	published: number;
}

/** The longest topic name, in characters, in each language. */
export const topicNameMax = 60;
const descriptionMax = 500;

/**
 * A name as it will be stored: well-formed Unicode (a lone surrogate cannot be stored as JSON),
 * runs of white space as one space, no control characters (a NUL cannot be stored in jsonb),
 * composed (NFC) so "ä" typed two ways is one name, trimmed.
 */
function clean(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	return value
		.toWellFormed()
		.replace(/\s+/gu, ' ')
		.replace(/\p{Cc}/gu, '')
		.normalize('NFC')
		.trim();
}

// Something visible: a name of only invisible characters (a zero-width space) counts as empty.
const name = z.preprocess(
	clean,
	z
		.string()
		.min(1)
		.max(topicNameMax)
		.regex(/[\p{L}\p{N}\p{S}\p{P}]/u)
);
const description = z.preprocess(clean, z.string().max(descriptionMax));

/** A field's name in problems, as the form names it: "nameSv", "descriptionEn". */
const fieldFor = (what: 'name' | 'description', lang: 'sv' | 'en') => `${what}${lang === 'sv' ? 'Sv' : 'En'}`;

/** A topic's name in each language (a type, not an interface: it is stored as LocalizedText). */
export type TopicNames = { sv: string; en: string };

export interface TopicInput {
	name: TopicNames;
	description?: { sv?: string; en?: string };
}

/** Zod's problems as the catalogue's: a missing or empty text is "required", a long one "tooLong". */
function problemsOf(error: z.ZodError, prefix: string): FieldProblem<'taxonomy'>[] {
	const byField = new Map<string, FieldProblem>();
	for (const issue of error.issues) {
		const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
		// One message a field: an empty name is "required", not also "has nothing visible".
		if (!byField.has(field))
			byField.set(field, { field, code: issue.code === 'too_big' ? 'tooLong' : 'required' });
	}
	return [...byField.values()];
}

/**
 * Checks each language's name on its own, so that one answer tells every problem: a missing
 * English name and a Swedish one already taken (found later, in the transaction) come together.
 */
function checkNames(input: unknown): { names: Partial<TopicNames>; problems: FieldProblem<'taxonomy'>[] } {
	const given = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
	const names: Partial<TopicNames> = {};
	const problems: FieldProblem<'taxonomy'>[] = [];
	for (const lang of ['sv', 'en'] as const) {
		const parsed = name.safeParse(given[lang]);
		if (parsed.success) names[lang] = parsed.data;
		else problems.push(...problemsOf(parsed.error, fieldFor('name', lang)));
	}
	return { names, problems };
}

/** Both names, or a ValidationError with every problem found, in the form's order. */
function namesOrThrow(names: Partial<TopicNames>, problems: FieldProblem<'taxonomy'>[]): TopicNames {
	const order = ['nameSv', 'nameEn', 'descriptionSv', 'descriptionEn'];
	const rank = (p: FieldProblem) => {
		const i = order.indexOf(p.field);
		return i < 0 ? order.length : i;
	};
	if (problems.length || names.sv === undefined || names.en === undefined)
		throw new ValidationError([...problems].sort((a, b) => rank(a) - rank(b)), 'taxonomy');
	return { sv: names.sv, en: names.en };
}

/** Compares names the way a reader does: "klimat" and "Klimat" are the same topic. */
const same = (a: string | undefined, b: string) =>
	(a ?? '').normalize('NFC').trim().toLocaleLowerCase() === b.toLocaleLowerCase();

/**
 * The address key for a topic from its Swedish name: "Jämställdhet & hälsa" → "jamstalldhet-halsa".
 * It must pass the listing's filter (a letter first, then letters, digits and hyphens, at most 40),
 * and leaves room for a "-2" to make it unique.
 */
export function topicKeyFrom(swedishName: string): string {
	const slug = swedishName
		.toLowerCase()
		.replace(/[åä]/g, 'a')
		.replace(/ö/g, 'o')
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
	const lettered = !slug ? 'topic' : /^[a-z]/.test(slug) ? slug : `topic-${slug}`;
	return lettered.slice(0, 36).replace(/-+$/, '');
}

interface ThemeRow {
	key: string;
	kind: 'principle' | 'topic';
	name: LocalizedText;
	description: LocalizedText;
	position: number;
}

/**
 * Takes the themes for a change and holds them: two editors adding "Klimat" at the same moment
 * would otherwise both pass the duplicate check. Readers are not blocked.
 */
async function lockThemes(tx: Transaction): Promise<ThemeRow[]> {
	await tx.execute(sql`lock table theme in share row exclusive mode`);
	return tx
		.select({
			key: theme.key,
			kind: theme.kind,
			name: theme.name,
			description: theme.description,
			position: theme.position
		})
		.from(theme);
}

/** Problems with names already taken by another theme (principles too), per language. */
function duplicates(themes: ThemeRow[], names: Partial<TopicNames>, except?: string): FieldProblem<'taxonomy'>[] {
	const others = themes.filter((t) => t.key !== except);
	return (['sv', 'en'] as const)
		.filter((lang) => {
			const wanted = names[lang];
			return wanted !== undefined && others.some((t) => same(t.name[lang], wanted));
		})
		.map((lang) => ({ field: fieldFor('name', lang), code: 'topicExists' as const }));
}

/**
 * The principles and topics in their editorial order, each with its number of articles (all and
 * published), in one query.
 */
export async function listTopicsForEditing(db: Database, actor: Actor): Promise<EditableTheme[]> {
	authorize(actor, topicsPolicy.manage);
	const found = await rows<{
		key: string;
		kind: 'principle' | 'topic';
		name: LocalizedText;
		description: LocalizedText;
		articles: number | string;
		published: number | string;
	}>(
		db,
		sql`select t.key, t.kind, t.name, t.description,
				count(x.article_id) as articles,
				count(x.article_id) filter (where a.status = 'published') as published
			from theme t
			left join article_theme x on x.theme_key = t.key
			left join article a on a.id = x.article_id
			group by t.key
			order by case t.kind when 'principle' then 0 else 1 end, t.position, t.key`
	);
	return found.map((t) => ({
		key: t.key,
		kind: t.kind,
		name: { sv: t.name.sv ?? '', en: t.name.en ?? '' },
		description: t.description ?? {},
		articles: Number(t.articles),
		published: Number(t.published)
	}));
}

/**
 * Adds a topic named in Swedish and English. Its key (the `theme=` in addresses) is made from the
 * Swedish name and never changes. Returns the key.
 */
export async function addTopic(db: Database, actor: Actor, input: TopicInput): Promise<string> {
	authorize(actor, topicsPolicy.manage);
	const checked = checkNames(input?.name);
	const descriptionText: LocalizedText = {};
	const given = input?.description ?? {};
	for (const lang of ['sv', 'en'] as const) {
		if (given[lang] === undefined) continue;
		const parsed = description.safeParse(given[lang]);
		if (!parsed.success) checked.problems.push(...problemsOf(parsed.error, fieldFor('description', lang)));
		else if (parsed.data) descriptionText[lang] = parsed.data;
	}

	const key = await db.transaction(async (tx) => {
		const themes = await lockThemes(tx);
		const names = namesOrThrow(checked.names, [...checked.problems, ...duplicates(themes, checked.names)]);
		const keys = new Set(themes.map((t) => t.key));
		const base = topicKeyFrom(names.sv);
		let key = base;
		for (let n = 2; keys.has(key); n++) key = `${base}-${n}`;
		const position = Math.max(99, ...themes.filter((t) => t.kind === 'topic').map((t) => t.position)) + 1;
		const row = { key, kind: 'topic' as const, name: names, description: descriptionText, position };
		await tx.insert(theme).values(row);
		await bumpRevision(tx);
		await audit(tx, { actorId: actor.id, action: 'topic.add', subject: `topic:${key}`, after: row });
		return key;
	});
	contentChanged();
	return key;
}

/**
 * Gives a topic new names. The key stays, so addresses, links and filters keep working. The four
 * principles cannot be renamed.
 */
export async function renameTopic(db: Database, actor: Actor, key: string, names: TopicNames): Promise<void> {
	authorize(actor, topicsPolicy.manage);
	const checked = checkNames(names);
	const changed = await db.transaction(async (tx) => {
		const themes = await lockThemes(tx);
		const current = themes.find((t) => t.key === key);
		if (!current) throw new ValidationError([{ field: 'topic', code: 'unknownTopic' }], 'taxonomy');
		if (current.kind === 'principle') throw new ValidationError([{ field: 'topic', code: 'principleFixed' }], 'taxonomy');
		const parsed = namesOrThrow(checked.names, [
			...checked.problems,
			...duplicates(themes, checked.names, key)
		]);
		if (current.name.sv === parsed.sv && current.name.en === parsed.en) return false;
		await tx
			.update(theme)
			.set({ name: { sv: parsed.sv, en: parsed.en } })
			.where(eq(theme.key, key));
		await bumpRevision(tx);
		await audit(tx, {
			actorId: actor.id,
			action: 'topic.rename',
			subject: `topic:${key}`,
			before: { name: current.name },
			after: { name: parsed }
		});
		return true;
	});
	if (changed) contentChanged();
}

export interface MergeResult {
	/** Articles that carried `from` (now all carry `into`). */
	articles: number;
	/** The names of the deleted topic and of the one that remains, to say what happened. */
	from: TopicNames;
	into: TopicNames;
}

const namesOf = (t: ThemeRow): TopicNames => ({ sv: t.name.sv ?? '', en: t.name.en ?? '' });

/**
 * Merges one topic into another: every article tagged `from` is tagged `into` instead (an article
 * that had both keeps one link, at the more prominent position), and `from` is deleted. Saved
 * versions of articles follow, so restoring one does not bring back a topic that no longer exists.
 *
 * A principle cannot be merged away: the four are fixed. Merging a topic INTO a principle is
 * allowed: the principle itself (key, names, description) does not change, an editor may tag any
 * article with a principle one by one anyway, and the case that calls for it is real — a topic
 * added as a near-duplicate of a principle ("Delaktighet" beside "Deltagande") is cleaned up by
 * folding it into the principle rather than by retagging every article by hand.
 */
export async function mergeTopics(
	db: Database,
	actor: Actor,
	fromKey: string,
	intoKey: string
): Promise<MergeResult> {
	authorize(actor, topicsPolicy.manage);
	const result = await db.transaction(async (tx) => {
		const themes = await lockThemes(tx);
		const from = themes.find((t) => t.key === fromKey);
		const into = themes.find((t) => t.key === intoKey);
		const problems: FieldProblem<'taxonomy'>[] = [];
		if (!from) problems.push({ field: 'topic', code: fromKey ? 'unknownTopic' : 'required' });
		else if (from.kind === 'principle') problems.push({ field: 'topic', code: 'principleFixed' });
		if (!into) problems.push({ field: 'into', code: intoKey ? 'unknownTopic' : 'required' });
		else if (fromKey === intoKey) problems.push({ field: 'into', code: 'sameTopic' });
		if (problems.length || !from || !into) throw new ValidationError(problems, 'taxonomy');

		const links = await tx
			.select({ articleId: articleTheme.articleId, position: articleTheme.position })
			.from(articleTheme)
			.where(eq(articleTheme.themeKey, fromKey));
		// Articles with both: the remaining link takes the lower (more prominent) position.
		await tx.execute(sql`
			update article_theme i set position = least(i.position, f.position)
			from article_theme f
			where f.theme_key = ${fromKey} and i.theme_key = ${intoKey} and i.article_id = f.article_id`);
		await tx.execute(sql`
			delete from article_theme f
			where f.theme_key = ${fromKey}
				and exists (select 1 from article_theme i where i.article_id = f.article_id and i.theme_key = ${intoKey})`);
		await tx.update(articleTheme).set({ themeKey: intoKey }).where(eq(articleTheme.themeKey, fromKey));
		// Saved versions name themes by key: `from` becomes `into`, once, where `from` stood first.
		await tx.execute(sql`
			update article_revision r set snapshot = jsonb_set(r.snapshot, '{themes}', (
				select coalesce(jsonb_agg(s.key order by s.first), '[]'::jsonb)
				from (
					select case when e.value = to_jsonb(${fromKey}::text) then to_jsonb(${intoKey}::text) else e.value end as key,
						min(e.ord) as first
					from jsonb_array_elements(r.snapshot->'themes') with ordinality as e(value, ord)
					group by 1
				) s))
			where jsonb_typeof(r.snapshot->'themes') = 'array'
				and r.snapshot->'themes' @> jsonb_build_array(${fromKey}::text)`);
		await tx.delete(theme).where(and(eq(theme.key, fromKey), eq(theme.kind, 'topic')));
		await bumpRevision(tx);
		await audit(tx, {
			actorId: actor.id,
			action: 'topic.merge',
			subject: `topic:${fromKey}`,
			// Enough to undo by hand: the deleted topic and which articles carried it where.
			before: { from, into: { key: into.key, name: into.name }, links },
			after: { into: into.key, articles: links.length }
		});
		return { articles: links.length, from: namesOf(from), into: namesOf(into) };
	});
	contentChanged();
	return result;
}
