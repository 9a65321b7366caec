import { editors, rules, signedIn, type Actor } from '../kernel/policy.ts';

/** An organization as the members rule sees it: who administers it on the platform. */
export interface AdministeredOrganization {
	admins: readonly string[];
}

/** Organizations: the 311 Swedish reference rows come from data/geo; partners abroad from editors. */
export const organizationsPolicy = rules({
	manage: {
		allow: editors,
		why: 'international partners are created and placed on the map by editors'
	},
	requestAccess: {
		allow: signedIn,
		why: 'anyone with an account (a confirmed address) may ask to work for an organization; editors decide'
	},
	decideAccess: {
		allow: editors,
		why: 'programme editors check that a person works where they say before letting them speak for it'
	},
	/** The role gate of the member commands: who may is the organization's fact (`manageMembers`). */
	administer: {
		allow: signedIn,
		why: "anyone signed in may ask; `manageMembers` lets only the organization's administrators and editors through"
	},
	/** Inviting, removing and appointing an organization's members: editors, and its administrators. */
	manageMembers: {
		allow: editors,
		also: {
			who: "the organization's administrators",
			when: (actor: NonNullable<Actor>, organization: AdministeredOrganization) =>
				organization.admins.includes(actor.id)
		},
		why: 'an organization knows its own staff best; editors step in when nobody administers it'
	}
});
