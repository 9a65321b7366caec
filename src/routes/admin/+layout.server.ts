import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { forPage } from '#lib/server/core/http.ts';
import { authorize, workspace } from '#lib/server/core/permissions.ts';

// Every page under /admin passes here first: signed out → sign in; signed in without a staff role → 403.
export const load: LayoutServerLoad = async ({ locals, url }) => {
	if (!locals.user) {
		redirect(
			303,
			`${localizePath(locals.locale, '/sign-in')}?to=${encodeURIComponent(url.pathname + url.search)}`
		);
	}
	await forPage(locals.locale, () => authorize(locals.user, workspace.enter));
	return { staff: { name: locals.user.name, role: locals.user.role } };
};
