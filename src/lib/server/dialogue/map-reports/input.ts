import { z } from 'zod';
import { ValidationError, type FieldProblem } from '../../kernel/errors.ts';
import { fields, formValues, line, paragraphs, parseInput, type Input } from '../../kernel/input.ts';
import {
	reportDescriptionMax,
	reportPeriods,
	reportPrecisions,
	reportStatuses,
	type ReportStatus
} from '../../../dialogue-values.ts';

// The forms and query strings of reports on a map. Field names carry the part's prefix (every
// part's fields are joined under `dialogue.fields`).

export const descriptionMin = 10;
export const placeMax = 160;
export const noteMax = 1000;
export const reportPageSize = 50;

/** A coordinate as typed: a decimal number with a point or a comma ("57,93"). */
const coordinate = (code: string) =>
	z
		.string(code)
		.transform((v) => v.trim().replace(',', '.'))
		.pipe(z.string().regex(/^-?\d{1,3}(\.\d{1,10})?$/, code))
		.transform(Number);

export const reportShape = {
	reportCategory: z.string('reportCategoryMissing').regex(/^[a-z0-9-]{1,40}$/, 'reportCategoryMissing'),
	reportDescription: z
		.string('required')
		.pipe(paragraphs(reportDescriptionMax))
		.pipe(z.string().min(1, 'required').min(descriptionMin, 'reportDescriptionTooShort')),
	reportDistrict: line(80).optional(),
	reportPlace: line(placeMax).optional(),
	reportLat: coordinate('reportInvalidPoint')
		.pipe(z.number().min(-90, 'reportInvalidPoint').max(90, 'reportInvalidPoint'))
		.optional(),
	reportLon: coordinate('reportInvalidPoint')
		.pipe(z.number().min(-180, 'reportInvalidPoint').max(180, 'reportInvalidPoint'))
		.optional(),
	reportPrecision: z.enum(reportPrecisions, 'invalid'),
	/** Made by the phone that sends the report: a second sending of the same report is ignored. */
	clientId: z.uuid('invalid').optional()
};
export type ReportInput = Input<typeof reportShape>;

/**
 * The report form read whole: a place is needed (a point, a district or words), a point needs
 * both its numbers, and "only the district" needs the district. Every problem at once.
 */
export function readReportForm(form: FormData | Record<string, unknown>): ReportInput {
	// An empty field is an unanswered one, from a form or from a caller's record alike.
	const raw =
		form instanceof FormData
			? formValues(form, reportShape)
			: Object.fromEntries(Object.entries(form).filter(([, v]) => v !== ''));
	let parsed: ReportInput | undefined;
	const problems: FieldProblem<'dialogue'>[] = [];
	try {
		parsed = parseInput(reportShape, raw, 'dialogue');
	} catch (e) {
		if (!(e instanceof ValidationError)) throw e;
		problems.push(...(e as ValidationError<'dialogue'>).problems);
	}
	const has = (field: string) => problems.some((p) => p.field === field);
	const given = (field: string) => typeof raw[field] === 'string' && (raw[field] as string).trim() !== '';
	const lat = given('reportLat');
	const lon = given('reportLon');
	if (lat !== lon && !has('reportLat') && !has('reportLon')) {
		problems.push({ field: lat ? 'reportLon' : 'reportLat', code: 'reportPointHalf' });
	}
	if (!lat && !lon && !given('reportDistrict') && !given('reportPlace')) {
		problems.push({ field: 'reportPlace', code: 'reportPlaceMissing' });
	}
	if (raw.reportPrecision === 'district' && !given('reportDistrict') && !has('reportDistrict')) {
		problems.push({ field: 'reportDistrict', code: 'reportDistrictMissing' });
	}
	if (problems.length || !parsed) throw new ValidationError(problems, 'dialogue');
	return parsed;
}

/** What was typed into the report form, to show it again. */
export function reportFormValues(form: FormData) {
	const sent = formValues(form, reportShape);
	const str = (v: unknown) => (typeof v === 'string' ? v : '');
	return {
		reportCategory: str(sent.reportCategory),
		reportDescription: str(sent.reportDescription),
		reportDistrict: str(sent.reportDistrict),
		reportPlace: str(sent.reportPlace),
		reportLat: str(sent.reportLat),
		reportLon: str(sent.reportLon),
		reportPrecision: str(sent.reportPrecision) || 'approximate',
		clientId: str(sent.clientId)
	};
}
export type ReportFormValues = ReturnType<typeof reportFormValues>;

/** A team member's step: the new status and its public note. */
export const statusShape = {
	reportStatus: z.enum(reportStatuses, 'invalid'),
	reportNote: z.string('required').pipe(paragraphs(noteMax)).pipe(z.string().min(1, 'reportNoteMissing'))
};
export type StatusInput = Input<typeof statusShape>;

/** The public map's and list's filters, from the query string. */
export const reportFilterShape = {
	category: z
		.string('invalid')
		.regex(/^[a-z0-9-]{1,40}$/, 'invalid')
		.optional(),
	status: z.enum(reportStatuses, 'invalid').optional(),
	period: z.enum(reportPeriods, 'invalid').optional(),
	page: fields.page.optional(),
	/** A map mark's box: west,south,east,north. */
	box: z
		.string('invalid')
		.transform((v) => v.split(',').map(Number))
		.pipe(z.tuple([z.number(), z.number(), z.number(), z.number()], 'invalid'))
		.refine((b) => b.every(Number.isFinite) && b[0] <= b[2] && b[1] <= b[3], 'invalid')
		.optional()
};
export type ReportFilter = Input<typeof reportFilterShape>;

export type { ReportStatus };

/** The report page's query string: `?sent` or `?repeated` after reporting. */
export const reportPageShape = {
	sent: fields.present,
	repeated: fields.present
};

/** The team's list: one status, a page. */
export const teamFilterShape = {
	status: z.enum(reportStatuses, 'invalid').optional(),
	page: fields.page.optional()
};
