import { redirect } from '@sveltejs/kit';
import { localizePath, type Locale } from '#lib/i18n/index.ts';

/** A signed-out visitor of the work pages goes to sign in first, and comes back here after. */
export function signInFirst(user: unknown, locale: Locale, url: URL): void {
	if (!user)
		redirect(303, `${localizePath(locale, '/sign-in')}?to=${encodeURIComponent(url.pathname + url.search)}`);
}

/** A form's text fields as sent, to show them again when it is sent back (never a file). */
export function sentText(form: FormData, names?: readonly string[]): Record<string, string | string[]> {
	const sent: Record<string, string | string[]> = {};
	for (const name of names ?? new Set(form.keys())) {
		const values = form.getAll(name).filter((v): v is string => typeof v === 'string');
		if (values.length) sent[name] = values.length === 1 ? values[0]! : values;
	}
	return sent;
}
