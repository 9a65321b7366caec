import { and, asc, eq, max } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { ForbiddenError, ValidationError, type ErrorCode } from '../../kernel/errors.ts';
import { fields, readForm, requiredLine } from '../../kernel/input.ts';
import { pick, type LocalizedText } from '../../kernel/localized.ts';
import { authorizeOn, mayOn, type Actor } from '../../kernel/policy.ts';
import { runCommand } from '../../kernel/write.ts';
import { media } from '../../media/schema.ts';
import { documentHref, imageSrc, pickWidth } from '#lib/media-urls.ts';
import { resultsPolicy } from '../policy.ts';
import { annualReport, reportAttachment, type ReportStatus } from './schema.ts';
import { editable } from './workflow.ts';
import { partnershipBySlug } from './queries.ts';

// The yearly report's attachments: files (a PDF, or an image) the partnership adds to its report,
// each with a title. Each file is a row of the media library kept out of the staff's list and
// the article editor (origin 'report'); the app (app/report-attachments.ts) stores it and attaches
// it in one transaction, and takes it out of the library when it is removed. They change with the
// report's texts: only its writers, only while it is a draft or returned. Who may fetch one is the
// report's to say (`attachmentAccess`): everyone once it is approved (an approved report is public),
// else those who may read it.
//
// The title is the attachment's (report_attachment.title), in the language it was written in.

type Raw = FormData | Record<string, unknown>;
type Db = Database | Transaction;

/** A title is a heading in a list, not a description. */
export const attachmentTitleMax = 200;

/**
 * Adding an attachment: the file and its title. (Not `file` and `title`: the results module's
 * field names are one list, and `file` there is the IATI import's.)
 */
export const attachForm = { attachment: fields.file, attachmentTitle: requiredLine(attachmentTitleMax) };

/** Removing one: the library row it is. */
export const removeAttachmentForm = { attachment: fields.id };

const problem = (field: string, code: ErrorCode<'results'>) =>
	new ValidationError<'results'>([{ field, code }], 'results');

/**
 * The report whose attachments this person wants to change, if they may now: one of its writers
 * (a coordinator of the partnership, or staff who may write it), while it is a draft or returned.
 * Who may is asked before whether there is a report, so a stranger learns nothing of it. With
 * `lock`, the report's row is held until the transaction ends: a submission waits for the change,
 * or the change sees the submission.
 */
export async function reportOpenForAttachments(
	db: Db,
	actor: Actor,
	slug: string,
	year: number,
	lock = false
): Promise<{ id: number; partnershipId: number }> {
	const p = await partnershipBySlug(db, slug);
	await authorizeOn(actor, resultsPolicy.writeReport, { db, id: p.id });
	const query = db
		.select({ id: annualReport.id, status: annualReport.status })
		.from(annualReport)
		.where(and(eq(annualReport.partnershipId, p.id), eq(annualReport.year, year)));
	const [row] = lock ? await query.for('update') : await query;
	if (!row) throw problem('form', 'reportNotStarted');
	if (!editable(row.status)) throw problem('form', 'reportNotEditable');
	return { id: row.id, partnershipId: p.id };
}

/**
 * Attaches a file the actor has just put into the library for this report (the app's upload, in
 * its transaction); audited. Only a file of their own made for a report will do: nobody attaches
 * the library's files or another report's this way.
 */
export async function attachToReport(
	db: Db,
	actor: Actor,
	slug: string,
	year: number,
	input: { mediaId: number; title: LocalizedText }
): Promise<void> {
	await runCommand(db, actor, {
		rule: resultsPolicy.workOnReport,
		parse: () => input,
		work: async (tx, { mediaId, title }, who) => {
			const report = await reportOpenForAttachments(tx, who, slug, year, true);
			const [file] = await tx
				.select({ origin: media.origin, createdBy: media.createdBy, fileName: media.fileName })
				.from(media)
				.where(eq(media.id, mediaId));
			if (!file || file.origin !== 'report' || file.createdBy !== who.id) throw new ForbiddenError();
			const [last] = await tx
				.select({ position: max(reportAttachment.position) })
				.from(reportAttachment)
				.where(eq(reportAttachment.reportId, report.id));
			await tx
				.insert(reportAttachment)
				.values({ reportId: report.id, mediaId, title, position: (last?.position ?? -1) + 1 });
			return {
				result: undefined,
				audit: {
					action: 'results.report-attachment-added',
					subject: `report:${report.id}`,
					after: { year, mediaId, fileName: file.fileName }
				},
				// A draft or a returned report is nobody's but the partnership's and the staff's.
				public: false
			};
		}
	});
}

/**
 * Takes an attachment off the report (in the app's transaction, which then takes its file out of
 * the library); audited. Gives the library row that was attached.
 */
export async function detachFromReport(
	db: Db,
	actor: Actor,
	slug: string,
	year: number,
	raw: Raw
): Promise<number> {
	// Who may, before what the form says: a reader with a bad form is refused, not corrected.
	await reportOpenForAttachments(db, actor, slug, year);
	return runCommand(db, actor, {
		rule: resultsPolicy.workOnReport,
		parse: () => readForm(raw, removeAttachmentForm, 'results'),
		work: async (tx, { attachment: mediaId }, who) => {
			const report = await reportOpenForAttachments(tx, who, slug, year, true);
			const [removed] = await tx
				.delete(reportAttachment)
				.where(and(eq(reportAttachment.reportId, report.id), eq(reportAttachment.mediaId, mediaId)))
				.returning({ mediaId: reportAttachment.mediaId });
			if (!removed) throw problem('attachment', 'unknownAttachment');
			return {
				result: removed.mediaId,
				audit: {
					action: 'results.report-attachment-removed',
					subject: `report:${report.id}`,
					after: { year, mediaId }
				},
				public: false
			};
		}
	});
}

/** One attachment as the report's page lists it. */
export interface AttachmentRow {
	mediaId: number;
	title: string;
	kind: 'document' | 'image';
	/** Where it is fetched: the PDF under its name, or the image's widest version. */
	href: string;
	/** A PDF's size in bytes; an image's width and height (what is served is made from it). */
	bytes: number;
	width: number | null;
	height: number | null;
}

/** The attachments of a report, in the order they were added. */
export async function attachmentsOf(db: Db, reportId: number, locale: string): Promise<AttachmentRow[]> {
	const rows = await db
		.select({
			mediaId: media.id,
			kind: media.kind,
			storageKey: media.storageKey,
			fileName: media.fileName,
			title: reportAttachment.title,
			bytes: media.bytes,
			width: media.width,
			height: media.height,
			variants: media.variants
		})
		.from(reportAttachment)
		.innerJoin(media, eq(media.id, reportAttachment.mediaId))
		.where(eq(reportAttachment.reportId, reportId))
		.orderBy(asc(reportAttachment.position), asc(reportAttachment.mediaId));
	return rows.map((r) => {
		const widest = r.kind === 'image' ? pickWidth(r.variants, Number.MAX_SAFE_INTEGER) : undefined;
		return {
			mediaId: r.mediaId,
			title: pick(r.title, locale) || r.fileName,
			kind: r.kind,
			href: widest === undefined ? documentHref(r.storageKey, r.fileName) : imageSrc(r.storageKey, widest),
			bytes: r.bytes,
			width: r.width,
			height: r.height
		};
	});
}

/**
 * A year's attachments as its page shows them, and whether this person may change them now. The
 * same people see them as see the report: everyone once it is approved, else its readers.
 */
export async function reportAttachmentsView(
	db: Database,
	actor: Actor,
	locale: string,
	slug: string,
	year: number
): Promise<{ items: AttachmentRow[]; canChange: boolean }> {
	const p = await partnershipBySlug(db, slug);
	const [report] = await db
		.select({ id: annualReport.id, status: annualReport.status })
		.from(annualReport)
		.where(and(eq(annualReport.partnershipId, p.id), eq(annualReport.year, year)));
	if (!report) return { items: [], canChange: false };
	const subject = { db, id: p.id };
	if (report.status !== 'approved' && !(await mayOn(actor, resultsPolicy.readReport, subject)))
		throw new ForbiddenError(actor === null);
	const canChange = editable(report.status) && (await mayOn(actor, resultsPolicy.writeReport, subject));
	return { items: await attachmentsOf(db, report.id, locale), canChange };
}

/**
 * `none`: the file is no report's attachment (the library's own rules). `public`: its report is
 * approved, so everyone may fetch it. `allowed`: not public, but this viewer may read the report.
 * `refused`: not for this viewer.
 */
export type AttachmentAccess = 'none' | 'public' | 'allowed' | 'refused';

/**
 * Whether a library row is a report's attachment and who may fetch it now. The viewer is asked
 * for (a session read) only when the report is not approved.
 */
export async function attachmentAccess(
	db: Database,
	mediaId: number,
	viewer: () => Promise<Actor>
): Promise<AttachmentAccess> {
	const rows: { partnershipId: number; status: ReportStatus }[] = await db
		.select({ partnershipId: annualReport.partnershipId, status: annualReport.status })
		.from(reportAttachment)
		.innerJoin(annualReport, eq(annualReport.id, reportAttachment.reportId))
		.where(eq(reportAttachment.mediaId, mediaId));
	if (!rows.length) return 'none';
	const closed = rows.filter((r) => r.status !== 'approved');
	if (!closed.length) return 'public';
	const actor = await viewer();
	for (const r of closed) {
		if (!(await mayOn(actor, resultsPolicy.readReport, { db, id: r.partnershipId }))) return 'refused';
	}
	return 'allowed';
}
