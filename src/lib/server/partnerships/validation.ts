import { z } from 'zod';
import { ValidationError, type FieldProblem, type ErrorCode } from '../kernel/errors.ts';
import { partnershipStatuses, type PartnershipStatus } from './schema.ts';

/** What the partnership list, its map, the API and the CSV can be filtered by. */
export interface PartnershipFilter {
	status?: PartnershipStatus;
	theme?: string;
	goal?: number;
	target?: string;
	/** The international partner's country (ISO 3166-1 alpha-2). */
	country?: string;
	/** The Swedish partner's county (two digits, "14" for Västra Götaland). */
	county?: string;
	page: number;
}

export const partnershipFilterParams = ['status', 'theme', 'sdg', 'country', 'county', 'page'] as const;

const schemas: Record<string, [z.ZodType<unknown, string>, ErrorCode<'partnerships'>]> = {
	status: [z.enum(partnershipStatuses), 'invalidStatus'],
	theme: [z.string().regex(/^[a-z][a-z0-9-]{0,39}$/), 'invalidTheme'],
	sdg: [z.string().regex(/^(1[0-7]|[1-9])(\.(\d{1,2}|[a-z]))?$/), 'invalidSdg'],
	country: [
		z
			.string()
			.regex(/^[A-Za-z]{2}$/)
			.transform((c) => c.toUpperCase()),
		'invalidCountry'
	],
	county: [z.string().regex(/^\d{2}$/), 'invalidCounty'],
	page: [
		z
			.string()
			.regex(/^\d{1,4}$/)
			.transform(Number)
			.pipe(z.number().int().min(1).max(1000)),
		'invalidPage'
	]
};

/**
 * Parses the query string of /partnerships and its API and CSV. Each bad or repeated parameter
 * is named; unknown ones are ignored so shared links with tracking tags still work.
 */
export function parsePartnershipFilter(params: URLSearchParams): PartnershipFilter {
	const problems: FieldProblem<'partnerships'>[] = [];
	const values: Record<string, unknown> = {};
	for (const [name, [schema, code]] of Object.entries(schemas)) {
		const all = params
			.getAll(name)
			.map((v) => v.trim())
			.filter(Boolean);
		if (all.length > 1) {
			problems.push({ field: name, code: 'repeated' });
			continue;
		}
		if (!all.length) continue;
		const parsed = schema.safeParse(all[0]);
		if (parsed.success) values[name] = parsed.data;
		else problems.push({ field: name, code });
	}
	if (problems.length) throw new ValidationError(problems, 'partnerships');
	const sdg = values.sdg as string | undefined;
	return {
		status: values.status as PartnershipStatus | undefined,
		theme: values.theme as string | undefined,
		goal: sdg && !sdg.includes('.') ? Number(sdg) : undefined,
		target: sdg?.includes('.') ? sdg : undefined,
		country: values.country as string | undefined,
		county: values.county as string | undefined,
		page: (values.page as number | undefined) ?? 1
	};
}

/** `format` of the list endpoints: json (default) or csv. */
export function parseFormat(params: URLSearchParams): 'json' | 'csv' {
	const values = params.getAll('format');
	if (values.length > 1) throw new ValidationError([{ field: 'format', code: 'repeated' }], 'partnerships');
	const value = values[0]?.trim().toLowerCase() || 'json';
	if (value !== 'json' && value !== 'csv')
		throw new ValidationError([{ field: 'format', code: 'invalidFormat' }], 'partnerships');
	return value;
}
