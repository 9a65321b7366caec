/** A moment as the clock in Sweden shows it ("14:32"), for the author's edit window. */
export const clockTime = (iso: string, locale: string) =>
	new Date(iso).toLocaleTimeString(locale === 'sv' ? 'sv-SE' : 'en-GB', {
		hour: '2-digit',
		minute: '2-digit',
		timeZone: 'Europe/Stockholm'
	});
