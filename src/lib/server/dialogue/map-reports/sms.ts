import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { format, isLocale, messages, type Locale } from '#lib/i18n/index.ts';
import type { Database } from '../../kernel/database.ts';
import { pick } from '../../kernel/localized.ts';
import { sign } from '../../kernel/signing.ts';
import { escapeXml } from '../../kernel/xml.ts';
import { dialogueSpace } from '../spaces/schema.ts';
import { ParticipationLimitError, takeAllowance } from '../proposals/limits.ts';
import { mapReport, mapReportCategory, mapReportEvent, mapReportSetup } from './schema.ts';
import { publicPoint } from './place.ts';

// Reports by SMS through Twilio, the gateway most municipalities and partners can buy anywhere
// (decision 21): Twilio posts each incoming message to /sms/twilio, signed with the account's auth
// token. A message that starts with a space's keyword becomes a report waiting for review, and the
// answer (TwiML, sent back by Twilio) gives its number. "STATUS <number>" from the same phone
// answers with the report's status and latest public note. The number itself is never stored:
// only a keyed hash of it, enough to know that a STATUS question comes from the phone that
// reported. Twilio sends a message again when its first request fails: its MessageSid is the
// report's phone id, so a repeat is stored once.

/**
 * Twilio's signature of a request: HMAC-SHA1 with the auth token over the full address followed
 * by every posted parameter's name and value, sorted by name; base64. (Checked against Twilio's
 * own library in sms.test.ts.)
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
	const data = Object.keys(params)
		.sort()
		.reduce((acc, key) => acc + key + params[key], url);
	return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** Whether the request was signed with this auth token (in constant time). */
export function signedByTwilio(
	authToken: string,
	url: string,
	params: Record<string, string>,
	signature: string
) {
	const expected = Buffer.from(twilioSignature(authToken, url, params));
	const given = Buffer.from(signature);
	return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The parameters of Twilio's incoming-message request this reads (it sends more). */
export const incomingShape = z.object({
	MessageSid: z.string().regex(/^[A-Za-z0-9]{10,64}$/),
	From: z.string().min(3).max(40),
	Body: z.string().max(1600).default('')
});
export type IncomingSms = z.output<typeof incomingShape>;

/** The sender's number as a keyed hash: the same phone gives the same hash, the hash gives no number. */
export const senderHash = (from: string) => sign('sms-sender', from.replace(/[^\d+]/g, ''));

/** A TwiML answer: the message Twilio sends back to the phone. */
export const twiml = (text: string) =>
	`<?xml version="1.0" encoding="UTF-8"?><Response><Message>${escapeXml(text)}</Message></Response>`;

const statusWords = /^(status|tila|hali)\s+#?(\d{1,9})\s*$/i;

/**
 * Handles one incoming message and says what to answer. A report is stored in one transaction,
 * waiting for review whatever the space's setting (nobody has seen an SMS's words before).
 */
export async function receiveSms(db: Database, sms: IncomingSms): Promise<string> {
	const text = sms.Body.replace(/\s+/g, ' ').trim();
	const sender = senderHash(sms.From);
	const status = statusWords.exec(text);
	if (status) return statusAnswer(db, Number(status[2]), sender);

	const [keyword = '', ...rest] = text.split(' ');
	const [space] = await db
		.select({
			id: dialogueSpace.id,
			status: dialogueSpace.status,
			languages: dialogueSpace.languages,
			privacy: mapReportSetup.privacy,
			gridMeters: mapReportSetup.gridMeters,
			districts: mapReportSetup.districts
		})
		.from(mapReportSetup)
		.innerJoin(dialogueSpace, eq(dialogueSpace.id, mapReportSetup.spaceId))
		.where(eq(mapReportSetup.smsKeyword, keyword.toUpperCase()));
	if (!space) return t('en').unknown;
	const locale = languageOf(space.languages);
	const words = t(locale);
	if (space.status !== 'open') return words.closed;
	const description = rest.join(' ');
	if (description.length < 10) return format(words.tooShort, { keyword: keyword.toUpperCase() });

	const categories = await db
		.select({ id: mapReportCategory.id, key: mapReportCategory.key, title: mapReportCategory.title })
		.from(mapReportCategory)
		.where(eq(mapReportCategory.spaceId, space.id))
		.orderBy(mapReportCategory.position, mapReportCategory.id);
	// The category the first word names (its number in the list or its key), else the first one.
	const first = rest[0]?.toLowerCase() ?? '';
	const named = categories.find((c, i) => first === String(i + 1) || first === c.key);
	const category = named ?? categories[0];
	if (!category) return words.closed;
	// A district named anywhere in the words places the report there.
	const lower = description.toLowerCase();
	const district = space.districts.find((d) => lower.includes(d.name.toLowerCase()))?.name ?? null;
	const shown = publicPoint(space, { lat: null, lon: null, district, precision: 'district' });

	try {
		await takeAllowance(db, 'reports', `sms:${sender}`, null);
	} catch (e) {
		if (e instanceof ParticipationLimitError) return words.limited;
		throw e;
	}
	const id = await db.transaction(async (tx) => {
		const [row] = await tx
			.insert(mapReport)
			.values({
				spaceId: space.id,
				categoryId: category.id,
				authorId: null,
				clientId: `sms-${sms.MessageSid}`,
				description: (named ? rest.slice(1).join(' ') : description).slice(0, 2000),
				language: locale,
				district,
				precision: district ? 'district' : 'approximate',
				publicLat: shown?.lat ?? null,
				publicLon: shown?.lon ?? null,
				smsSender: sender,
				public: false
			})
			.onConflictDoNothing()
			.returning({ id: mapReport.id });
		if (!row) return null;
		await tx.insert(mapReportEvent).values({ reportId: row.id, status: 'new' });
		return row.id;
	});
	// Twilio sent the same message again: the first sending's report, with the same answer.
	const reportId =
		id ??
		(
			await db
				.select({ id: mapReport.id })
				.from(mapReport)
				.where(and(eq(mapReport.spaceId, space.id), eq(mapReport.clientId, `sms-${sms.MessageSid}`)))
		)[0]!.id;
	return format(words.received, { number: reportId, category: pick(category.title, locale) });
}

async function statusAnswer(db: Database, id: number, sender: string): Promise<string> {
	const [report] = await db
		.select({
			status: mapReport.status,
			note: mapReport.note,
			languages: dialogueSpace.languages
		})
		.from(mapReport)
		.innerJoin(dialogueSpace, eq(dialogueSpace.id, mapReport.spaceId))
		.where(
			and(eq(mapReport.id, id), eq(mapReport.smsSender, sender), sql`${mapReport.smsSender} is not null`)
		);
	if (!report) return format(t('en').notFound, { number: id });
	const locale = languageOf(report.languages);
	const words = t(locale);
	const state = messages(locale).dialogue.reportStatuses[report.status];
	return format(report.note ? words.statusWithNote : words.status, {
		number: id,
		status: state,
		note: report.note ?? ''
	});
}

const languageOf = (languages: string[]): Locale => {
	const first = languages.find((l) => isLocale(l));
	return (first as Locale | undefined) ?? 'sv';
};
const t = (locale: Locale) => messages(locale).dialogue.mapReports.sms;
