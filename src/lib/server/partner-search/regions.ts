// World regions a profile can name as "where we look for a partner", beside single countries.
// The grouping follows how programmes for municipal partnerships speak of the world (Sida's and
// ICLD's regional programmes), not a strict UN M49 split: the Middle East is a region of its
// own, and a few countries between two regions belong to both (Türkiye, Egypt, the Caucasus).

/** The world-region keys, in the order the forms list them. */
export const worldRegions = [
	'africa',
	'asia',
	'europe',
	'latin-america',
	'middle-east',
	'north-america',
	'oceania'
] as const;
export type WorldRegion = (typeof worldRegions)[number];

const members: Record<WorldRegion, string> = {
	africa:
		'DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY MG MW ML MR MU MA MZ NA NE NG RW ST SN SC SL SO ZA SS SD TZ TG TN UG ZM ZW EH RE YT SH',
	asia: 'AF AM AZ BD BT BN KH CN GE HK IN ID JP KZ KP KR KG LA MO MY MV MN MM NP PK PH SG LK TW TJ TH TL TM UZ VN',
	europe:
		'AD AL AM AT AX AZ BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GE GG GI GR HR HU IE IM IS IT JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM TR UA VA XK',
	'latin-america':
		'AG AI AR AW BB BL BO BQ BR BS BZ CL CO CR CU CW DM DO EC FK GD GF GP GT GY HN HT JM KN KY LC MF MQ MS MX NI PA PE PR PY SR SV SX TC TT UY VC VE VG VI',
	'middle-east': 'AE BH EG IL IQ IR JO KW LB OM PS QA SA SY TR YE',
	'north-america': 'BM CA GL PM US',
	oceania: 'AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV VU WF WS'
};

const byCountry = new Map<string, WorldRegion[]>();
for (const region of worldRegions) {
	for (const code of members[region].split(' '))
		byCountry.set(code, [...(byCountry.get(code) ?? []), region]);
}

/** Whether a string is one of the world-region keys. */
export function isWorldRegion(value: string): value is WorldRegion {
	return (worldRegions as readonly string[]).includes(value);
}

/** The world regions a country (ISO 3166-1 alpha-2) belongs to: none, one or (rarely) two. */
export function regionsOfCountry(country: string): readonly WorldRegion[] {
	return byCountry.get(country.toUpperCase()) ?? [];
}

/** The countries of a world region. */
export function countriesOfRegion(region: WorldRegion): readonly string[] {
	return members[region].split(' ');
}

/**
 * Whether a place ("BW", "africa") covers a country: the country itself, or a region it is in.
 * "Looking for a partner in Africa" covers Ghanzi in Botswana.
 */
export function placeCovers(place: string, country: string): boolean {
	const code = country.toUpperCase();
	return place === code || (isWorldRegion(place) && regionsOfCountry(code).includes(place));
}
