import type { IndicatorMeasure, ResultLevel } from '../schema.ts';
import type { PartnershipStatus } from '../../partnerships/schema.ts';
import type { OrganizationKind } from '../../organizations/schema.ts';

// The IATI 2.03 codelists the activity file uses, and our own namespace for what IATI has no
// element for (decision 16). Codes are written as codes; a file may also name them (the
// standard's example writes "output" and "Unit"), which the import accepts.

export const iatiVersion = '2.03';

/** Our extension namespace: a result's parent, principle and weight, an indicator's weight and data source. */
export const extensionNamespace = 'urn:partnerskap-for-lokal-demokrati:iati-results:1';
export const extensionPrefix = 'pld';

/** The addresses of IATI's own SDG codelists: a result's `reference` to a goal or a target. */
export const goalVocabularyUri = 'https://iatistandard.org/en/iati-standard/203/codelists/unsdg-goals/';
export const targetVocabularyUri = 'https://iatistandard.org/en/iati-standard/203/codelists/unsdg-targets/';
/** ResultVocabulary 99 (reporting organisation): the only result vocabulary in 2.03. */
export const resultReferenceVocabulary = '99';
/** TagVocabulary 2 (UN SDG goals) and 3 (UN SDG targets): the activity's tags. */
export const goalTagVocabulary = '2';
export const targetTagVocabulary = '3';

/** ResultType: 1 output, 2 outcome, 3 impact (9 other has no level of ours). */
export const resultTypes: Record<ResultLevel, string> = { output: '1', outcome: '2', impact: '3' };
/** IndicatorMeasure: 1 unit … 5 qualitative. */
export const measureCodes: Record<IndicatorMeasure, string> = {
	unit: '1',
	percentage: '2',
	nominal: '3',
	ordinal: '4',
	qualitative: '5'
};

/** A code, or the codelist's name for it ("Output", "unit"): what it stands for, if anything. */
function byCodeOrName<K extends string>(
	codes: Record<K, string>,
	written: string | undefined
): K | undefined {
	const w = written?.trim().toLowerCase();
	if (!w) return undefined;
	return (Object.keys(codes) as K[]).find((k) => codes[k] === w || k === w);
}
export const levelOf = (written: string | undefined) => byCodeOrName(resultTypes, written);
export const measureOf = (written: string | undefined) => byCodeOrName(measureCodes, written);

/** ActivityStatus: 1 pipeline/identification, 2 implementation, 4 closed. */
export const activityStatuses: Record<PartnershipStatus, string> = {
	inception: '1',
	active: '2',
	completed: '4'
};

/** OrganisationType: 11 local government, 10 government, 22 national NGO, 24 partner-country NGO, 80 academic, 90 other. */
export function organisationType(kind: OrganizationKind, swedish: boolean): string {
	switch (kind) {
		case 'municipality':
		case 'region':
		case 'city':
		case 'district':
		case 'province':
			return '11';
		case 'agency':
			return '10';
		case 'ngo':
			return swedish ? '22' : '24';
		case 'research':
			return '80';
		case 'museum':
			return '15';
		default:
			return '90';
	}
}
/** OrganisationRole 4: implementing (both sides of a partnership carry it out). */
export const implementingRole = '4';

/** xsd:boolean as a file may write it. */
export function booleanOf(written: string | undefined): boolean | undefined {
	const w = written?.trim();
	if (w === 'true' || w === '1') return true;
	if (w === 'false' || w === '0') return false;
	return undefined;
}

/** xsd:decimal: what a numeric measure's value must be. */
export const isDecimal = (v: string) => /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(v);
/** xsd:date without a time zone, and a real day. */
export function isIsoDate(v: string | undefined): v is string {
	if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
	const d = new Date(`${v}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}
