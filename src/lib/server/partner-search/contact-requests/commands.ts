import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { RateLimiterDrizzle, RateLimiterRes } from 'rate-limiter-flexible';
import type { Database, Transaction } from '../../kernel/database.ts';
import { NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { authorize, type Actor } from '../../kernel/policy.ts';
import { readForm } from '../../kernel/input.ts';
import { runCommand, runSystemChange } from '../../kernel/write.ts';
import { sendMail } from '../../kernel/mail.ts';
import { logger } from '../../kernel/logger.ts';
import { signInThrottle, user } from '../../accounts/schema.ts';
import type { Locale } from '#lib/i18n/index.ts';
import { contactRequest } from '../schema.ts';
import { partnerSearchPolicy } from '../policy.ts';
import { membershipRows } from '../memberships.ts';
import { contactShape, replyShape, reportShape } from '../input.ts';
import {
	answerWindowDays,
	hashToken,
	linkExpired,
	recipientOf,
	requestByToken,
	type RequestRow
} from './queries.ts';
import { answeredMails, copyMail, mailLocale, requestMail } from './mail.ts';

// Contact requests: a signed-in member of an organization writes to a profile; the message goes
// by mail with a one-time answer link, and neither side sees the other's address until the
// recipient answers through it (or reports the request to the editors instead).
//
// Mail goes after the change has committed, never from inside the transaction (a slow mail server
// would hold the row locks, and a mail could leave for a change that then rolls back). When the
// mail that carries the change cannot go, the change is undone in a transaction of its own: no
// request is left waiting with a link nobody received, and an answer nobody heard of can be sent again.

/** Contact requests a person may send in a day, and an organization's staff together. */
export const contactsPerUser = 5;
export const contactsPerOrganization = 20;
const contactWindowSeconds = 24 * 60 * 60;

/** Too many contact requests: the form says when the next one may go. */
export class ContactLimitError extends Error {
	readonly retryAfterSeconds: number;
	constructor(retryAfterSeconds: number) {
		super('Contact request limit reached');
		this.name = 'ContactLimitError';
		this.retryAfterSeconds = retryAfterSeconds;
	}
}

const limiters = new WeakMap<Database, { byUser: RateLimiterDrizzle; byOrganization: RateLimiterDrizzle }>();

function contactLimiters(db: Database) {
	let found = limiters.get(db);
	if (!found) {
		// The sign-in throttle's table, with keys of our own: every instance counts the same requests.
		const options = {
			storeClient: db,
			schema: signInThrottle,
			duration: contactWindowSeconds,
			clearExpiredByTimeout: false
		};
		found = {
			byUser: new RateLimiterDrizzle({ ...options, keyPrefix: 'contact-user', points: contactsPerUser }),
			byOrganization: new RateLimiterDrizzle({
				...options,
				keyPrefix: 'contact-org',
				points: contactsPerOrganization
			})
		};
		limiters.set(db, found);
	}
	return found;
}

/** Takes one request from both allowances, or throws ContactLimitError with the wait. */
async function takeContactAllowance(db: Database, userId: string, organizationId: number): Promise<void> {
	const { byUser, byOrganization } = contactLimiters(db);
	const refused = (r: unknown) => {
		if (r instanceof RateLimiterRes) return new ContactLimitError(Math.ceil(r.msBeforeNext / 1000));
		return r;
	};
	await byUser.consume(userId).catch((r) => {
		throw refused(r);
	});
	await byOrganization.consume(String(organizationId)).catch(async (r) => {
		// The person's own allowance is given back: nothing was sent.
		await byUser.reward(userId, 1).catch(() => undefined);
		throw refused(r);
	});
}

/** The organization a request goes out for: the one asked for, or the writer's only other one. */
function chooseSenderOrganization<O extends { id: number }>(
	memberships: O[],
	profileOrganizationId: number,
	asked: number | undefined
): O {
	const problem = (code: 'notOrganizationMember' | 'ownProfile' | 'required') =>
		new ValidationError([{ field: 'organization', code }], 'partnerSearch');
	if (!memberships.length) throw problem('notOrganizationMember');
	if (asked !== undefined) {
		const found = memberships.find((m) => m.id === asked);
		if (!found) throw problem('notOrganizationMember');
		if (found.id === profileOrganizationId) throw problem('ownProfile');
		return found;
	}
	const others = memberships.filter((m) => m.id !== profileOrganizationId);
	if (!others.length) throw problem('ownProfile');
	if (others.length > 1) throw problem('required');
	return others[0]!;
}

/** What sending needs from the page: the site's address and the sender's language. */
export interface ContactOptions {
	/** The site's public origin, for the answer link. */
	origin: string;
	/** The language the sender writes in: their copy comes in it. */
	locale: Locale;
}

/**
 * Sends a contact request from a signed-in member of an organization to a profile. The profile's
 * contact gets the sender's name, organization and text with a one-time answer link — not the
 * sender's address — in the contact's own language when the contact has an account (else by the
 * organization's country); the sender gets a copy without the contact's address. At most
 * `contactsPerUser` a day per person and `contactsPerOrganization` per organization
 * (ContactLimitError); only a hash of the link's token is stored.
 */
export async function sendContactRequest(
	db: Database,
	actor: Actor,
	profileId: number,
	form: FormData | Record<string, unknown>,
	options: ContactOptions
): Promise<{ id: number }> {
	authorize(actor, partnerSearchPolicy.contact);
	const input = readForm(form, contactShape, 'partnerSearch');
	const [profile, [sender], memberships] = await Promise.all([
		recipientOf(db, profileId),
		db.select({ name: user.name, email: user.email }).from(user).where(eq(user.id, actor.id)),
		membershipRows(db, actor.id)
	]);
	if (!sender) throw new NotFoundError('User');
	const from = chooseSenderOrganization(memberships, profile.organizationId, input.organization);
	// Counted outside the transaction, in the limiter's own table: a refused request writes nothing.
	await takeContactAllowance(db, actor.id, from.id);

	const token = randomBytes(32).toString('base64url');
	const id = await runCommand(db, actor, {
		rule: partnerSearchPolicy.contact,
		parse: () => input,
		work: async (tx, { message }) => {
			const [row] = await tx
				.insert(contactRequest)
				.values({
					profileId,
					fromUserId: actor.id,
					fromOrganizationId: from.id,
					message,
					replyTokenHash: hashToken(token)
				})
				.returning({ id: contactRequest.id });
			return {
				result: row!.id,
				audit: {
					action: 'partner-contact.send',
					subject: `contact-request:${row!.id}`,
					after: { profileId, fromOrganizationId: from.id }
				},
				public: false
			};
		}
	});

	try {
		await sendMail(
			requestMail({
				to: profile.contactEmail,
				locale: mailLocale(profile.contactLocale, profile.country),
				contactName: profile.contactName,
				senderName: sender.name,
				from,
				message: input.message,
				origin: options.origin,
				token,
				days: answerWindowDays
			})
		);
	} catch (error) {
		await withdrawUndelivered(db, id);
		throw error;
	}
	await sendMail(
		copyMail({
			to: sender.email,
			locale: options.locale,
			senderName: sender.name,
			profileOrganization: profile.orgName,
			message: input.message
		})
	).catch((error) =>
		logger.warn({ err: error, request: id }, 'Could not send the copy of a contact request')
	);
	return { id };
}

/** A request whose mail could not go: nobody holds its link, so it is taken back. */
function withdrawUndelivered(db: Database, id: number): Promise<void> {
	return runSystemChange(db, async (tx) => {
		await tx.delete(contactRequest).where(eq(contactRequest.id, id));
		return {
			result: undefined,
			audit: { action: 'partner-contact.undelivered', subject: `contact-request:${id}` },
			public: false
		};
	});
}

/** A request that can still be answered or reported through its link, locked for the change. */
async function openRequest(tx: Transaction, token: string): Promise<RequestRow> {
	const r = await requestByToken(tx, hashToken(token), true);
	if (!r) throw new NotFoundError('Contact request');
	if (r.status !== 'sent' || linkExpired(r))
		throw new ValidationError([{ field: 'token', code: 'requestClosed' }], 'partnerSearch');
	return r;
}

/**
 * The recipient answers through the link: now, and only now, both get a mail with the other's
 * address (and the answer), each in their own language (an account's, else by the
 * organization's country). The link then stops working. Whoever holds the link may answer: the
 * change has no actor, as the holder need not have an account.
 */
export async function answerContactRequest(
	db: Database,
	token: string,
	form: FormData | Record<string, unknown>
): Promise<void> {
	const { reply } = readForm(form, replyShape, 'partnerSearch');
	const r = await runSystemChange(db, async (tx) => {
		const r = await openRequest(tx, token);
		if (!r.senderEmail) throw new NotFoundError('Sender');
		await tx
			.update(contactRequest)
			.set({ status: 'answered', answeredAt: new Date() })
			.where(eq(contactRequest.id, r.id));
		return {
			result: { ...r, senderEmail: r.senderEmail },
			audit: {
				action: 'partner-contact.answer',
				subject: `contact-request:${r.id}`,
				after: { status: 'answered' }
			},
			public: false
		};
	});
	const [toContact, toSender] = answeredMails(
		{
			...r,
			contactLocale: mailLocale(r.contactLocale, r.profileCountry),
			senderLocale: mailLocale(r.senderLocale, r.fromCountry)
		},
		reply
	);
	try {
		await sendMail(toContact);
		await sendMail(toSender);
	} catch (error) {
		await reopen(db, r.id);
		throw error;
	}
}

/** An answer whose mails could not go: the link works again, so it can be sent once more. */
function reopen(db: Database, id: number): Promise<void> {
	return runSystemChange(db, async (tx) => {
		await tx
			.update(contactRequest)
			.set({ status: 'sent', answeredAt: null })
			.where(and(eq(contactRequest.id, id), eq(contactRequest.status, 'answered')));
		return {
			result: undefined,
			audit: { action: 'partner-contact.answer-undelivered', subject: `contact-request:${id}` },
			public: false
		};
	});
}

/**
 * The recipient reports the request to the editors through the same link, instead of answering:
 * it is listed on the moderation page (with the sender, who can be traced) and written to the
 * audit log. The sender's address stays hidden from the recipient.
 */
export async function reportContactRequest(
	db: Database,
	token: string,
	form: FormData | Record<string, unknown>
): Promise<void> {
	const { reason } = readForm(form, reportShape, 'partnerSearch');
	await runSystemChange(db, async (tx) => {
		const r = await openRequest(tx, token);
		await tx
			.update(contactRequest)
			.set({ status: 'reported', reportReason: reason, reportedAt: new Date() })
			.where(eq(contactRequest.id, r.id));
		return {
			result: undefined,
			audit: {
				action: 'partner-contact.report',
				subject: `contact-request:${r.id}`,
				after: { status: 'reported', reason }
			},
			public: false
		};
	});
}
