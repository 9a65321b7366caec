import { editors, rules, signedIn, staff } from '../kernel/policy.ts';

/**
 * The partnership registry. Coordinators edit their own partnership: that is a fact about the
 * partnership (`partnership_access`), checked on top of the role.
 */
export const partnershipsPolicy = rules({
	editAny: {
		allow: editors,
		why: "the programme's editors keep every partnership's page right"
	},
	editOwn: {
		allow: signedIn,
		why: 'a coordinator (a role on the partnership, not a global one) edits their own partnership'
	},
	attachFromLibrary: {
		allow: staff,
		why: "the staff's media library is theirs; coordinators upload their partnership's own files"
	}
});
