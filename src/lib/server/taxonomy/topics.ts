import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Transaction } from '../kernel/database.ts';
import { ValidationError, type FieldProblem } from '../kernel/errors.ts';
import { formValues, line, parseInput, requiredLine, type Input, type Shape } from '../kernel/input.ts';
import type { LocalizedText } from '../kernel/localized.ts';
import type { ThemeMerge } from '../kernel/module.ts';
import { authorize, type Actor } from '../kernel/policy.ts';
import { slugify } from '../kernel/slug.ts';
import { runCommand } from '../kernel/write.ts';
import { theme } from './schema.ts';
import { topicsPolicy } from './policy.ts';

// Topics are the editable themes beside the four fixed principles. Editors add, rename and merge
// them; every change is one command (its audit row and a raised content revision in its
// transaction), so the public listing, its filter index and the render cache all see it at once.
// The modules that tag things with themes move their own links in a merge (their `themeMerged`).

/** The longest topic name, in characters, in each language. */
export const topicNameMax = 60;
const descriptionMax = 500;

/**
 * A name as it will be stored: one line (kernel/input.ts cleans it) with something visible in
 * it: a name of only invisible characters (a zero-width space) counts as empty.
 */
const topicName = requiredLine(topicNameMax).pipe(z.string().regex(/[\p{L}\p{N}\p{S}\p{P}]/u, 'required'));

/** The form that adds a topic: a name in each language, a description if wanted. */
export const topicForm = {
	nameSv: topicName,
	nameEn: topicName,
	descriptionSv: line(descriptionMax).optional(),
	descriptionEn: line(descriptionMax).optional()
};

/** The form that renames one: its key and the new names. */
export const renameForm = {
	key: z.string().optional(),
	nameSv: topicName,
	nameEn: topicName
};

/** The form that merges one topic (`topic`) into another (`into`): both checked by the merge. */
export const mergeForm = {
	topic: z.string().optional(),
	into: z.string().optional()
};

/** A topic's name in each language (a type, not an interface: it is stored as LocalizedText). */
export type TopicNames = { sv: string; en: string };

/** A theme as the editors' topic page shows it: both names and how many articles carry it. */
export interface EditableTheme {
	key: string;
	kind: 'principle' | 'topic';
	name: TopicNames;
	description: LocalizedText;
	/** Articles linked to it, whatever their status (what a merge moves). */
	articles: number;
	/** Of those, the published ones (what the public listing counts, before language). */
	published: number;
}

type Raw = FormData | Record<string, unknown>;

/**
 * Reads each field of a form on its own, keeping the problems rather than throwing: the names
 * taken (found later, in the transaction) are named in the same answer.
 */
function readEach<S extends Shape>(form: Raw, shape: S) {
	const raw = form instanceof FormData ? formValues(form, shape) : form;
	const values: Partial<Input<S>> = {};
	const problems: FieldProblem<'taxonomy'>[] = [];
	for (const [name, schema] of Object.entries(shape)) {
		try {
			Object.assign(values, parseInput({ [name]: schema }, raw, 'taxonomy'));
		} catch (e) {
			if (!(e instanceof ValidationError)) throw e;
			problems.push(...(e.problems as FieldProblem<'taxonomy'>[]));
		}
	}
	return { values, problems };
}

/** Both names, or a ValidationError with every problem found, in the form's order. */
function namesOrThrow(
	names: { nameSv?: string; nameEn?: string },
	problems: FieldProblem<'taxonomy'>[]
): TopicNames {
	const order = ['nameSv', 'nameEn', 'descriptionSv', 'descriptionEn'];
	const rank = (p: FieldProblem<'taxonomy'>) => {
		const i = order.indexOf(p.field);
		return i < 0 ? order.length : i;
	};
	if (problems.length || names.nameSv === undefined || names.nameEn === undefined)
		throw new ValidationError(
			[...problems].sort((a, b) => rank(a) - rank(b)),
			'taxonomy'
		);
	return { sv: names.nameSv, en: names.nameEn };
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
	const slug = slugify(swedishName, 200);
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
	await tx.execute(sql`lock table ${theme} in share row exclusive mode`);
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
function duplicates(
	themes: ThemeRow[],
	names: { nameSv?: string; nameEn?: string },
	except?: string
): FieldProblem<'taxonomy'>[] {
	const others = themes.filter((t) => t.key !== except);
	return (['sv', 'en'] as const)
		.filter((lang) => {
			const wanted = lang === 'sv' ? names.nameSv : names.nameEn;
			return wanted !== undefined && others.some((t) => same(t.name[lang], wanted));
		})
		.map((lang) => ({ field: lang === 'sv' ? 'nameSv' : 'nameEn', code: 'topicExists' as const }));
}

const namesOf = (t: ThemeRow): TopicNames => ({ sv: t.name.sv ?? '', en: t.name.en ?? '' });

/**
 * The principles and topics in their editorial order, each with how many articles carry it:
 * the counts are the inspiration bank's (content's `themeUsage`), which the page passes in.
 */
export async function listTopicsForEditing(
	db: Database,
	actor: Actor,
	usage: ReadonlyMap<string, { articles: number; published: number }> = new Map()
): Promise<EditableTheme[]> {
	authorize(actor, topicsPolicy.manage);
	const found = await db
		.select({ key: theme.key, kind: theme.kind, name: theme.name, description: theme.description })
		.from(theme)
		.orderBy(sql`case ${theme.kind} when 'principle' then 0 else 1 end`, asc(theme.position), asc(theme.key));
	return found.map((t) => ({
		key: t.key,
		kind: t.kind,
		name: { sv: t.name.sv ?? '', en: t.name.en ?? '' },
		description: t.description ?? {},
		articles: usage.get(t.key)?.articles ?? 0,
		published: usage.get(t.key)?.published ?? 0
	}));
}

/**
 * Adds a topic named in Swedish and English (`topicForm`). Its key (the `theme=` in addresses)
 * is made from the Swedish name and never changes. Returns the key.
 */
export async function addTopic(db: Database, actor: Actor, form: Raw): Promise<string> {
	return runCommand(db, actor, {
		rule: topicsPolicy.manage,
		parse: () => readEach(form, topicForm),
		work: async (tx, { values, problems }) => {
			const themes = await lockThemes(tx);
			const names = namesOrThrow(values, [...problems, ...duplicates(themes, values)]);
			const keys = new Set(themes.map((t) => t.key));
			const base = topicKeyFrom(names.sv);
			let key = base;
			for (let n = 2; keys.has(key); n++) key = `${base}-${n}`;
			const position = Math.max(99, ...themes.filter((t) => t.kind === 'topic').map((t) => t.position)) + 1;
			const description: LocalizedText = {};
			if (values.descriptionSv) description.sv = values.descriptionSv;
			if (values.descriptionEn) description.en = values.descriptionEn;
			const row = { key, kind: 'topic' as const, name: names, description, position };
			await tx.insert(theme).values(row);
			return {
				result: key,
				audit: { action: 'topic.add', subject: `topic:${key}`, after: row },
				public: true
			};
		}
	});
}

/**
 * Gives a topic new names (`renameForm`). The key stays, so addresses, links and filters keep
 * working. The four principles cannot be renamed.
 */
export async function renameTopic(db: Database, actor: Actor, form: Raw): Promise<void> {
	return runCommand(db, actor, {
		rule: topicsPolicy.manage,
		parse: () => readEach(form, renameForm),
		work: async (tx, { values, problems }) => {
			const key = values.key ?? '';
			const themes = await lockThemes(tx);
			const current = themes.find((t) => t.key === key);
			if (!current) throw new ValidationError([{ field: 'topic', code: 'unknownTopic' }], 'taxonomy');
			if (current.kind === 'principle')
				throw new ValidationError([{ field: 'topic', code: 'principleFixed' }], 'taxonomy');
			const names = namesOrThrow(values, [...problems, ...duplicates(themes, values, key)]);
			// The same names again change nothing, and nobody's cache needs to hear of it.
			if (current.name.sv === names.sv && current.name.en === names.en)
				return { result: undefined, audit: [], public: false };
			await tx
				.update(theme)
				.set({ name: { sv: names.sv, en: names.en } })
				.where(eq(theme.key, key));
			return {
				result: undefined,
				audit: {
					action: 'topic.rename',
					subject: `topic:${key}`,
					before: { name: current.name },
					after: { name: names }
				},
				public: true
			};
		}
	});
}

/** A module that tags things with themes, and how it moves its links in a merge. */
export interface ThemeMerger {
	module: string;
	merge: (tx: Transaction, from: string, into: string) => Promise<ThemeMerge>;
}

export interface MergeResult {
	/** Articles that carried `from` (now all carry `into`): the inspiration bank's count. */
	articles: number;
	/** How many items of each module carried `from`. */
	moved: Record<string, number>;
	/** The names of the deleted topic and of the one that remains, to say what happened. */
	from: TopicNames;
	into: TopicNames;
}

/**
 * Merges one topic into another: every module that tags things with themes moves its links from
 * `from` to `into` (`mergers`: app/modules.ts's `themeMergers`), all in one transaction, and
 * `from` is deleted. The audit row keeps, per module, how many moved and the links as they were.
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
	intoKey: string,
	mergers: readonly ThemeMerger[]
): Promise<MergeResult> {
	return runCommand(db, actor, {
		rule: topicsPolicy.manage,
		parse: () => ({ fromKey, intoKey }),
		work: async (tx) => {
			const themes = await lockThemes(tx);
			const from = themes.find((t) => t.key === fromKey);
			const into = themes.find((t) => t.key === intoKey);
			const problems: FieldProblem<'taxonomy'>[] = [];
			if (!from) problems.push({ field: 'topic', code: fromKey ? 'unknownTopic' : 'required' });
			else if (from.kind === 'principle') problems.push({ field: 'topic', code: 'principleFixed' });
			if (!into) problems.push({ field: 'into', code: intoKey ? 'unknownTopic' : 'required' });
			else if (fromKey === intoKey) problems.push({ field: 'into', code: 'sameTopic' });
			if (problems.length || !from || !into) throw new ValidationError(problems, 'taxonomy');

			const moved: Record<string, number> = {};
			const before: Record<string, unknown> = {};
			for (const m of mergers) {
				const merged = await m.merge(tx, fromKey, intoKey);
				moved[m.module] = merged.count;
				if (merged.before !== undefined) before[m.module] = merged.before;
			}
			await tx.delete(theme).where(and(eq(theme.key, fromKey), eq(theme.kind, 'topic')));
			return {
				result: { articles: moved.content ?? 0, moved, from: namesOf(from), into: namesOf(into) },
				audit: {
					action: 'topic.merge',
					subject: `topic:${fromKey}`,
					// Enough to undo by hand: the deleted topic, and what carried it where, per module.
					before: { from, into: { key: into.key, name: into.name }, links: before },
					after: { into: into.key, moved }
				},
				public: true
			};
		}
	});
}
