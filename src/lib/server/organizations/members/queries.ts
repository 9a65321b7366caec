import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { pick, type LocalizedText } from '../../kernel/localized.ts';
import { authorize, authorizeOn, type Actor } from '../../kernel/policy.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { user } from '../../accounts/schema.ts';
import {
	organization,
	organizationAccessRequest,
	organizationMember,
	type AccessRequestStatus
} from '../schema.ts';
import { organizationsPolicy, type AdministeredOrganization } from '../policy.ts';

/** An organization and its administrators (the policy's subject for `manageMembers`), or null. */
export async function administeredOrganization(
	db: Database | Transaction,
	slug: string
): Promise<(AdministeredOrganization & { id: number; name: { sv: string; en: string } }) | null> {
	const found = await db
		.select({ id: organization.id, name: organization.name, admin: organizationMember.userId })
		.from(organization)
		.leftJoin(
			organizationMember,
			and(eq(organizationMember.organizationId, organization.id), eq(organizationMember.admin, true))
		)
		.where(eq(organization.slug, slug));
	if (!found.length) return null;
	return {
		id: found[0]!.id,
		name: { sv: found[0]!.name.sv ?? '', en: found[0]!.name.en ?? found[0]!.name.sv ?? '' },
		admins: found.flatMap((r) => (r.admin ? [r.admin] : []))
	};
}

/**
 * Lets through the organization's administrators and editors (403 for others, 401 signed out,
 * 404 for no such organization), before a form is read: nobody else learns what it expects.
 */
export async function authorizeMembers(db: Database | Transaction, actor: Actor, slug: string) {
	const org = await administeredOrganization(db, slug);
	if (!org) throw new NotFoundError('organization');
	return { org, who: await authorizeOn(actor, organizationsPolicy.manageMembers, org) };
}

/** Who works for an organization on the platform, by name: for its administrators and editors. */
export async function organizationMembers(db: Database, actor: Actor, slug: string, locale: string) {
	const { org, who } = await authorizeMembers(db, actor, slug);
	const members = await db
		.select({
			id: user.id,
			name: user.name,
			email: user.email,
			admin: organizationMember.admin,
			since: organizationMember.createdAt
		})
		.from(organizationMember)
		.innerJoin(user, eq(user.id, organizationMember.userId))
		.where(eq(organizationMember.organizationId, org.id))
		.orderBy(asc(user.name), asc(user.email));
	return {
		organization: { id: org.id, slug, name: pick(org.name, locale) },
		members: members.map((m) => ({ ...m, since: m.since.toISOString(), you: m.id === who.id }))
	};
}

/** The organizations a person administers, by slug (their account page links to each). */
export async function administeredBy(db: Database, userId: string): Promise<string[]> {
	const rows = await db
		.select({ slug: organization.slug })
		.from(organizationMember)
		.innerJoin(organization, eq(organization.id, organizationMember.organizationId))
		.where(and(eq(organizationMember.userId, userId), eq(organizationMember.admin, true)));
	return rows.map((r) => r.slug);
}

const requestColumns = {
	id: organizationAccessRequest.id,
	status: organizationAccessRequest.status,
	position: organizationAccessRequest.position,
	message: organizationAccessRequest.message,
	reason: organizationAccessRequest.reason,
	proposedName: organizationAccessRequest.proposedName,
	proposedCountry: organizationAccessRequest.proposedCountry,
	createdAt: organizationAccessRequest.createdAt,
	decidedAt: organizationAccessRequest.decidedAt,
	organizationId: organization.id,
	organizationSlug: organization.slug,
	organizationName: organization.name
};

interface RequestRow {
	id: number;
	status: AccessRequestStatus;
	position: string;
	message: string;
	reason: string | null;
	proposedName: string | null;
	proposedCountry: string | null;
	createdAt: Date;
	decidedAt: Date | null;
	organizationId: number | null;
	organizationSlug: string | null;
	organizationName: LocalizedText | null;
}

const shaped = (locale: string) => (r: RequestRow) => ({
	id: r.id,
	status: r.status,
	position: r.position,
	message: r.message,
	reason: r.reason,
	organization:
		r.organizationId !== null && r.organizationSlug !== null && r.organizationName !== null
			? { id: r.organizationId, slug: r.organizationSlug, name: pick(r.organizationName, locale) }
			: null,
	proposed: r.proposedName ? { name: r.proposedName, country: r.proposedCountry } : null,
	createdAt: r.createdAt.toISOString(),
	decidedAt: r.decidedAt?.toISOString() ?? null
});

/** A person's own requests, newest first. */
export async function ownAccessRequests(db: Database, userId: string, locale: string) {
	const rows = await db
		.select(requestColumns)
		.from(organizationAccessRequest)
		.leftJoin(organization, eq(organization.id, organizationAccessRequest.organizationId))
		.where(eq(organizationAccessRequest.userId, userId))
		.orderBy(desc(organizationAccessRequest.createdAt), desc(organizationAccessRequest.id))
		.limit(20);
	return rows.map(shaped(locale));
}

/** The editors' queue: requests waiting (oldest first) and the last decisions. */
export async function accessRequestQueue(db: Database, actor: Actor, locale: string) {
	authorize(actor, organizationsPolicy.decideAccess);
	const select = () =>
		db
			.select({ ...requestColumns, name: user.name, email: user.email })
			.from(organizationAccessRequest)
			.innerJoin(user, eq(user.id, organizationAccessRequest.userId))
			.leftJoin(organization, eq(organization.id, organizationAccessRequest.organizationId));
	const [pending, decided] = await Promise.all([
		select()
			.where(eq(organizationAccessRequest.status, 'pending'))
			.orderBy(asc(organizationAccessRequest.createdAt), asc(organizationAccessRequest.id))
			.limit(200),
		select()
			.where(ne(organizationAccessRequest.status, 'pending'))
			.orderBy(desc(organizationAccessRequest.decidedAt), desc(organizationAccessRequest.id))
			.limit(20)
	]);
	const person = (r: { name: string; email: string }) => ({ name: r.name, email: r.email });
	return {
		pending: pending.map((r) => ({ ...shaped(locale)(r), person: person(r) })),
		decided: decided.map((r) => ({ ...shaped(locale)(r), person: person(r) }))
	};
}

/** How many requests wait: the workspace's menu shows it. */
export async function pendingAccessRequests(db: Database): Promise<number> {
	const [row] = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(organizationAccessRequest)
		.where(eq(organizationAccessRequest.status, 'pending'));
	return row?.n ?? 0;
}

/** The addresses and languages of the programme's editors, who decide requests. */
export async function deciders(db: Database | Transaction) {
	return db
		.select({ id: user.id, email: user.email, locale: user.locale })
		.from(user)
		.where(and(inArray(user.role, ['admin', 'editor']), sql`not coalesce(${user.banned}, false)`));
}

/** Whether someone works for an organization on the platform, and administers it. */
export async function membershipIn(
	db: Database,
	userId: string,
	organizationId: number
): Promise<{ admin: boolean } | null> {
	const [row] = await db
		.select({ admin: organizationMember.admin })
		.from(organizationMember)
		.where(and(eq(organizationMember.userId, userId), eq(organizationMember.organizationId, organizationId)));
	return row ?? null;
}
