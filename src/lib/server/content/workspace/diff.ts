import { diffWords } from 'diff';
import { richTextToPlain } from '../../kernel/sanitize.ts';
import { locales } from '#lib/i18n/locales.ts';
import type { ArticleContent } from './input.ts';

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
 * What changed between two saved versions of an article, field by field, readable as text: the
 * body is compared as plain text (a paragraph a line), tags as lists. Unchanged fields are left out.
 */
export function diffSnapshots(
	from: ArticleContent,
	to: ArticleContent,
	/** A lead image by name (its file's), where the caller knows it; else its number. */
	imageName: (id: number) => string = String
): FieldDiff[] {
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
	const image = (c: ArticleContent) => (c.leadImageId ? [imageName(c.leadImageId)] : []);
	push({ field: 'leadImageId', parts: listDiff(image(from), image(to)) });
	return diffs;
}
