import { z } from 'zod';
import { ValidationError, type FieldProblem } from '../../kernel/errors.ts';
import { fields, formValues, line, paragraphs, parseInput, type Input } from '../../kernel/input.ts';
import {
	locationPrivacies,
	reportDescriptionMax,
	reportGridSizes,
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
		.pipe(z.string().regex(/^-?\d{1,3}(\.\d{1,17})?$/, code))
		// A phone's position comes with all its digits; a tenth of a metre is plenty.
		.transform((v) => Math.round(Number(v) * 1e6) / 1e6);

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
	/** Not chosen: roughly there, the form's own default. */
	reportPrecision: z.enum(reportPrecisions, 'invalid').default('approximate'),
	/** Made by the phone that sends the report: a second sending of the same report is ignored. */
	clientId: z.uuid('invalid').optional(),
	/** An optional photo (the media pipeline checks its bytes) and its alt text. */
	reportPhoto: fields.file.optional(),
	reportPhotoAlt: line(300, 'proposalPhotoAltTooLong').optional()
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
	const photo = raw.reportPhoto instanceof File && raw.reportPhoto.size > 0;
	if (photo && !given('reportPhotoAlt') && !has('reportPhotoAlt')) {
		problems.push({ field: 'reportPhotoAlt', code: 'proposalPhotoAltRequired' });
	}
	if (!photo && given('reportPhotoAlt') && !has('reportPhoto')) {
		problems.push({ field: 'reportPhoto', code: 'proposalPhotoMissing' });
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
		clientId: str(sent.clientId),
		reportPhotoAlt: str(sent.reportPhotoAlt),
		/** A photo was chosen: it must be chosen again if the form comes back. */
		photoSent: sent.reportPhoto instanceof File
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

// ---------------------------------------------------------------------------------------------
// The space's set-up: review, privacy, the map's area, its districts and categories.

export const maxCategories = 12;
export const maxDistricts = 60;
const degrees = (code: string) =>
	z
		.string(code)
		.transform((v) => v.trim().replace(',', '.'))
		.pipe(z.string().regex(/^-?\d{1,3}(\.\d{1,8})?$/, code))
		.transform(Number);

export const setupShape = {
	review: z.literal('yes', 'invalid').optional(),
	askPhoto: z.literal('yes', 'invalid').optional(),
	/** The SMS keyword, any case as typed: kept upper-case. */
	smsKeyword: z
		.string('reportSetupSmsKeyword')
		.trim()
		.regex(/^[\p{L}\p{N}]{2,20}$/u, 'reportSetupSmsKeyword')
		.transform((v) => v.toUpperCase())
		.optional(),
	privacy: z.enum(locationPrivacies, 'invalid'),
	gridMeters: z.enum(reportGridSizes.map(String) as [string, ...string[]], 'invalid').transform(Number),
	municipality: z
		.string('reportSetupUnknownMunicipality')
		.regex(/^\d{4}$/, 'reportSetupUnknownMunicipality')
		.optional(),
	west: degrees('reportSetupInvalidBox').optional(),
	south: degrees('reportSetupInvalidBox').optional(),
	east: degrees('reportSetupInvalidBox').optional(),
	north: degrees('reportSetupInvalidBox').optional(),
	/** One district a line: "Name; latitude; longitude". */
	districts: paragraphs(6000).optional(),
	categoryKey: fields.list(z.string().regex(/^([a-z0-9-]{1,40})?$/, 'invalid'), maxCategories + 3),
	categorySv: fields.list(line(60), maxCategories + 3),
	categoryEn: fields.list(line(60), maxCategories + 3),
	categoryHelpSv: fields.list(line(200), maxCategories + 3),
	categoryHelpEn: fields.list(line(200), maxCategories + 3)
};
export type SetupInput = Input<typeof setupShape>;

export interface SetupCategory {
	/** Empty for a new one. */
	key: string;
	title: { sv?: string; en?: string };
	description: { sv?: string; en?: string };
}

/** A set-up as saved: the districts read from their lines, the categories from their rows. */
export interface ReportSetupValues {
	review: boolean;
	askPhoto: boolean;
	smsKeyword: string | null;
	privacy: (typeof locationPrivacies)[number];
	gridMeters: number;
	municipalityCode: string | null;
	bbox: [number, number, number, number] | null;
	districts: { name: string; lat: number; lon: number }[];
	categories: SetupCategory[];
}

/** Reads the set-up form: every problem at once, each at its field. */
export function readSetupForm(form: FormData | Record<string, unknown>): ReportSetupValues {
	const raw = form instanceof FormData ? formValues(form, setupShape) : form;
	// The box, the lines and the rows are checked once each field itself is right.
	const input = parseInput(setupShape, raw, 'dialogue');
	const problems: FieldProblem<'dialogue'>[] = [];
	const box = [input.west, input.south, input.east, input.north];
	const boxGiven = box.some((v) => v !== undefined);
	if (
		boxGiven &&
		(box.some((v) => v === undefined) ||
			!(input.west! < input.east! && input.south! < input.north!) ||
			Math.abs(input.south!) > 90 ||
			Math.abs(input.north!) > 90 ||
			Math.abs(input.west!) > 180 ||
			Math.abs(input.east!) > 180 ||
			input.east! - input.west! > 5 ||
			input.north! - input.south! > 5)
	) {
		problems.push({ field: 'west', code: 'reportSetupInvalidBox' });
	}
	if (!boxGiven && !input.municipality) problems.push({ field: 'municipality', code: 'reportSetupNoArea' });
	const districts: ReportSetupValues['districts'] = [];
	const lines = (input.districts ?? '')
		.split('\n')
		.map((l) => l.trim())
		.filter(Boolean);
	if (lines.length > maxDistricts) problems.push({ field: 'districts', code: 'reportSetupTooManyDistricts' });
	for (const [n, l] of lines.entries()) {
		const [name, lat, lon] = l.split(';').map((p) => p.trim());
		const la = Number(lat?.replace(',', '.'));
		const lo = Number(lon?.replace(',', '.'));
		if (
			!name ||
			name.length > 80 ||
			!lat ||
			!lon ||
			!Number.isFinite(la) ||
			!Number.isFinite(lo) ||
			Math.abs(la) > 90 ||
			Math.abs(lo) > 180
		) {
			problems.push({ field: 'districts', code: 'reportSetupBadDistrict', params: { line: n + 1 } });
			break;
		}
		districts.push({ name, lat: la, lon: lo });
	}
	const categories: SetupCategory[] = [];
	input.categoryKey.forEach((key, i) => {
		const sv = input.categorySv[i] ?? '';
		const en = input.categoryEn[i] ?? '';
		if (!sv && !en) {
			// An empty row: a new one left blank, or an existing one to remove.
			if (key) categories.push({ key, title: {}, description: {} });
			return;
		}
		const helpSv = input.categoryHelpSv[i] ?? '';
		const helpEn = input.categoryHelpEn[i] ?? '';
		categories.push({
			key,
			title: { ...(sv && { sv }), ...(en && { en }) },
			description: { ...(helpSv && { sv: helpSv }), ...(helpEn && { en: helpEn }) }
		});
	});
	if (!categories.some((c) => c.title.sv || c.title.en)) {
		problems.push({ field: 'categorySv', code: 'reportSetupNoCategory' });
	}
	if (categories.filter((c) => c.title.sv || c.title.en).length > maxCategories) {
		problems.push({ field: 'categorySv', code: 'reportSetupTooManyCategories' });
	}
	if (problems.length) throw new ValidationError(problems, 'dialogue');
	return {
		review: input.review === 'yes',
		askPhoto: input.askPhoto === 'yes',
		smsKeyword: input.smsKeyword ?? null,
		privacy: input.privacy,
		gridMeters: input.gridMeters,
		municipalityCode: input.municipality ?? null,
		bbox: boxGiven ? [input.west!, input.south!, input.east!, input.north!] : null,
		districts,
		categories
	};
}
