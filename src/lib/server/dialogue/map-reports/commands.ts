import { and, eq } from 'drizzle-orm';
import { format, isLocale, localizePath, messages } from '#lib/i18n/index.ts';
import type { Database, Transaction } from '../../kernel/database.ts';
import { config } from '../../kernel/config.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { authorize, authorizeOn, type Actor } from '../../kernel/policy.ts';
import { enqueueMail } from '../../kernel/outbox.ts';
import { readForm } from '../../kernel/input.ts';
import { pick } from '../../kernel/localized.ts';
import { runCommand } from '../../kernel/write.ts';
import { user } from '../../accounts/schema.ts';
import { mapReport, mapReportEvent, mapReportFollow, reportSteps, type ReportStatus } from '../schema.ts';
import { dialoguePolicy } from '../policy.ts';
import { returnAllowance, takeAllowance } from '../proposals/limits.ts';
import type { PhotoPipeline } from '../proposals/photos.ts';
import type { Refusal } from '../participation.ts';
import { readReportForm, statusShape } from './input.ts';
import { inBox, nearestDistrict, publicPoint } from './place.ts';
import { reportRefusal, reportSpace, type ReportSpace } from './queries.ts';

// Reports on a map: a resident reports (public at once, or after review as the space says), the
// space's team takes it through its statuses, each step with a public note the reporter is mailed.
// A report carries the id the phone made for it: sent twice (a retry on a bad connection), it is
// stored once and the second sending is told which report it became. Dialogue writes leave the
// content revision alone: dialogue pages are never in the render cache.

const refusalCodes = {
	signIn: null,
	spaceClosed: 'reportSpaceClosed',
	notOpen: 'reportsNotOpen',
	blocked: 'proposalBlocked',
	residentsOnly: 'proposalResidentsOnly'
} as const satisfies Record<Exclude<Refusal, 'unverifiedEmail'>, string | null>;

/** The report this sending became, and whether an earlier sending had stored it already. */
export interface SubmitReportResult {
	id: number;
	repeated: boolean;
}

/**
 * A sending that lost the race to an earlier one with the same phone id: its transaction is
 * rolled back (a photo's row with it), and it answers with the report the earlier one stored.
 */
export class RepeatedSending extends Error {
	readonly id: number;
	constructor(id: number) {
		super('The report was sent before');
		this.name = 'RepeatedSending';
		this.id = id;
	}
}

/** The report an earlier sending of the same phone id stored, if it was this reporter's. */
async function earlierSending(
	db: Database | Transaction,
	spaceId: number,
	clientId: string | undefined,
	authorId: string
): Promise<SubmitReportResult | null> {
	if (!clientId) return null;
	const [found] = await db
		.select({ id: mapReport.id, authorId: mapReport.authorId })
		.from(mapReport)
		.where(and(eq(mapReport.spaceId, spaceId), eq(mapReport.clientId, clientId)));
	if (!found) return null;
	// Another person's id (never made by a phone of ours): refused rather than pointing at their report.
	if (found.authorId !== authorId)
		throw new ValidationError([{ field: 'form', code: 'invalid' }], 'dialogue');
	return { id: found.id, repeated: true };
}

/** Where the report is, checked against the space: its category, box and districts. */
export function placeOf(space: ReportSpace, input: ReturnType<typeof readReportForm>) {
	const category = space.categories.find((c) => c.key === input.reportCategory);
	const problems: {
		field: string;
		code: 'reportCategoryMissing' | 'reportPointOutside' | 'reportDistrictUnknown';
	}[] = [];
	if (!category) problems.push({ field: 'reportCategory', code: 'reportCategoryMissing' });
	const point = input.reportLat !== undefined && input.reportLon !== undefined;
	if (point && !inBox(space.bbox, input.reportLat!, input.reportLon!)) {
		problems.push({ field: 'reportLat', code: 'reportPointOutside' });
	}
	const named = input.reportDistrict
		? space.districts.find((d) => d.name.toLowerCase() === input.reportDistrict!.toLowerCase())
		: undefined;
	if (input.reportDistrict && space.districts.length && !named) {
		problems.push({ field: 'reportDistrict', code: 'reportDistrictUnknown' });
	}
	if (problems.length) throw new ValidationError(problems, 'dialogue');
	const lat = point ? input.reportLat! : null;
	const lon = point ? input.reportLon! : null;
	const district =
		named?.name ?? input.reportDistrict ?? (point ? nearestDistrict(space.districts, lat!, lon!) : null);
	const precision = input.reportPrecision;
	const shown = publicPoint(space, { lat, lon, district, precision });
	return { categoryId: category!.id, lat, lon, district, precision, shown };
}

/** A new report's row as the space and the place make it (who sent it is the caller's to add). */
export function reportRow(
	space: ReportSpace,
	place: ReturnType<typeof placeOf>,
	input: Pick<ReturnType<typeof readReportForm>, 'reportDescription' | 'reportPlace'>,
	language: string
) {
	return {
		spaceId: space.id,
		categoryId: place.categoryId,
		description: input.reportDescription,
		language,
		placeText: input.reportPlace ?? null,
		district: place.district,
		precision: place.precision,
		lat: place.lat,
		lon: place.lon,
		publicLat: place.shown?.lat ?? null,
		publicLon: place.shown?.lon ?? null,
		public: !space.review
	};
}

/**
 * A resident reports something at a place. Public at once where the space does not review
 * reports; otherwise the team sees it first. A repeated sending (the same phone id) stores
 * nothing and answers with the report it became.
 */
export async function submitReport(
	db: Database,
	actor: Actor,
	slug: string,
	form: FormData | Record<string, unknown>,
	options: { ip?: string | null; locale: string; photos?: PhotoPipeline }
): Promise<SubmitReportResult> {
	authorize(actor, dialoguePolicy.participate);
	const input = readReportForm(form);
	const space = await reportSpace(db, slug, options.locale);
	const earlier = await earlierSending(db, space.id, input.clientId, actor.id);
	if (earlier) return earlier;
	const refusal = await reportRefusal(db, actor, space);
	if (refusal === 'signIn') throw new ForbiddenError(true);
	if (refusal) throw new ValidationError([{ field: 'form', code: refusalCodes[refusal] }], 'dialogue');
	const place = placeOf(space, input);
	const withPhoto = !!input.reportPhoto && space.askPhoto;
	await takeAllowance(db, 'reports', actor.id, options.ip);
	const taken: ('reports' | 'photos')[] = ['reports'];
	try {
		if (withPhoto) {
			await takeAllowance(db, 'photos', actor.id, options.ip);
			taken.push('photos');
		}
		// Decoded and stored before the transaction (a slow decode holds none); its row is written in it.
		let photo: ((tx: Transaction) => Promise<number>) | null = null;
		if (withPhoto) {
			if (!options.photos) throw new Error('A report photo needs the media pipeline (app/report-photos.ts)');
			photo = await options.photos.prepare(actor, {
				file: input.reportPhoto!,
				alt: input.reportPhotoAlt ?? '',
				language: options.locale
			});
		}
		return await runCommand(db, actor, {
			rule: dialoguePolicy.participate,
			parse: () => input,
			work: async (tx, input) => {
				const mediaId = photo ? await photo(tx) : null;
				const [row] = await tx
					.insert(mapReport)
					.values({
						...reportRow(space, place, input, options.locale),
						authorId: actor.id,
						clientId: input.clientId ?? null,
						mediaId
					})
					.onConflictDoNothing()
					.returning({ id: mapReport.id });
				// The same phone id stored by a sending that ran at the same moment: that one stands.
				if (!row) {
					const again = await earlierSending(tx, space.id, input.clientId, actor.id);
					if (!again) throw new Error('A report conflicted without an earlier sending');
					throw new RepeatedSending(again.id);
				}
				await tx.insert(mapReportEvent).values({ reportId: row.id, status: 'new', actorId: actor.id });
				return {
					result: { id: row.id, repeated: false },
					audit: {
						action: 'report.submit',
						subject: `map-report:${row.id}`,
						after: { spaceId: space.id, categoryId: place.categoryId, public: !space.review },
						ip: options.ip ?? null
					},
					public: false
				};
			}
		});
	} catch (e) {
		// Refused after the allowance was taken (a photo the pipeline refused), or sent before:
		// nothing was stored.
		if (e instanceof ValidationError || e instanceof RepeatedSending) {
			for (const kind of taken) await returnAllowance(db, kind, actor.id, options.ip);
		}
		// A stored photo's files are the pipeline's to remove (app/report-photos.ts answers then).
		if (e instanceof RepeatedSending && !withPhoto) return { id: e.id, repeated: true };
		throw e;
	}
}

/**
 * A team member moves a report to its next status with a public note. Any step but a refusal
 * of a report never public makes it public; the first step is its first answer, resolving it
 * stamps when. The reporter is mailed the step in the language they wrote in.
 */
export async function changeReportStatus(
	db: Database,
	actor: Actor,
	slug: string,
	id: number,
	form: FormData | Record<string, unknown>,
	locale: string
): Promise<ReportStatus> {
	const space = await reportSpace(db, slug, locale);
	await authorizeOn(actor, dialoguePolicy.handleReports, space.record.actors);
	return runCommand(db, actor, {
		rule: dialoguePolicy.participate,
		parse: () => readForm(form, statusShape, 'dialogue'),
		work: async (tx, input, who) => {
			const [before] = await tx
				.select({
					status: mapReport.status,
					public: mapReport.public,
					firstAnsweredAt: mapReport.firstAnsweredAt,
					language: mapReport.language,
					authorEmail: user.email,
					authorVerified: user.emailVerified
				})
				.from(mapReport)
				.leftJoin(user, eq(user.id, mapReport.authorId))
				.where(and(eq(mapReport.id, id), eq(mapReport.spaceId, space.id)))
				.for('update', { of: mapReport });
			if (!before) throw new NotFoundError('Report');
			const next = input.reportStatus;
			if (!reportSteps[before.status].includes(next)) {
				throw new ValidationError([{ field: 'reportStatus', code: 'reportStepNotAllowed' }], 'dialogue');
			}
			const now = new Date();
			const becomesPublic = before.public || next !== 'rejected';
			await tx
				.update(mapReport)
				.set({
					status: next,
					note: input.reportNote,
					noteLanguage: locale,
					public: becomesPublic,
					firstAnsweredAt: before.firstAnsweredAt ?? now,
					resolvedAt: next === 'resolved' ? now : null
				})
				.where(eq(mapReport.id, id));
			const [step] = await tx
				.insert(mapReportEvent)
				.values({
					reportId: id,
					status: next,
					note: input.reportNote,
					language: locale,
					actorId: who.id,
					at: now
				})
				.returning({ id: mapReportEvent.id });
			if (before.authorEmail && before.authorVerified) {
				const lang = isLocale(before.language) ? before.language : 'sv';
				const t = messages(lang).dialogue.mapReports;
				const link = `${config().publicOrigin}${localizePath(lang, `/dialogue/${space.slug}/reports/${id}`)}`;
				await enqueueMail(tx, {
					key: `map-report-step:${step!.id}`,
					to: before.authorEmail,
					subject: format(t.mailSubject, { id, status: messages(lang).dialogue.reportStatuses[next] }),
					text: format(t.mailText, {
						id,
						space: pick(space.record.title, lang),
						status: messages(lang).dialogue.reportStatuses[next],
						note: input.reportNote,
						link
					})
				});
			}
			// Followers hear of it too, each in the language they followed in (not the reporter twice, not the one acting).
			const followers = await tx
				.select({ id: user.id, email: user.email, language: mapReportFollow.language })
				.from(mapReportFollow)
				.innerJoin(user, eq(user.id, mapReportFollow.userId))
				.where(and(eq(mapReportFollow.reportId, id), eq(user.emailVerified, true)));
			for (const f of followers) {
				if (f.email === before.authorEmail || f.id === who.id) continue;
				const lang = isLocale(f.language) ? f.language : 'sv';
				const t = messages(lang).dialogue.mapReports;
				const status = messages(lang).dialogue.reportStatuses[next];
				await enqueueMail(tx, {
					key: `map-report-step:${step!.id}:${f.id}`,
					to: f.email,
					subject: format(t.followerMailSubject, { id, status }),
					text: format(t.followerMailText, {
						id,
						space: pick(space.record.title, lang),
						status,
						note: input.reportNote,
						link: `${config().publicOrigin}${localizePath(lang, `/dialogue/${space.slug}/reports/${id}`)}`
					})
				});
			}
			return {
				result: next,
				audit: {
					action: 'report.status',
					subject: `map-report:${id}`,
					before: { status: before.status, public: before.public },
					after: { status: next, public: becomesPublic }
				},
				public: false
			};
		}
	});
}

/**
 * A signed-in participant follows a report they can see (or stops following it): each status the
 * team gives it is then mailed to them. Not a change anyone else sees: no audit of others' input.
 */
export async function followReport(
	db: Database,
	actor: Actor,
	slug: string,
	id: number,
	follow: boolean,
	locale: string
): Promise<void> {
	authorize(actor, dialoguePolicy.participate);
	const space = await reportSpace(db, slug, locale);
	// Only a report the person may see: public, or their own (reportDetail's rule, read here).
	const [report] = await db
		.select({ public: mapReport.public, authorId: mapReport.authorId })
		.from(mapReport)
		.where(and(eq(mapReport.id, id), eq(mapReport.spaceId, space.id)));
	if (!report || (!report.public && report.authorId !== actor.id)) throw new NotFoundError('Report');
	if (follow) {
		await db
			.insert(mapReportFollow)
			.values({ reportId: id, userId: actor.id, language: locale })
			.onConflictDoUpdate({
				target: [mapReportFollow.reportId, mapReportFollow.userId],
				set: { language: locale }
			});
	} else {
		await db
			.delete(mapReportFollow)
			.where(and(eq(mapReportFollow.reportId, id), eq(mapReportFollow.userId, actor.id)));
	}
}
