import { eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { Database } from '../db/index.ts';
import { contentChanged } from '../core/content-version.ts';
import { ValidationError } from '../core/errors.ts';
import { sdgTarget } from '../sdg/schema.ts';
import {
	article,
	articleCountry,
	articleGoal,
	articleOrganization,
	articleTarget,
	articleTheme,
	articleTranslation
} from './schema.ts';
import { articleInputSchema } from './validation.ts';
import { sanitizeRichText } from './sanitize.ts';

export type ArticleInput = z.input<typeof articleInputSchema>;

/**
 * Creates or replaces an article (by slug) with its translations and tags, in one transaction.
 * A target implies its goal, so filtering by goal 16 finds an article tagged only with 16.7.
 */
export async function saveArticle(db: Database, input: ArticleInput): Promise<number> {
	const parsed = articleInputSchema.safeParse(input);
	if (!parsed.success) {
		throw new ValidationError(
			parsed.error.issues.map((i) => ({ field: i.path.join('.'), code: 'invalidArticle' as const }))
		);
	}
	const a = parsed.data;
	const id = await db.transaction(async (tx) => {
		const known = a.targets.length
			? await tx.select({ code: sdgTarget.code, goal: sdgTarget.goal }).from(sdgTarget).where(inArray(sdgTarget.code, a.targets))
			: [];
		if (known.length !== new Set(a.targets).size) {
			throw new ValidationError([{ field: 'targets', code: 'unknownTarget' }]);
		}
		const goals = [...new Set([...a.goals, ...known.map((t) => t.goal)])];
		const values = {
			slug: a.slug,
			kind: a.kind,
			status: a.status,
			publishedAt: a.publishedAt,
			partnershipId: a.partnershipId,
			updatedAt: new Date()
		};
		const [row] = await tx
			.insert(article)
			.values(values)
			.onConflictDoUpdate({ target: article.slug, set: values })
			.returning({ id: article.id });
		const articleId = row!.id;
		for (const table of [articleTranslation, articleTheme, articleGoal, articleTarget, articleCountry, articleOrganization]) {
			await tx.delete(table).where(eq(table.articleId, articleId));
		}
		const translations = Object.entries(a.translations).map(([lang, t]) => ({
			articleId,
			lang,
			title: t!.title,
			teaser: t!.teaser,
			body: sanitizeRichText(t!.body)
		}));
		if (translations.length) await tx.insert(articleTranslation).values(translations);
		const themes = [...new Set(a.themes)];
		if (themes.length)
			await tx.insert(articleTheme).values(themes.map((themeKey, position) => ({ articleId, themeKey, position })));
		if (goals.length) await tx.insert(articleGoal).values(goals.map((goal) => ({ articleId, goal })));
		if (known.length)
			await tx.insert(articleTarget).values(known.map((t) => ({ articleId, target: t.code })));
		const countries = [...new Set(a.countries)];
		if (countries.length)
			await tx.insert(articleCountry).values(countries.map((country) => ({ articleId, country })));
		const orgs = [...new Set(a.organizationIds)];
		if (orgs.length)
			await tx.insert(articleOrganization).values(orgs.map((organizationId) => ({ articleId, organizationId })));
		return articleId;
	});
	contentChanged();
	return id;
}
