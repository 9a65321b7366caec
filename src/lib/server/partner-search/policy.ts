import { editors, rules, signedIn, type Actor } from '../kernel/policy.ts';

/** An organization as the policy sees it: who works for it on the platform (organization_member). */
export interface StaffedOrganization {
	staff: readonly string[];
}

/** Find a partner: profiles, contact requests, moderation. */
export const partnerSearchPolicy = rules({
	postProfile: {
		allow: signedIn,
		why: "an organization's staff (a fact about the organization, `editProfile`) post its profile"
	},
	/** Writing or renewing one organization's profile: editors always; its staff for their own. */
	editProfile: {
		allow: editors,
		also: {
			who: "staff of the profile's organization",
			when: (actor: NonNullable<Actor>, organization: StaffedOrganization) =>
				organization.staff.includes(actor.id)
		},
		why: 'a profile speaks for an organization, so its own staff write it; editors correct any profile'
	},
	contact: {
		allow: signedIn,
		why: 'only signed-in staff of an organization may write to another, and they can be traced'
	},
	moderate: {
		allow: editors,
		why: 'editors hide profiles and handle reported contact requests'
	}
});
