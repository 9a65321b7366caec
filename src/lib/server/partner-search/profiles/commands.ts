import { and, eq } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { authorizeOn, type Actor } from '../../kernel/policy.ts';
import { readForm } from '../../kernel/input.ts';
import { runCommand } from '../../kernel/write.ts';
import { checkTags } from '../../taxonomy/known.ts';
import { user } from '../../accounts/schema.ts';
import { organizationMember } from '../../organizations/schema.ts';
import { partnerProfile } from '../schema.ts';
import { partnerSearchPolicy } from '../policy.ts';
import { staffedOrganization } from '../memberships.ts';
import { profileProblems, readProfileForm, renewShape } from '../input.ts';

/** A profile lives this long after it was saved or renewed. */
export const profileLifetimeMonths = 12;

/** When a profile saved or renewed at `from` expires. */
export function expiryFrom(from = new Date()): Date {
	const d = new Date(from);
	d.setUTCMonth(d.getUTCMonth() + profileLifetimeMonths);
	return d;
}

/**
 * The actor may write this organization's profile (its staff, or an editor): ForbiddenError
 * otherwise; an organization that does not exist is a problem with the form's `organization`.
 */
async function authorizeProfileOf(tx: Transaction, actor: NonNullable<Actor>, organizationId: number) {
	const organization = await staffedOrganization(tx, organizationId);
	if (!organization)
		throw new ValidationError([{ field: 'organization', code: 'unknownOrganization' }], 'partnerSearch');
	await authorizeOn(actor, partnerSearchPolicy.editProfile, organization);
}

/**
 * Creates or updates an organization's profile (the form's hidden `organization`), by its staff or
 * an editor. Saving renews it for twelve months; a profile an editor hid stays hidden. When the
 * contact address is one of the organization's staff's, their account is remembered: mail to the
 * profile then goes in that person's language.
 */
export function saveProfile(
	db: Database,
	actor: Actor,
	form: FormData | Record<string, unknown>
): Promise<{ id: number; created: boolean }> {
	return runCommand(db, actor, {
		rule: partnerSearchPolicy.postProfile,
		parse: () => readProfileForm(form),
		check: async (tx, read, actor) => {
			await authorizeProfileOf(tx, actor, read.organizationId);
			const { problems } = await checkTags(tx, read.tags);
			const all = profileProblems(read, problems);
			if (all.length || !read.input) throw new ValidationError(all, 'partnerSearch');
		},
		work: async (tx, read) => {
			const input = read.input!;
			const { organizationId } = input;
			const [contact] = await tx
				.select({ id: user.id })
				.from(user)
				.innerJoin(organizationMember, eq(organizationMember.userId, user.id))
				.where(
					and(eq(organizationMember.organizationId, organizationId), eq(user.email, input.contactEmail))
				);
			const now = new Date();
			const values = {
				themes: input.themes,
				goals: input.goals,
				targets: input.targets,
				regions: input.regions,
				languages: input.languages,
				offer: input.offer,
				seek: input.seek,
				contactName: input.contactName,
				contactEmail: input.contactEmail,
				contactUserId: contact?.id ?? null,
				renewedAt: now,
				expiresAt: expiryFrom(now)
			};
			const [before] = await tx
				.select()
				.from(partnerProfile)
				.where(eq(partnerProfile.organizationId, organizationId))
				.for('update');
			let id: number;
			if (before) {
				await tx.update(partnerProfile).set(values).where(eq(partnerProfile.id, before.id));
				id = before.id;
			} else {
				const [row] = await tx
					.insert(partnerProfile)
					.values({ organizationId, ...values })
					.returning({ id: partnerProfile.id });
				id = row!.id;
			}
			return {
				result: { id, created: !before },
				// The address stays out of the log: it is personal data the profile may drop later.
				audit: {
					action: before ? 'partner-profile.update' : 'partner-profile.create',
					subject: `partner-profile:${id}`,
					before: before ? { ...before, contactEmail: undefined } : undefined,
					after: { ...values, contactEmail: undefined }
				},
				public: true
			};
		}
	});
}

/** Keeps a profile for another twelve months from now (staff of the organization, or an editor). */
export function renewProfile(
	db: Database,
	actor: Actor,
	form: FormData | Record<string, unknown>
): Promise<{ expiresAt: string }> {
	return runCommand(db, actor, {
		rule: partnerSearchPolicy.postProfile,
		parse: () => readForm(form, renewShape, 'partnerSearch'),
		check: (tx, { organization }, actor) => authorizeProfileOf(tx, actor, organization),
		work: async (tx, { organization }) => {
			const [before] = await tx
				.select({ id: partnerProfile.id, expiresAt: partnerProfile.expiresAt })
				.from(partnerProfile)
				.where(eq(partnerProfile.organizationId, organization))
				.for('update');
			if (!before) throw new NotFoundError('Profile');
			const now = new Date();
			const expiresAt = expiryFrom(now);
			await tx
				.update(partnerProfile)
				.set({ renewedAt: now, expiresAt })
				.where(eq(partnerProfile.id, before.id));
			return {
				result: { expiresAt: expiresAt.toISOString() },
				audit: {
					action: 'partner-profile.renew',
					subject: `partner-profile:${before.id}`,
					before: { expiresAt: before.expiresAt.toISOString() },
					after: { expiresAt: expiresAt.toISOString() }
				},
				public: true
			};
		}
	});
}
