// Facts about Global Goal codes, shared by server and pages (no server code here).

/** The goal a target belongs to: "16.7" → 16, "16.a" → 16; a goal's own number for "16". */
export function goalOfTarget(code: string): number {
	const dot = code.indexOf('.');
	return Number(dot < 0 ? code : code.slice(0, dot));
}

/** A target as people read it: its code and short title ("16.7 Inkluderande beslutsfattande"). */
export function targetLabel(code: string, title: string | undefined): string {
	return title ? `${code} ${title}` : code;
}

/**
 * Where the long words of the goals' short names may break, as soft hyphens: a tile is narrow
 * ("Bekämpa klimat-/förändringarna"), and browsers without a hyphenation dictionary for the
 * language would otherwise cut a word anywhere. Only for showing: search reads the names as stored.
 */
const breaks: Record<string, string> = {
	välbefinnande: 'väl-befinnande',
	jämställdhet: 'jäm-ställdhet',
	arbetsvillkor: 'arbets-villkor',
	infrastruktur: 'infra-struktur',
	innovationer: 'innova-tioner',
	klimatförändringarna: 'klimat-förändring-arna',
	genomförande: 'genom-förande',
	inkluderande: 'inklu-derande',
	konsumtion: 'konsum-tion',
	produktion: 'produk-tion',
	infrastructure: 'infra-structure',
	consumption: 'consump-tion',
	production: 'produc-tion',
	institutions: 'institu-tions',
	partnerships: 'partner-ships',
	sanitation: 'sanita-tion'
};
const longWords = new RegExp(`\\b(${Object.keys(breaks).join('|')})\\b`, 'giu');

/** A goal's short name with soft hyphens in its long words. */
export function tileName(name: string): string {
	return name.replace(longWords, (word) => {
		const parts = breaks[word.toLowerCase()]!.split('-');
		// Keep the word's own first letter (its case).
		return word[0] + parts.join('\u00ad').slice(1);
	});
}
