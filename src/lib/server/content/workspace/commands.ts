import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { NotFoundError, ValidationError, type FieldProblem } from '../../kernel/errors.ts';
import { readForm } from '../../kernel/input.ts';
import { authorize, authorizeOn, type Actor } from '../../kernel/policy.ts';
import { runCommand, type Change } from '../../kernel/write.ts';
import { checkTags } from '../../taxonomy/known.ts';
import { organization } from '../../organizations/schema.ts';
import { partnership } from '../../partnerships/schema.ts';
import { media } from '../../media/schema.ts';
import type { Locale } from '#lib/i18n/locales.ts';
import { article, articleRevision, type ArticleStatus } from '../schema.ts';
import { contentPolicy } from '../policy.ts';
import { replaceArticleContent } from '../import.ts';
import { embedMedia } from './embed-media.ts';
import { articleToWorkOn, readArticle } from './queries.ts';

import { readArticleForm, restoreForm, slugLeftBlank, stepForm, type ArticleContent } from './input.ts';
import { uniqueSlug } from '../../kernel/slug.ts';
import { parseScheduleTime, workflowSteps, type WorkflowStep } from './workflow.ts';
import { subquery } from '../../kernel/sql.ts';

/**
 * The workspace's writes: an article created, saved, restored from a revision, moved a step.
 * Each is one command (kernel/write.ts): its audit row, its revision and, when readers see the
 * change, the content revision go in its transaction.
 */

/** What the editor's form or a revision sends: the form as posted, or its values. */
type Raw = FormData | Record<string, unknown>;

const slugTaken = () => new ValidationError([{ field: 'slug', code: 'slugTaken' }], 'content');

/** Refuses tags, organizations and a partnership that do not exist, each on its own field. */
async function checkReferences(tx: Transaction, a: ArticleContent): Promise<Map<string, number>> {
	const tags = await checkTags(tx, a);
	const problems: FieldProblem<'content'>[] = [...tags.problems];
	const orgs = [...new Set(a.organizationIds)];
	if (orgs.length) {
		const found = await tx
			.select({ id: organization.id })
			.from(organization)
			.where(inArray(organization.id, orgs));
		if (found.length !== orgs.length)
			problems.push({ field: 'organizationIds', code: 'unknownOrganization' });
	}
	if (a.partnershipId !== null) {
		const found = await tx
			.select({ id: partnership.id })
			.from(partnership)
			.where(eq(partnership.id, a.partnershipId));
		if (!found.length) problems.push({ field: 'partnershipId', code: 'unknownPartnership' });
	}
	if (a.leadImageId) {
		const [image] = await tx
			.select({ kind: media.kind, origin: media.origin, alt: media.alt })
			.from(media)
			.where(eq(media.id, a.leadImageId));
		// The library's own pictures only, each with a description in every language the text has.
		if (!image || image.kind !== 'image' || image.origin !== 'library')
			problems.push({ field: 'leadImageId', code: 'unknownMedia' });
		else if (Object.keys(a.translations).some((lang) => !image.alt[lang]?.trim()))
			problems.push({ field: 'leadImageId', code: 'leadImageAltMissing' });
	}
	if (problems.length) throw new ValidationError(problems, 'content');
	return tags.goalOf;
}

/**
 * Writes an article's content, tags and a revision of it, inside the command's transaction.
 * Returns the audit row.
 */
async function writeContent(
	tx: Transaction,
	actor: NonNullable<Actor>,
	id: number,
	a: ArticleContent,
	action: 'create' | 'save' | 'restore'
): Promise<Change<void>['audit']> {
	const known = await checkReferences(tx, a);
	const [taken] = await tx
		.select({ id: article.id })
		.from(article)
		.where(and(eq(article.slug, a.slug), ne(article.id, id)));
	if (taken) throw slugTaken();
	const bodies = await embedMedia(
		tx,
		Object.fromEntries(Object.entries(a.translations).map(([l, t]) => [l, t!.body]))
	);
	const translations = Object.fromEntries(
		Object.entries(a.translations).map(([l, t]) => [l, { ...t!, body: bodies[l as Locale]! }])
	);
	await tx
		.update(article)
		.set({
			slug: a.slug,
			kind: a.kind,
			partnershipId: a.partnershipId,
			leadImageId: a.leadImageId ?? null,
			updatedAt: new Date()
		})
		.where(eq(article.id, id));
	await replaceArticleContent(tx, [id], [{ ...a, translations }], known);
	const snapshot: ArticleContent = { ...a, translations };
	await tx.insert(articleRevision).values({ articleId: id, actorId: actor.id, action, snapshot });
	return {
		action: `article.${action}`,
		subject: `article:${id}`,
		after: { slug: a.slug, languages: Object.keys(translations) }
	};
}

/** An article taken for a change: its row locked, and whether any revision of it exists. */
interface Locked {
	status: ArticleStatus;
	updatedAt: Date;
	/** Articles from the demo or an import have none until their first edit. */
	hasRevision: boolean;
}

/** Locks the article for the change, or says it does not exist. */
async function lockArticle(tx: Transaction, id: number): Promise<Locked> {
	const [current] = await tx
		.select({
			status: article.status,
			updatedAt: article.updatedAt,
			hasRevision: subquery<boolean>(
				sql`exists (select 1 from ${articleRevision} where ${articleRevision.articleId} = ${article.id})`
			)
		})
		.from(article)
		.where(eq(article.id, id))
		.for('update', { of: article });
	if (!current) throw new NotFoundError('article');
	return current;
}

/**
 * Before an article's first edit, keeps how it was (from the demo or an import) as a revision
 * of its own, so that it can be compared and restored like any other.
 */
async function keepFirstVersion(tx: Transaction, id: number, current: Locked): Promise<void> {
	if (current.hasRevision) return;
	const {
		id: _,
		status,
		publishedAt,
		scheduledAt,
		authorName,
		version,
		translationUpdatedAt,
		...before
	} = await readArticle(tx, id);
	await tx
		.insert(articleRevision)
		.values({ articleId: id, actorId: null, action: 'import', snapshot: before });
}

/** A new draft by the actor, from the editor's form. Returns its id. */
export async function createArticle(db: Database, actor: Actor, form: Raw): Promise<number> {
	return runCommand(db, actor, {
		rule: contentPolicy.write,
		parse: () => readArticleForm(form),
		// A slug another save took after this check (the same in the saves below): the check's answer.
		unique: { article_slug_unique: slugTaken() },
		check: async (tx, content) => {
			// An address made from the title takes the first free one (`-2`, `-3` …); a typed one is
			// the author's choice, and a taken one is said so.
			if (slugLeftBlank(form)) {
				content.slug = await uniqueSlug(content.slug, async (prefix) =>
					(
						await tx
							.select({ slug: article.slug })
							.from(article)
							.where(sql`${article.slug} like ${`${prefix}%`}`)
					).map((r) => r.slug)
				);
				return;
			}
			const [taken] = await tx.select({ id: article.id }).from(article).where(eq(article.slug, content.slug));
			if (taken) throw slugTaken();
		},
		work: async (tx, content, actor) => {
			const [row] = await tx
				.insert(article)
				.values({ slug: content.slug, kind: content.kind, status: 'draft', authorId: actor.id })
				.returning({ id: article.id });
			const audit = await writeContent(tx, actor, row!.id, content, 'create');
			return { result: row!.id, audit, public: false };
		}
	});
}

/**
 * Saves the editor's form over an article. Someone else's save since the editor opened it (the
 * form's `version`) is refused rather than silently overwritten; so is editing an article that is
 * not the actor's, or a live one without the right to publish (`contentPolicy.edit`).
 */
export async function saveArticleContent(db: Database, actor: Actor, id: number, form: Raw): Promise<void> {
	let current: Locked;
	// Asked before the form is read, and again under the row's lock (its status may have moved).
	await articleToWorkOn(db, actor, contentPolicy.edit, id);
	return runCommand(db, actor, {
		rule: contentPolicy.write,
		parse: () => readArticleForm(form, { version: true }),
		unique: { article_slug_unique: slugTaken() },
		check: async (tx, input, actor) => {
			current = await lockArticle(tx, id);
			await authorizeOn(actor, contentPolicy.edit, { db: tx, id });
			if (current.updatedAt.toISOString() !== input.version) {
				throw new ValidationError([{ field: 'version', code: 'staleEdit' }], 'content');
			}
		},
		work: async (tx, { version: _, ...content }, actor) => {
			await keepFirstVersion(tx, id, current);
			const audit = await writeContent(tx, actor, id, content, 'save');
			// A draft touches no public page: readers' caches stay.
			return { result: undefined, audit, public: current.status === 'published' };
		}
	});
}

/** Puts an earlier revision's content back (the form names it), as a new revision. */
export async function restoreRevision(
	db: Database,
	actor: Actor,
	articleId: number,
	form: Raw
): Promise<void> {
	let current: Locked;
	let snapshot: ArticleContent;
	await articleToWorkOn(db, actor, contentPolicy.edit, articleId);
	return runCommand(db, actor, {
		rule: contentPolicy.write,
		parse: () => readForm(form, restoreForm, 'content'),
		unique: { article_slug_unique: slugTaken() },
		check: async (tx, { revision }, actor) => {
			current = await lockArticle(tx, articleId);
			await authorizeOn(actor, contentPolicy.edit, { db: tx, id: articleId });
			const [found] = await tx
				.select({ snapshot: articleRevision.snapshot })
				.from(articleRevision)
				.where(and(eq(articleRevision.id, revision), eq(articleRevision.articleId, articleId)));
			if (!found) throw new NotFoundError('revision');
			snapshot = found.snapshot as ArticleContent;
		},
		work: async (tx, _input, actor) => {
			await keepFirstVersion(tx, articleId, current);
			const audit = await writeContent(tx, actor, articleId, snapshot, 'restore');
			return { result: undefined, audit, public: current.status === 'published' };
		}
	});
}

/**
 * Moves an article one step of the workflow (the form names the step, and the time for
 * `schedule`). Publishing shows it at once everywhere: the content revision is raised in the same
 * transaction, which every cache keys on. Returns the new status. An author moves only an article
 * they may edit (their own, or shared with them); editors any.
 */
export async function takeStep(db: Database, actor: Actor, id: number, form: Raw): Promise<ArticleStatus> {
	await articleToWorkOn(db, actor, contentPolicy.edit, id);
	return runCommand(db, actor, {
		// Staff take steps; which steps is the step's own rule, asked once the step is known.
		rule: contentPolicy.write,
		parse: () => {
			const input = readForm(form, stepForm, 'content');
			const name: WorkflowStep = input.step;
			authorize(actor, workflowSteps[name].rule);
			return { name, at: name === 'schedule' ? parseScheduleTime(input.scheduledAt ?? '') : null };
		},
		work: async (tx, { name, at }, who) => {
			const step = workflowSteps[name];
			const [current] = await tx
				.select({ status: article.status, publishedAt: article.publishedAt, slug: article.slug })
				.from(article)
				.where(eq(article.id, id))
				.for('update');
			if (!current) throw new NotFoundError('article');
			await authorizeOn(who, contentPolicy.edit, { db: tx, id });
			if (!(step.from as readonly ArticleStatus[]).includes(current.status)) {
				throw new ValidationError([{ field: 'status', code: 'invalidTransition' }], 'content');
			}
			await tx
				.update(article)
				.set({
					status: step.to,
					scheduledAt: at,
					// The first publication date stays when an article is republished.
					publishedAt: name === 'publish' ? (current.publishedAt ?? new Date()) : current.publishedAt
				})
				.where(eq(article.id, id));
			return {
				result: step.to,
				audit: {
					action: `article.${name}`,
					subject: `article:${id}`,
					before: { status: current.status },
					after: { status: step.to, slug: current.slug, ...(at ? { scheduledAt: at.toISOString() } : {}) }
				},
				// Only a step into or out of "published" changes what readers see.
				public: current.status === 'published' || step.to === 'published'
			};
		}
	});
}
