import { and, eq, sql } from 'drizzle-orm';
import { format, isLocale, localizePath, messages, type Locale } from '#lib/i18n/index.ts';
import type { Database, Transaction } from '../../kernel/database.ts';
import { config } from '../../kernel/config.ts';
import { ValidationError, type ErrorCode } from '../../kernel/errors.ts';
import { readForm } from '../../kernel/input.ts';
import { pick } from '../../kernel/localized.ts';
import { enqueueMail } from '../../kernel/outbox.ts';
import { can, type Actor } from '../../kernel/policy.ts';
import { runCommand } from '../../kernel/write.ts';
import { user } from '../../accounts/schema.ts';
import { organization, organizationAccessRequest, organizationMember } from '../schema.ts';
import { organizationsPolicy } from '../policy.ts';
import { accessRequestForm, approveForm, memberAdminForm, memberForm, refuseForm } from './input.ts';
import { authorizeMembers, deciders } from './queries.ts';

// Who works for an organization: a person asks, editors decide (mail both ways, in the change's
// transaction through the outbox); then the organization's administrators keep its list.

type Raw = FormData | Record<string, unknown>;

const problem = (field: string, code: ErrorCode<'organizations'>) =>
	new ValidationError([{ field, code }], 'organizations');

const link = (locale: Locale, path: string) => config().publicOrigin + localizePath(locale, path);
const localeOf = (value: string | null | undefined): Locale => (isLocale(value) ? value : 'sv');

/** Asks to work for an organization (one open request at a time). Returns the request's id. */
export async function requestAccess(db: Database, actor: Actor, raw: Raw): Promise<number> {
	return runCommand(db, actor, {
		rule: organizationsPolicy.requestAccess,
		parse: () => {
			const input = readForm(raw, accessRequestForm, 'organizations');
			if (input.organization === undefined && !input.proposedName)
				throw problem('organization', 'chooseOrganization');
			if (input.organization === undefined && !input.proposedCountry)
				throw problem('proposedCountry', 'proposedCountryRequired');
			return input;
		},
		unique: { organization_access_request_pending_unique: problem('form', 'alreadyPending') },
		check: async (tx, input, who) => {
			if (input.organization !== undefined) {
				const [found] = await tx
					.select({ id: organization.id, member: organizationMember.userId })
					.from(organization)
					.leftJoin(
						organizationMember,
						and(eq(organizationMember.organizationId, organization.id), eq(organizationMember.userId, who.id))
					)
					.where(eq(organization.id, input.organization));
				if (!found) throw problem('organization', 'unknownOrganization');
				if (found.member) throw problem('organization', 'alreadyMember');
			}
			const [open] = await tx
				.select({ id: organizationAccessRequest.id })
				.from(organizationAccessRequest)
				.where(
					and(eq(organizationAccessRequest.userId, who.id), eq(organizationAccessRequest.status, 'pending'))
				);
			if (open) throw problem('form', 'alreadyPending');
		},
		work: async (tx, input, who) => {
			const chosen = input.organization !== undefined;
			const [row] = await tx
				.insert(organizationAccessRequest)
				.values({
					userId: who.id,
					organizationId: chosen ? input.organization : null,
					proposedName: chosen ? null : input.proposedName,
					proposedCountry: chosen ? null : input.proposedCountry,
					position: input.position,
					message: input.message ?? ''
				})
				.returning({ id: organizationAccessRequest.id });
			const id = row!.id;
			const [person] = await tx
				.select({ name: user.name, email: user.email, locale: user.locale })
				.from(user)
				.where(eq(user.id, who.id));
			const name = chosen
				? (
						await tx
							.select({ name: organization.name })
							.from(organization)
							.where(eq(organization.id, input.organization!))
					)[0]!.name
				: { sv: input.proposedName!, en: input.proposedName! };
			const own = localeOf(person!.locale);
			const t = messages(own).organizations.access.mail;
			await enqueueMail(tx, {
				key: `access-request:${id}:received`,
				to: person!.email,
				subject: t.receivedSubject,
				text: format(t.receivedText, {
					organization: pick(name, own),
					link: link(own, '/organizations/request-access')
				})
			});
			for (const editor of await deciders(tx)) {
				const lang = localeOf(editor.locale);
				const e = messages(lang).organizations.access.mail;
				await enqueueMail(tx, {
					key: `access-request:${id}:editor:${editor.id}`,
					to: editor.email,
					subject: format(e.newSubject, { organization: pick(name, lang) }),
					text: format(e.newText, {
						person: person!.name,
						email: person!.email,
						position: input.position,
						organization: pick(name, lang),
						link: link(lang, '/admin/access-requests')
					})
				});
			}
			return {
				result: id,
				audit: {
					action: 'organization.requestAccess',
					subject: `organization-access-request:${id}`,
					after: { organization: input.organization ?? input.proposedName, position: input.position }
				},
				public: false
			};
		}
	});
}

/** A pending request, locked for the decision; the person's address and language with it. */
async function pendingRequest(tx: Transaction, id: number) {
	const [found] = await tx
		.select({
			id: organizationAccessRequest.id,
			userId: organizationAccessRequest.userId,
			organizationId: organizationAccessRequest.organizationId,
			status: organizationAccessRequest.status
		})
		.from(organizationAccessRequest)
		.where(eq(organizationAccessRequest.id, id))
		.for('update');
	if (!found) throw problem('request', 'unknownRequest');
	if (found.status !== 'pending') throw problem('request', 'alreadyDecided');
	const [person] = await tx
		.select({ email: user.email, locale: user.locale })
		.from(user)
		.where(eq(user.id, found.userId));
	return { ...found, email: person!.email, locale: localeOf(person!.locale) };
}

/**
 * Approves a request: the person becomes a member (its administrator when ticked) of the
 * organization asked for, or, for one that was not on the platform, of the one editors chose
 * after adding it. Mailed to the person. Returns the organization's slug.
 */
export async function approveAccessRequest(db: Database, actor: Actor, raw: Raw): Promise<string> {
	return runCommand(db, actor, {
		rule: organizationsPolicy.decideAccess,
		parse: () => readForm(raw, approveForm, 'organizations'),
		work: async (tx, input, who) => {
			const request = await pendingRequest(tx, input.request);
			const organizationId = request.organizationId ?? input.organization;
			if (organizationId === undefined) throw problem('organization', 'chooseOrganization');
			const [org] = await tx
				.select({ id: organization.id, slug: organization.slug, name: organization.name })
				.from(organization)
				.where(eq(organization.id, organizationId));
			if (!org) throw problem('organization', 'unknownOrganization');
			const admin = input.admin === 'yes';
			await tx
				.insert(organizationMember)
				.values({ organizationId, userId: request.userId, admin })
				.onConflictDoUpdate({
					target: [organizationMember.organizationId, organizationMember.userId],
					set: { admin: sql`${organizationMember.admin} or ${admin}` }
				});
			await tx
				.update(organizationAccessRequest)
				.set({ status: 'approved', organizationId, decidedBy: who.id, decidedAt: new Date() })
				.where(eq(organizationAccessRequest.id, request.id));
			const t = messages(request.locale).organizations.access.mail;
			await enqueueMail(tx, {
				key: `access-request:${request.id}:approved`,
				to: request.email,
				subject: format(t.approvedSubject, { organization: pick(org.name, request.locale) }),
				text: format(admin ? t.approvedAdminText : t.approvedText, {
					organization: pick(org.name, request.locale),
					link: link(request.locale, `/organizations/${org.slug}`),
					profile: link(request.locale, `/find-a-partner/profile?organization=${org.id}`)
				})
			});
			return {
				result: org.slug,
				audit: [
					{
						action: 'organization.approveAccess',
						subject: `organization-access-request:${request.id}`,
						after: { organization: organizationId, user: request.userId, admin }
					}
				],
				public: false
			};
		}
	});
}

/** Refuses a request with a reason, which the person is mailed. */
export async function refuseAccessRequest(db: Database, actor: Actor, raw: Raw): Promise<void> {
	await runCommand(db, actor, {
		rule: organizationsPolicy.decideAccess,
		parse: () => readForm(raw, refuseForm, 'organizations'),
		work: async (tx, input, who) => {
			const request = await pendingRequest(tx, input.request);
			await tx
				.update(organizationAccessRequest)
				.set({ status: 'refused', reason: input.reason, decidedBy: who.id, decidedAt: new Date() })
				.where(eq(organizationAccessRequest.id, request.id));
			const t = messages(request.locale).organizations.access.mail;
			await enqueueMail(tx, {
				key: `access-request:${request.id}:refused`,
				to: request.email,
				subject: t.refusedSubject,
				text: format(t.refusedText, {
					reason: input.reason,
					link: link(request.locale, '/organizations/request-access')
				})
			});
			return {
				result: undefined,
				audit: {
					action: 'organization.refuseAccess',
					subject: `organization-access-request:${request.id}`,
					after: { reason: input.reason }
				},
				public: false
			};
		}
	});
}

/** The organization for a member command, with the actor let through by `manageMembers`. */
async function managed(tx: Transaction, who: NonNullable<Actor>, slug: string) {
	// The organization's row is locked first, so two administrators stepping down at once
	// cannot both see the other still there.
	await tx
		.select({ id: organization.id })
		.from(organization)
		.where(eq(organization.slug, slug))
		.for('update');
	return (await authorizeMembers(tx, who, slug)).org;
}

/** An organization's administrators may not leave it without one; editors may. */
function keepsAnAdmin(org: { admins: readonly string[] }, who: NonNullable<Actor>, leaving: string): void {
	if (can(who, organizationsPolicy.manageMembers)) return;
	if (org.admins.length === 1 && org.admins[0] === leaving) throw problem('user', 'lastAdmin');
}

/**
 * Adds an account to an organization (the app's invitation makes the account first). Returns
 * whether they were new to it.
 */
export async function addOrganizationMember(
	db: Database | Transaction,
	actor: Actor,
	slug: string,
	userId: string
): Promise<boolean> {
	return runCommand(db, actor, {
		rule: organizationsPolicy.administer,
		parse: () => readForm({ user: userId }, memberForm, 'organizations'),
		work: async (tx, input, who) => {
			const org = await managed(tx, who, slug);
			const added = await tx
				.insert(organizationMember)
				.values({ organizationId: org.id, userId: input.user })
				.onConflictDoNothing()
				.returning({ user: organizationMember.userId });
			return {
				result: added.length > 0,
				audit: {
					action: 'organization.addMember',
					subject: `organization:${org.id}`,
					after: { user: input.user }
				},
				public: false
			};
		}
	});
}

/** Takes someone off an organization's list (they keep their account). */
export async function removeOrganizationMember(
	db: Database,
	actor: Actor,
	slug: string,
	raw: Raw
): Promise<void> {
	await authorizeMembers(db, actor, slug);
	await runCommand(db, actor, {
		rule: organizationsPolicy.administer,
		parse: () => readForm(raw, memberForm, 'organizations'),
		work: async (tx, input, who) => {
			const org = await managed(tx, who, slug);
			keepsAnAdmin(org, who, input.user);
			const removed = await tx
				.delete(organizationMember)
				.where(and(eq(organizationMember.organizationId, org.id), eq(organizationMember.userId, input.user)))
				.returning({ user: organizationMember.userId });
			if (!removed.length) throw problem('user', 'unknownUser');
			return {
				result: undefined,
				audit: {
					action: 'organization.removeMember',
					subject: `organization:${org.id}`,
					before: { user: input.user }
				},
				public: false
			};
		}
	});
}

/** Makes a member an administrator of the organization, or no longer one. */
export async function setOrganizationAdmin(
	db: Database,
	actor: Actor,
	slug: string,
	raw: Raw
): Promise<void> {
	await authorizeMembers(db, actor, slug);
	await runCommand(db, actor, {
		rule: organizationsPolicy.administer,
		parse: () => readForm(raw, memberAdminForm, 'organizations'),
		work: async (tx, input, who) => {
			const org = await managed(tx, who, slug);
			const admin = input.admin === 'yes';
			if (!admin) keepsAnAdmin(org, who, input.user);
			const changed = await tx
				.update(organizationMember)
				.set({ admin })
				.where(and(eq(organizationMember.organizationId, org.id), eq(organizationMember.userId, input.user)))
				.returning({ user: organizationMember.userId });
			if (!changed.length) throw problem('user', 'unknownUser');
			return {
				result: undefined,
				audit: {
					action: 'organization.setAdmin',
					subject: `organization:${org.id}`,
					after: { user: input.user, admin }
				},
				public: false
			};
		}
	});
}
