import { readFileSync } from 'node:fs';
import type { Database } from '../kernel/database.ts';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { auditLog } from '../kernel/schema.ts';
import { runSystemChange } from '../kernel/write.ts';
import { proposal } from '../dialogue/schema.ts';
import { recordProposalEvents } from '../dialogue/proposals/commands.ts';
import { partnership } from '../partnerships/schema.ts';
import { result, resultProposal } from '../results/schema.ts';
import { newsOf } from './result-proposals.ts';
import { addToLibrary } from '../media/commands.ts';
import type { MediaStore } from '../media/store.ts';
import {
	attachDocument,
	demoPartnershipsWithoutImage,
	missingDemoDocuments,
	setDemoPartnershipImage
} from '../partnerships/demo.ts';
import {
	appendToDemoArticle,
	demoArticlesWithoutImage,
	demoReportArticle,
	setDemoArticleImage
} from '../content/demo.ts';
import { article, articleTranslation } from '../content/schema.ts';
import { dataPath, readDataFile } from '../kernel/data-files.ts';
import { documentHref } from '#lib/media-urls.ts';

/**
 * What the demo needs of two modules at once: each demo partnership's example PDF goes into the
 * media library and onto the partnership, in one change. Returns how many were added.
 */
export async function addDemoDocuments(db: Database, store: MediaStore): Promise<number> {
	const missing = await missingDemoDocuments(db);
	for (const doc of missing) {
		await runSystemChange(db, async (tx) => {
			const item = await addToLibrary(tx, store, null, {
				bytes: readFileSync(doc.file),
				fileName: `${doc.slug}.pdf`,
				alt: {}
			});
			await attachDocument(tx, doc.partnershipId, item.id, doc.title);
			return {
				result: item.id,
				audit: {
					action: 'partnership.document.demo',
					subject: `partnership:${doc.partnershipId}`,
					after: { mediaId: item.id }
				},
				public: true
			};
		});
	}
	return missing.length;
}

/** How the results report article introduces the demo's generated summary, per language. */
const summaryParagraph = {
	sv: (href: string) =>
		`<h2>Bilaga till demon</h2><p>Till den här demoversionen hör också <a href="${href}">Resultat i demopartnerskapen</a>: en sammanställning av de fyra demopartnerskapens indikatorer och årsrapporter, gjord av plattformens demodata. Siffrorna i den är påhittade, och den är inte IQA-rapporten.</p>`,
	en: (href: string) =>
		`<h2>Attached to the demo</h2><p>This demo also comes with <a href="${href}">Results in the demo partnerships</a>: a summary of the four demo partnerships' indicators and yearly reports, made from the platform's demo data. Its figures are invented, and it is not the IQA report.</p>`
};

/**
 * Attaches the generated summary of the demo partnerships' results (data/demo/documents,
 * `npm run demo:documents`) to the demo's results report article, a PDF per language through
 * the media library, once: only while the article's texts link no library file yet.
 */
export async function addDemoReportSummary(db: Database, store: MediaStore): Promise<boolean> {
	const waiting = await db
		.select({ lang: articleTranslation.lang, body: articleTranslation.body })
		.from(articleTranslation)
		.innerJoin(article, eq(article.id, articleTranslation.articleId))
		.where(eq(article.slug, demoReportArticle));
	if (!waiting.length || waiting.every((t) => t.body.includes('href="/media/'))) return false;
	return runSystemChange(db, async (tx) => {
		const paragraphs: Record<string, string> = {};
		for (const lang of ['sv', 'en'] as const) {
			const fileName = `programme-results.${lang}.pdf`;
			const item = await addToLibrary(tx, store, null, {
				bytes: readFileSync(dataPath('demo', 'documents', fileName)),
				fileName,
				alt: {}
			});
			paragraphs[lang] = summaryParagraph[lang](documentHref(item.storageKey, item.fileName));
		}
		const changed = await appendToDemoArticle(tx, demoReportArticle, paragraphs);
		return {
			result: changed,
			audit: { action: 'article.demo-attachment', subject: `article:${demoReportArticle}`, after: {} },
			public: true
		};
	});
}

interface DemoPicture {
	slug: string;
	kind: 'article' | 'partnership';
	file: string;
	alt: Record<string, string>;
}

/**
 * Gives each demo article and partnership its lead image (data/demo/illustrations, drawn for the
 * project by `npm run demo:illustrations`): through the media library like an upload, with its
 * description in both languages, once (never again after an editor takes it away), and only
 * where none was chosen. Returns how many.
 */
export async function addDemoIllustrations(db: Database, store: MediaStore): Promise<number> {
	const { pictures } = readDataFile<{ pictures: DemoPicture[] }>(
		'demo',
		'illustrations',
		'illustrations.json'
	);
	const of = (kind: DemoPicture['kind']) => pictures.filter((p) => p.kind === kind).map((p) => p.slug);
	const without = [
		...(await demoArticlesWithoutImage(db, of('article'))).map((slug) => `article:${slug}`),
		...(await demoPartnershipsWithoutImage(db, of('partnership'))).map((slug) => `partnership:${slug}`)
	];
	if (!without.length) return 0;
	// Once: a picture an editor took away is not brought back (the audit log remembers it was given).
	const given = await db
		.select({ subject: auditLog.subject })
		.from(auditLog)
		.where(
			and(
				inArray(auditLog.action, ['article.demo-image', 'partnership.demo-image']),
				inArray(auditLog.subject, without)
			)
		);
	const done = new Set(given.map((g) => g.subject));
	const waiting = new Set(without.filter((subject) => !done.has(subject)));
	let added = 0;
	for (const picture of pictures.filter((p) => waiting.has(`${p.kind}:${p.slug}`))) {
		await runSystemChange(db, async (tx) => {
			const item = await addToLibrary(tx, store, null, {
				bytes: readFileSync(dataPath('demo', 'illustrations', picture.file)),
				fileName: picture.file,
				alt: picture.alt
			});
			const set = picture.kind === 'article' ? setDemoArticleImage : setDemoPartnershipImage;
			await set(tx, picture.slug, item.id);
			added++;
			return {
				result: item.id,
				audit: {
					action: `${picture.kind}.demo-image`,
					subject: `${picture.kind}:${picture.slug}`,
					after: { mediaId: item.id }
				},
				public: true
			};
		});
	}
	return added;
}

/** The demo's proposal that led to a result: Ale's youth council, taken up by Ale–Ghanzi. */
const demoLink = {
	proposal: 'Ett ungdomsråd med egen budget',
	partnership: 'ale-ghanzi',
	result: 'Meetings at times and places that suit young and working residents'
};

/**
 * Closes the loop once in the demo: a citizens' proposal linked to a partnership's result that is
 * now in progress, so both pages show it. Only if both are there and not yet linked.
 */
export async function linkDemoProposal(db: Database): Promise<boolean> {
	return runSystemChange(db, async (tx) => {
		const [found] = await tx
			.select({ id: proposal.id })
			.from(proposal)
			.where(eq(proposal.title, demoLink.proposal))
			.limit(1);
		const [target] = await tx
			.select({ id: result.id, title: result.title })
			.from(result)
			.innerJoin(partnership, eq(partnership.id, result.partnershipId))
			.where(
				and(eq(partnership.slug, demoLink.partnership), sql`${result.title}->>'en' = ${demoLink.result}`)
			)
			.limit(1);
		if (!found || !target) return { result: false, audit: [], public: false };
		const made = await tx
			.insert(resultProposal)
			.values({ resultId: target.id, proposalId: found.id })
			.onConflictDoNothing()
			.returning({ id: resultProposal.proposalId });
		if (!made.length) return { result: false, audit: [], public: false };
		await recordProposalEvents(
			tx,
			[found.id],
			'result-linked',
			newsOf(target, 'planned', demoLink.partnership),
			null
		);
		await tx.update(result).set({ status: 'in-progress' }).where(eq(result.id, target.id));
		await recordProposalEvents(
			tx,
			[found.id],
			'result-status',
			newsOf(target, 'in-progress', demoLink.partnership),
			null
		);
		return {
			result: true,
			audit: { action: 'demo.linkProposal', subject: `result:${target.id}`, after: { proposal: found.id } },
			public: true
		};
	});
}
