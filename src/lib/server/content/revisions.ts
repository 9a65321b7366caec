import { and, desc, eq, inArray } from 'drizzle-orm';
import { diffWords } from 'diff';
import type { Database } from '../kernel/database.ts';
import { NotFoundError } from '../kernel/errors.ts';
import { authorize, type Actor } from '../kernel/policy.ts';
import { user } from '../accounts/schema.ts';
import { locales } from '#lib/i18n/locales.ts';
import { articleRevision } from './schema.ts';
import { richTextToPlain } from '../kernel/sanitize.ts';
import type { ArticleSnapshot } from './editing.ts';
import { contentPolicy } from './policy.ts';

export interface RevisionSummary {
	id: number;
	at: string;
	action: string;
	/** Null when the account was deleted. */
	actorName: string | null;
}

/** An article's revisions, newest first. */
export async function listRevisions(
	db: Database,
	actor: Actor,
	articleId: number
): Promise<RevisionSummary[]> {
	authorize(actor, contentPolicy.write);
	const list = await db
		.select({
			id: articleRevision.id,
			at: articleRevision.at,
			action: articleRevision.action,
			actorName: user.name
		})
		.from(articleRevision)
		.leftJoin(user, eq(user.id, articleRevision.actorId))
		.where(eq(articleRevision.articleId, articleId))
		.orderBy(desc(articleRevision.id))
		.limit(200);
	return list.map((r) => ({ ...r, at: r.at.toISOString() }));
}

/** A piece of a diff: unchanged, added or removed text. */
export interface DiffPart {
	change: 'same' | 'added' | 'removed';
	text: string;
}

export interface FieldDiff {
	/** A message key under `fields` ("title", "themes" …). */
	field: string;
	lang?: string;
	parts: DiffPart[];
}

function textDiff(before: string, after: string): DiffPart[] {
	return diffWords(before, after).map((c) => ({
		change: c.added ? 'added' : c.removed ? 'removed' : 'same',
		text: c.value
	}));
}

function listDiff(before: readonly (string | number)[], after: readonly (string | number)[]): DiffPart[] {
	const a = before.map(String);
	const b = after.map(String);
	return [
		...b.map((v) => ({ change: a.includes(v) ? 'same' : 'added', text: `${v} ` }) as DiffPart),
		...a.filter((v) => !b.includes(v)).map((v) => ({ change: 'removed', text: `${v} ` }) as DiffPart)
	];
}

/**
 * What changed between two revisions of one article, field by field, readable as text: the body
 * is compared as plain text (a paragraph a line), tags as lists. Unchanged fields are left out.
 */
export async function diffRevisions(
	db: Database,
	actor: Actor,
	articleId: number,
	fromId: number,
	toId: number
): Promise<FieldDiff[]> {
	authorize(actor, contentPolicy.write);
	const found = await db
		.select({ id: articleRevision.id, snapshot: articleRevision.snapshot })
		.from(articleRevision)
		.where(and(eq(articleRevision.articleId, articleId), inArray(articleRevision.id, [fromId, toId])));
	const from = found.find((r) => r.id === fromId)?.snapshot as ArticleSnapshot | undefined;
	const to = found.find((r) => r.id === toId)?.snapshot as ArticleSnapshot | undefined;
	if (!from || !to) throw new NotFoundError('revision');

	const diffs: FieldDiff[] = [];
	const changed = (parts: DiffPart[]) => parts.some((p) => p.change !== 'same');
	const push = (d: FieldDiff) => changed(d.parts) && diffs.push(d);
	push({ field: 'slug', parts: textDiff(from.slug, to.slug) });
	push({ field: 'kind', parts: textDiff(from.kind, to.kind) });
	for (const lang of locales) {
		const a = from.translations[lang];
		const b = to.translations[lang];
		if (!a && !b) continue;
		push({ field: 'title', lang, parts: textDiff(a?.title ?? '', b?.title ?? '') });
		push({ field: 'teaser', lang, parts: textDiff(a?.teaser ?? '', b?.teaser ?? '') });
		push({
			field: 'body',
			lang,
			parts: textDiff(richTextToPlain(a?.body ?? ''), richTextToPlain(b?.body ?? ''))
		});
	}
	push({ field: 'themes', parts: listDiff(from.themes, to.themes) });
	push({ field: 'goals', parts: listDiff(from.goals, to.goals) });
	push({ field: 'targets', parts: listDiff(from.targets, to.targets) });
	push({ field: 'countries', parts: listDiff(from.countries, to.countries) });
	push({ field: 'organizations', parts: listDiff(from.organizationIds, to.organizationIds) });
	push({
		field: 'partnership',
		parts: listDiff(
			from.partnershipId === null ? [] : [from.partnershipId],
			to.partnershipId === null ? [] : [to.partnershipId]
		)
	});
	return diffs;
}
