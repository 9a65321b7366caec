// Fixed values of results follow-up that the browser needs too (the schema uses the same lists).

/** Where a result stands; a proposal that led to it tells its followers when this changes. */
export const resultStatuses = [
	'planned',
	'in-progress',
	'achieved',
	'partly-achieved',
	'not-achieved'
] as const;
export type ResultStatus = (typeof resultStatuses)[number];
