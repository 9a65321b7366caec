import type { Reroute } from '@sveltejs/kit/hooks';
import { splitLocale } from '#lib/i18n/locales.ts';

/** English lives under /en with the same routes as Swedish at the root. */
export const reroute: Reroute = ({ url }) => splitLocale(url.pathname)[1];
