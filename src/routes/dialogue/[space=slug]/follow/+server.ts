import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { readForm, readQuery, requestForm } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import { followFormShape, followQueryShape } from '#lib/server/dialogue/notifications/input.ts';
import { setFollow } from '#lib/server/dialogue/notifications/follows.ts';

// The follow button (a plain form, no JavaScript): POST follows or stops following the space, or
// with `?proposal=<id>` one of its proposals, and goes back to that page at the button, saying what
// it did. Signed out, it leads to sign-in and back. A GET (a followed link) just goes to the page.

function back(locale: Parameters<typeof localizePath>[0], space: string, proposal?: number): string {
	return localizePath(locale, proposal ? `/dialogue/${space}/proposals/${proposal}` : `/dialogue/${space}`);
}

export const GET: RequestHandler = ({ locals, params, url }) => {
	const { proposal } = readQuery(url.searchParams, followQueryShape, 'dialogue');
	redirect(303, back(locals.locale, params.space, proposal));
};

export const POST: RequestHandler = async ({ locals, params, url, request }) => {
	const form = (await requestForm(request)) ?? new FormData();
	const place = await forPage(locals.locale, () => ({
		space: params.space,
		proposal: readQuery(url.searchParams, followQueryShape, 'dialogue').proposal
	}));
	const page = back(locals.locale, params.space, place.proposal);
	if (!locals.user) {
		redirect(303, `${localizePath(locals.locale, '/sign-in')}?to=${encodeURIComponent(page)}`);
	}
	const follow = await forPage(locals.locale, async () => {
		const { follow } = readForm(form, followFormShape, 'dialogue');
		await setFollow(await db(), locals.user, place, follow);
		return follow;
	});
	redirect(303, `${page}?follow=${follow}#follow`);
};
