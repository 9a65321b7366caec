import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database, Transaction } from '../../kernel/database.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { can, type Actor } from '../../kernel/policy.ts';
import { pick } from '../../kernel/localized.ts';
import { user } from '../../accounts/schema.ts';
import { organization } from '../../organizations/schema.ts';
import { countryName, messages, type Locale } from '#lib/i18n/index.ts';
import { contactRequest, partnerProfile, type ContactStatus } from '../schema.ts';
import { partnerSearchPolicy } from '../policy.ts';
import { membershipsOf, type Membership } from '../memberships.ts';
import { visible } from '../profiles/queries.ts';

// Reading contact requests: what the contact form offers a visitor, the profile a request goes
// to, and the request behind an answer link (only a hash of the link's token is stored).

/** An answer link older than this no longer works. */
export const answerWindowDays = 90;

/** What is stored of an answer link's token. */
export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** What the contact form on a profile looks like for this actor. */
export interface ContactChoices {
	/** signIn: nobody signed in; notMember: works for no organization here; own: the profile is theirs only. */
	mode: 'signIn' | 'notMember' | 'own' | 'write';
	/** The organizations they may write on behalf of (theirs, not the profile's). */
	organizations: Membership[];
	/** Whether they work for the profile's organization (and so may edit it). */
	ownsProfile: boolean;
}

/**
 * What the profile page offers this actor for writing to the profile: a sign-in link, a word that
 * only staff of an organization may write, their own profile, or the form with their organizations.
 */
export async function contactChoices(
	db: Database,
	actor: Actor,
	locale: Locale,
	profileId: number
): Promise<ContactChoices> {
	if (!actor || !can(actor, partnerSearchPolicy.contact))
		return { mode: 'signIn', organizations: [], ownsProfile: false };
	const [[p], memberships] = await Promise.all([
		db
			.select({ organizationId: partnerProfile.organizationId })
			.from(partnerProfile)
			.where(eq(partnerProfile.id, profileId)),
		membershipsOf(db, actor.id, locale)
	]);
	const organizations = memberships.filter((m) => m.id !== p?.organizationId);
	const ownsProfile = organizations.length < memberships.length;
	const mode = organizations.length ? 'write' : ownsProfile ? 'own' : 'notMember';
	return { mode, organizations, ownsProfile };
}

/**
 * A listed profile as a contact request needs it: its organization, and its contact with the
 * address and (when the contact has an account) that person's language. NotFoundError otherwise.
 */
export async function recipientOf(db: Database, profileId: number) {
	const [found] = await db
		.select({
			organizationId: partnerProfile.organizationId,
			orgName: organization.name,
			country: organization.country,
			contactName: partnerProfile.contactName,
			contactEmail: partnerProfile.contactEmail,
			contactLocale: user.locale
		})
		.from(partnerProfile)
		.innerJoin(organization, eq(organization.id, partnerProfile.organizationId))
		.leftJoin(user, eq(user.id, partnerProfile.contactUserId))
		.where(and(eq(partnerProfile.id, profileId), visible));
	if (!found) throw new NotFoundError('Profile');
	return found;
}

const profileOrg = alias(organization, 'profile_org');
const fromOrg = alias(organization, 'from_org');
const sender = alias(user, 'sender');
const contact = alias(user, 'contact');

/** The request behind a token's hash, with both sides; locked for a change when `lock`. */
export async function requestByToken(db: Database | Transaction, tokenHash: string, lock = false) {
	const query = db
		.select({
			id: contactRequest.id,
			status: contactRequest.status,
			message: contactRequest.message,
			createdAt: contactRequest.createdAt,
			senderName: sender.name,
			senderEmail: sender.email,
			senderLocale: sender.locale,
			fromName: fromOrg.name,
			fromCountry: fromOrg.country,
			profileId: partnerProfile.id,
			profileOrg: profileOrg.name,
			profileCountry: profileOrg.country,
			contactName: partnerProfile.contactName,
			contactEmail: partnerProfile.contactEmail,
			contactLocale: contact.locale
		})
		.from(contactRequest)
		.innerJoin(partnerProfile, eq(partnerProfile.id, contactRequest.profileId))
		.innerJoin(profileOrg, eq(profileOrg.id, partnerProfile.organizationId))
		.leftJoin(sender, eq(sender.id, contactRequest.fromUserId))
		.leftJoin(fromOrg, eq(fromOrg.id, contactRequest.fromOrganizationId))
		.leftJoin(contact, eq(contact.id, partnerProfile.contactUserId))
		.where(eq(contactRequest.replyTokenHash, tokenHash));
	// Only the request's row: the outer joins' rows cannot be locked, nor need to be.
	const [found] = await (lock ? query.for('update', { of: contactRequest }) : query);
	return found ?? null;
}

/** A request with both sides, as `requestByToken` reads it. */
export type RequestRow = NonNullable<Awaited<ReturnType<typeof requestByToken>>>;

/** The link is older than `answerWindowDays`. */
export const linkExpired = (r: { createdAt: Date }) =>
	Date.now() - r.createdAt.getTime() > answerWindowDays * 86_400_000;

/** A contact request as its answer page shows it to the holder of the link. */
export interface ReceivedRequest {
	id: number;
	status: ContactStatus;
	/** The link is older than `answerWindowDays`: it can no longer answer or report. */
	expired: boolean;
	senderName: string;
	organization: { name: string; country: string; countryName: string };
	profileOrganization: string;
	message: string;
	createdAt: string;
}

/** The request behind an answer link; NotFoundError for a token that matches none. */
export async function findContactRequest(
	db: Database,
	token: string,
	locale: Locale
): Promise<ReceivedRequest> {
	const r = await requestByToken(db, hashToken(token));
	if (!r) throw new NotFoundError('Contact request');
	return {
		id: r.id,
		status: r.status,
		expired: linkExpired(r),
		senderName: r.senderName ?? messages(locale).partnerSearch.answer.formerUser,
		organization: {
			name: pick(r.fromName, locale),
			country: r.fromCountry ?? '',
			countryName: r.fromCountry ? countryName(locale, r.fromCountry) : ''
		},
		profileOrganization: pick(r.profileOrg, locale),
		message: r.message,
		createdAt: r.createdAt.toISOString()
	};
}
