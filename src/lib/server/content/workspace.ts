import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../kernel/database.ts';
import { rows } from '../kernel/rows.ts';
import { ValidationError, type FieldProblem } from '../kernel/errors.ts';
import { authorize, type Actor } from '../kernel/policy.ts';
import { locales, type Locale } from '#lib/i18n/locales.ts';
import { articleKinds, articleStatuses, type ArticleKind, type ArticleStatus } from './schema.ts';
import { maxQueryLength, withoutControlCharacters } from './validation.ts';
import { contentPolicy } from './policy.ts';

/** The workspace's article list: by status, language, kind, theme and author, with search. */
export interface WorkspaceFilter {
	status?: ArticleStatus;
	/** Articles that have (`sv`) or lack (`!sv`) a language. */
	lang?: Locale;
	missing?: Locale;
	kind?: ArticleKind;
	theme?: string;
	author?: string;
	q?: string;
	page: number;
}

const perPage = 25;

const filterSchema = z.object({
	status: z.enum(articleStatuses, 'invalidArticle').optional(),
	lang: z.enum(locales, 'invalidLang').optional(),
	missing: z.enum(locales, 'invalidLang').optional(),
	kind: z.enum(articleKinds, 'invalidKind').optional(),
	theme: z
		.string()
		.regex(/^[a-z][a-z0-9-]{0,39}$/, 'invalidTheme')
		.optional(),
	author: z
		.string()
		.regex(/^[A-Za-z0-9_-]{1,64}$/, 'invalidAccount')
		.optional(),
	q: z
		.string()
		.max(maxQueryLength, 'queryTooLong')
		.transform((s) => withoutControlCharacters(s).trim() || undefined)
		.optional(),
	page: z
		.string()
		.regex(/^\d{1,4}$/, 'invalidPage')
		.transform(Number)
		.pipe(z.number().int().min(1, 'invalidPage'))
		.optional()
});

export function parseWorkspaceFilter(params: URLSearchParams): WorkspaceFilter {
	const raw: Record<string, string> = {};
	const problems: FieldProblem<'content'>[] = [];
	for (const name of Object.keys(filterSchema.shape)) {
		const values = params.getAll(name).filter((v) => v !== '');
		if (values.length > 1) problems.push({ field: name, code: 'repeated' });
		else if (values.length) raw[name] = values[0]!;
	}
	const parsed = filterSchema.safeParse(raw);
	if (!parsed.success) {
		for (const i of parsed.error.issues)
			problems.push({ field: String(i.path[0]), code: i.message as FieldProblem['code'] });
	}
	if (problems.length || !parsed.success) throw new ValidationError(problems, 'content');
	return { ...parsed.data, page: parsed.data.page ?? 1 };
}

export interface WorkspaceRow {
	id: number;
	slug: string;
	status: ArticleStatus;
	kind: ArticleKind;
	updatedAt: string;
	scheduledAt: string | null;
	authorName: string | null;
	/** Title per language the article has. */
	titles: Partial<Record<Locale, string>>;
}

export interface WorkspacePage {
	rows: WorkspaceRow[];
	total: number;
	page: number;
	pages: number;
	/** Everyone who has written an article, for the author filter. */
	authors: { id: string; name: string }[];
}

/** One page of articles for the workspace, newest change first, in two queries. */
export async function listForWorkspace(
	db: Database,
	actor: Actor,
	filter: WorkspaceFilter
): Promise<WorkspacePage> {
	authorize(actor, contentPolicy.write);
	const where: SQL[] = [sql`true`];
	if (filter.status) where.push(sql`a.status = ${filter.status}`);
	if (filter.kind) where.push(sql`a.kind = ${filter.kind}`);
	if (filter.author) where.push(sql`a.author_id = ${filter.author}`);
	if (filter.lang)
		where.push(
			sql`exists (select 1 from article_translation t where t.article_id = a.id and t.lang = ${filter.lang})`
		);
	if (filter.missing)
		where.push(
			sql`not exists (select 1 from article_translation t where t.article_id = a.id and t.lang = ${filter.missing})`
		);
	if (filter.theme)
		where.push(
			sql`exists (select 1 from article_theme x where x.article_id = a.id and x.theme_key = ${filter.theme})`
		);
	if (filter.q) {
		// The trigram index on title and teaser serves this; the slug is matched too.
		const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		where.push(
			sql`(a.slug ilike ${like} or exists (select 1 from article_translation t where t.article_id = a.id and (t.title || ' ' || t.teaser) ilike ${like}))`
		);
	}
	const condition = sql.join(where, sql` and `);
	const offset = (filter.page - 1) * perPage;
	const [list, authors] = await Promise.all([
		rows<{
			id: number;
			slug: string;
			status: ArticleStatus;
			kind: ArticleKind;
			updated_at: string;
			scheduled_at: string | null;
			author_name: string | null;
			titles: Partial<Record<Locale, string>> | string | null;
			total: number;
		}>(
			db,
			sql`select a.id, a.slug, a.status, a.kind, a.updated_at, a.scheduled_at, u.name as author_name,
				(select json_object_agg(t.lang, t.title) from article_translation t where t.article_id = a.id) as titles,
				count(*) over ()::int as total
			from article a left join "user" u on u.id = a.author_id
			where ${condition}
			order by a.updated_at desc, a.id desc
			limit ${perPage} offset ${offset}`
		),
		rows<{ id: string; name: string }>(
			db,
			sql`select u.id, u.name from "user" u where exists (select 1 from article a where a.author_id = u.id) order by u.name`
		)
	]);
	const total = list[0]?.total ?? 0;
	return {
		rows: list.map((r) => ({
			id: r.id,
			slug: r.slug,
			status: r.status,
			kind: r.kind,
			updatedAt: new Date(r.updated_at).toISOString(),
			scheduledAt: r.scheduled_at ? new Date(r.scheduled_at).toISOString() : null,
			authorName: r.author_name,
			titles: (typeof r.titles === 'string' ? JSON.parse(r.titles) : r.titles) ?? {}
		})),
		total,
		page: filter.page,
		pages: Math.max(1, Math.ceil(total / perPage)),
		authors
	};
}
