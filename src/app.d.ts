import type { Locale } from '#lib/i18n/locales.ts';
import type { SignedInUser } from '#lib/server/accounts/sessions.ts';

declare global {
	namespace App {
		interface Error {
			/** Shown to the visitor and written to the log, to find one from the other. */
			id?: string;
			/** Field by field, what was wrong with the request. */
			problems?: { field: string; message: string }[];
		}
		interface Locals {
			locale: Locale;
			/** From the session cookie, checked on every request; null when signed out. */
			user: SignedInUser | null;
		}
		interface PageData {
			locale: Locale;
			/** The languages this page exists in, when not all (an article not yet translated). */
			languages?: string[];
			user: { name: string; role: string } | null;
		}
	}
}

export {};
