import { editors, rules, signedIn } from '../kernel/policy.ts';

/** Find a partner: profiles, contact requests, moderation. */
export const partnerSearchPolicy = rules({
	postProfile: {
		allow: signedIn,
		why: "an organization's staff (a fact about the organization) post its profile"
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
