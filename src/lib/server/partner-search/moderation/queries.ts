import { desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../../kernel/database.ts';
import { authorize, type Actor } from '../../kernel/policy.ts';
import { pick } from '../../kernel/localized.ts';
import { user } from '../../accounts/schema.ts';
import { organization } from '../../organizations/schema.ts';
import type { Locale } from '#lib/i18n/index.ts';
import { contactRequest, partnerProfile, type ProfileStatus } from '../schema.ts';
import { partnerSearchPolicy } from '../policy.ts';
import { shown, type ShownText } from '../names.ts';

// What editors see: every profile, hidden and expired too, and the requests recipients reported.

/** A profile as editors see it: its contact and state, hidden and expired ones too. */
export interface ModeratedProfile {
	id: number;
	organization: string;
	country: string;
	status: ProfileStatus;
	expired: boolean;
	moderationNote: string | null;
	contactName: string;
	contactEmail: string;
	renewedAt: string;
	expiresAt: string;
	offer: ShownText;
	seek: ShownText;
	/** Contact requests it has received, and how many of them were reported. */
	requests: number;
	reported: number;
}

/** Every profile, hidden and expired too, for editors: newest renewed first. */
export async function listProfilesForModeration(
	db: Database,
	actor: Actor,
	locale: Locale
): Promise<ModeratedProfile[]> {
	authorize(actor, partnerSearchPolicy.moderate);
	const p = partnerProfile;
	const r = contactRequest;
	const found = await db
		.select({
			id: p.id,
			orgName: organization.name,
			country: organization.country,
			status: p.status,
			moderationNote: p.moderationNote,
			contactName: p.contactName,
			contactEmail: p.contactEmail,
			renewedAt: p.renewedAt,
			expiresAt: p.expiresAt,
			offer: p.offer,
			seek: p.seek,
			requests: sql<number>`(select count(*) from ${r} where ${r.profileId} = ${p.id})`.mapWith(Number),
			reported:
				sql<number>`(select count(*) from ${r} where ${r.profileId} = ${p.id} and ${r.status} = 'reported')`.mapWith(
					Number
				)
		})
		.from(p)
		.innerJoin(organization, eq(organization.id, p.organizationId))
		.orderBy(desc(p.renewedAt), desc(p.id));
	return found.map((row) => ({
		id: row.id,
		organization: pick(row.orgName, locale),
		country: row.country,
		status: row.status,
		expired: row.expiresAt.getTime() <= Date.now(),
		moderationNote: row.moderationNote,
		contactName: row.contactName,
		contactEmail: row.contactEmail,
		renewedAt: row.renewedAt.toISOString(),
		expiresAt: row.expiresAt.toISOString(),
		offer: shown(row.offer, locale),
		seek: shown(row.seek, locale),
		requests: row.requests,
		reported: row.reported
	}));
}

/** A contact request its recipient reported, with who sent it. */
export interface ReportedRequest {
	id: number;
	reportedAt: string;
	createdAt: string;
	reason: string;
	message: string;
	sender: { name: string; email: string } | null;
	fromOrganization: string;
	toOrganization: string;
	profileId: number;
}

const profileOrg = alias(organization, 'profile_org');
const fromOrg = alias(organization, 'from_org');

/** Reported contact requests, newest first (the latest 200), with the sender: editors may see who wrote. */
export async function listReported(db: Database, actor: Actor, locale: Locale): Promise<ReportedRequest[]> {
	authorize(actor, partnerSearchPolicy.moderate);
	const r = contactRequest;
	const found = await db
		.select({
			id: r.id,
			reportedAt: r.reportedAt,
			createdAt: r.createdAt,
			reason: r.reportReason,
			message: r.message,
			senderName: user.name,
			senderEmail: user.email,
			fromName: fromOrg.name,
			toName: profileOrg.name,
			profileId: partnerProfile.id
		})
		.from(r)
		.innerJoin(partnerProfile, eq(partnerProfile.id, r.profileId))
		.innerJoin(profileOrg, eq(profileOrg.id, partnerProfile.organizationId))
		.leftJoin(fromOrg, eq(fromOrg.id, r.fromOrganizationId))
		.leftJoin(user, eq(user.id, r.fromUserId))
		.where(eq(r.status, 'reported'))
		.orderBy(sql`${r.reportedAt} desc nulls last`, desc(r.id))
		.limit(200);
	return found.map((row) => ({
		id: row.id,
		reportedAt: (row.reportedAt ?? row.createdAt).toISOString(),
		createdAt: row.createdAt.toISOString(),
		reason: row.reason ?? '',
		message: row.message,
		sender: row.senderName && row.senderEmail ? { name: row.senderName, email: row.senderEmail } : null,
		fromOrganization: pick(row.fromName, locale),
		toOrganization: pick(row.toName, locale),
		profileId: row.profileId
	}));
}
