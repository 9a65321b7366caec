import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { forPage } from '#lib/server/core/http.ts';
import {
	authorize,
	can,
	partnerSearch,
	registry,
	requiresSecondFactor,
	workspace
} from '#lib/server/core/permissions.ts';

// Every page under /admin passes here first: signed out → sign in; signed in without a staff role → 403.
export const load: LayoutServerLoad = async ({ locals, url }) => {
	if (!locals.user) {
		redirect(
			303,
			`${localizePath(locals.locale, '/sign-in')}?to=${encodeURIComponent(url.pathname + url.search)}`
		);
	}
	await forPage(locals.locale, () => authorize(locals.user, workspace.enter));
	// Editors and admins can publish and change roles: they need a second factor first.
	if (requiresSecondFactor(locals.user.role) && !locals.user.twoFactorEnabled) {
		redirect(303, `${localizePath(locals.locale, '/account/two-factor')}?required`);
	}
	return {
		staff: { name: locals.user.name, role: locals.user.role },
		// What the menu offers; each page still asks the permission module itself.
		can: {
			manageUsers: can(locals.user, workspace.manageUsers),
			manageTopics: can(locals.user, workspace.manageTopics),
			manageOrganizations: can(locals.user, registry.manageOrganizations),
			moderatePartnerSearch: can(locals.user, partnerSearch.moderate),
			readAuditLog: can(locals.user, workspace.readAuditLog),
			readOutbox: can(locals.user, workspace.readOutbox) && !process.env.SMTP_URL
		}
	};
};
