import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { authorize, can } from '#lib/server/kernel/policy.ts';
import { accountsPolicy } from '#lib/server/accounts/policy.ts';
import { organizationsPolicy } from '#lib/server/organizations/policy.ts';
import { partnerSearchPolicy } from '#lib/server/partner-search/policy.ts';
import { topicsPolicy } from '#lib/server/taxonomy/policy.ts';
import { dialoguePolicy } from '#lib/server/dialogue/policy.ts';
import { resultsPolicy } from '#lib/server/results/policy.ts';

// Every page under /admin passes here first: signed out → sign in; signed in without a staff role → 403.
export const load: LayoutServerLoad = async ({ locals, url }) => {
	if (!locals.user) {
		redirect(
			303,
			`${localizePath(locals.locale, '/sign-in')}?to=${encodeURIComponent(url.pathname + url.search)}`
		);
	}
	await forPage(locals.locale, () => authorize(locals.user, accountsPolicy.enterWorkspace));
	// Editors and admins without two-step verification never get here: src/hooks.server.ts sends
	// them to set it up first, from every page and action.
	return {
		staff: { name: locals.user.name, role: locals.user.role },
		// What the menu offers; each page still asks the permission module itself.
		can: {
			manageUsers: can(locals.user, accountsPolicy.manageUsers),
			manageTopics: can(locals.user, topicsPolicy.manage),
			manageOrganizations: can(locals.user, organizationsPolicy.manage),
			decideAccess: can(locals.user, organizationsPolicy.decideAccess),
			moderatePartnerSearch: can(locals.user, partnerSearchPolicy.moderate),
			moderateDialogue: can(locals.user, dialoguePolicy.moderatePlatform),
			setReportDeadlines: can(locals.user, resultsPolicy.setDeadlines),
			readAuditLog: can(locals.user, accountsPolicy.readAuditLog),
			readOutbox: can(locals.user, accountsPolicy.readOutbox)
		}
	};
};
