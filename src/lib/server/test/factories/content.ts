import { randomUUID } from 'node:crypto';
import type { Database } from '../../kernel/database.ts';
import { saveArticle, type ArticleInput } from '../../content/import.ts';

/** An article a test made: its id and address. */
export interface TestArticle {
	id: number;
	slug: string;
}

/**
 * An article in the bank, through the bulk path (as the demo loads them): a draft in Swedish and
 * English tagged with participation and 16.7 in Sweden, unless told otherwise. A published one is
 * dated a minute ago. Each call makes a new one: `const a = await anArticle(db, { status: 'published' })`.
 */
export async function anArticle(db: Database, options: Partial<ArticleInput> = {}): Promise<TestArticle> {
	const tag = randomUUID().slice(0, 8);
	const status = options.status ?? 'draft';
	const input: ArticleInput = {
		slug: `artikel-${tag}`,
		kind: 'method',
		status,
		publishedAt: status === 'published' ? new Date(Date.now() - 60_000) : null,
		themes: ['participation'],
		goals: [],
		targets: ['16.7'],
		countries: ['SE'],
		organizationIds: [],
		partnershipId: null,
		translations: {
			sv: { title: `Artikel ${tag}`, teaser: 'En ingress om artikeln.', body: '<p>En text.</p>' },
			en: { title: `Article ${tag}`, teaser: 'A teaser about the article.', body: '<p>A text.</p>' }
		},
		...options
	};
	return { id: await saveArticle(db, input), slug: input.slug };
}

/** A form as a browser posts it: each field once, a list field once per value. */
export function aForm(fields: Record<string, string | readonly string[]>): FormData {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) {
		for (const v of typeof value === 'string' ? [value] : value) form.append(name, v);
	}
	return form;
}
