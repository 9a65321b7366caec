import { and, desc, eq, gte, inArray, lte, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { localizePath, type Locale } from '#lib/i18n/index.ts';
import type { Database } from '../../kernel/database.ts';
import { NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { escapeXml } from '../../kernel/xml.ts';
import { readQuery } from '../../kernel/input.ts';
import { media } from '../../media/schema.ts';
import { mapReport, type ReportStatus } from '../schema.ts';
import { reportSpace, type ReportSpace } from './queries.ts';

// A space's reports through Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2), so that
// existing Open311 clients can read them: each space is a jurisdiction (`jurisdiction_id` = the
// space's address), each category a service. In both of the specification's formats, named by the
// address (`requests.json`, `requests.xml`). Like every public read, a request carries the public
// point, never the exact one, and only public reports are listed.

/** Open311 has two states: a report is open until it is resolved or rejected. */
const open311Status = (s: ReportStatus) => (s === 'resolved' || s === 'rejected' ? 'closed' : 'open');
const openStatuses: ReportStatus[] = ['new', 'verified', 'in-progress'];
const closedStatuses: ReportStatus[] = ['resolved', 'rejected'];

/** Open311's default page is 1,000 requests; this API pages them (`page`, `page_size`). */
export const maxPageSize = 1000;

const isoDate = z.iso.datetime({ offset: true, message: 'invalid' }).transform((v) => new Date(v));
const querySchema = {
	jurisdiction_id: z.string('open311NoJurisdiction').regex(/^[a-z0-9-]{1,120}$/, 'open311NoJurisdiction'),
	service_request_id: z
		.string('invalid')
		.regex(/^\d{1,9}(,\d{1,9}){0,99}$/, 'invalid')
		.transform((v) => v.split(',').map(Number))
		.optional(),
	service_code: z
		.string('invalid')
		.regex(/^[a-z0-9-]{1,40}$/, 'invalid')
		.optional(),
	status: z.enum(['open', 'closed'], 'invalid').optional(),
	start_date: isoDate.optional(),
	end_date: isoDate.optional(),
	page: z.coerce.number('invalid').int('invalid').min(1, 'invalid').max(100_000, 'invalid').optional(),
	page_size: z.coerce
		.number('invalid')
		.int('invalid')
		.min(1, 'invalid')
		.max(maxPageSize, 'invalid')
		.optional()
};

export type Open311Format = 'json' | 'xml';

/**
 * What each answer is called in the specification's XML: the list's element and its items'
 * (JSON has the same lists without the names).
 */
const xmlNames = {
	services: ['services', 'service'],
	definition: ['service_definition', null],
	requests: ['service_requests', 'request'],
	errors: ['errors', 'error']
} as const;
export type Open311Answer = keyof typeof xmlNames;

/**
 * A value as the specification's XML writes it: a definition's `attributes` list nests `attribute`
 * (the only list inside an item), null is an empty element. Written with the kernel's `escapeXml`
 * rather than fast-xml-parser's builder, which escapes markup but keeps characters XML cannot
 * carry, so one pasted control character would make a client reject the whole list.
 */
function xmlOf(name: string, value: unknown): string {
	if (Array.isArray(value)) {
		const item = name === 'attributes' ? 'attribute' : 'value';
		return `<${name}>${value.map((v) => xmlOf(item, v)).join('')}</${name}>`;
	}
	if (value && typeof value === 'object') {
		const inner = Object.entries(value)
			.map(([k, v]) => xmlOf(k, v))
			.join('');
		return `<${name}>${inner}</${name}>`;
	}
	return value === null || value === undefined || value === ''
		? `<${name}/>`
		: `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** An Open311 answer in the format the address names. */
export function open311Answer(
	format: Open311Format,
	kind: Open311Answer,
	body: unknown,
	status = 200
): Response {
	if (format === 'json') return Response.json(body, { status });
	const [list, item] = xmlNames[kind];
	const inner = item
		? (body as unknown[]).map((entry) => xmlOf(item, entry)).join('')
		: Object.entries(body as object)
				.map(([k, v]) => xmlOf(k, v))
				.join('');
	return new Response(`<?xml version="1.0" encoding="utf-8"?>\n<${list}>${inner}</${list}>\n`, {
		status,
		headers: { 'content-type': 'text/xml; charset=utf-8' }
	});
}

/** Open311's error answer: a list of code and description. */
export function open311Error(status: number, description: string, format: Open311Format = 'json'): Response {
	return open311Answer(format, 'errors', [{ code: status, description }], status);
}

/** A read as Open311 answers it: its errors in its own shape and format, never a page of ours. */
export async function forOpen311(format: Open311Format, run: () => Promise<Response>): Promise<Response> {
	try {
		return await run();
	} catch (e) {
		if (e instanceof ValidationError) {
			return open311Error(400, e.problems.map((p) => `${p.field}: ${String(p.code)}`).join('; '), format);
		}
		if (e instanceof NotFoundError) return open311Error(404, e.message, format);
		throw e;
	}
}

async function jurisdiction(db: Database, params: URLSearchParams, locale: Locale) {
	const query = readQuery(params, querySchema);
	return { space: await reportSpace(db, query.jurisdiction_id, locale), query };
}

/** GET services.json: the space's categories. */
export async function open311Services(db: Database, params: URLSearchParams, locale: Locale) {
	const { space } = await jurisdiction(db, params, locale);
	return space.categories.map((c) => ({
		service_code: c.key,
		service_name: c.title,
		description: c.description,
		metadata: false,
		type: 'realtime',
		keywords: '',
		group: space.title
	}));
}

/** GET services/<code>.json: a category asks nothing beyond Open311's own fields. */
export async function open311Definition(db: Database, params: URLSearchParams, code: string, locale: Locale) {
	const { space } = await jurisdiction(db, params, locale);
	if (!space.categories.some((c) => c.key === code)) throw new NotFoundError('Service');
	return { service_code: code, attributes: [] };
}

function requestJson(space: ReportSpace, origin: string, locale: Locale) {
	const categories = new Map(space.categories.map((c) => [c.id, c]));
	return (r: {
		id: number;
		categoryId: number;
		status: ReportStatus;
		note: string | null;
		description: string;
		district: string | null;
		lat: number | null;
		lon: number | null;
		createdAt: Date;
		updatedAt: Date;
		photoKey: string | null;
		photoVariants: number[] | null;
	}) => ({
		service_request_id: String(r.id),
		status: open311Status(r.status),
		status_notes: r.note ?? '',
		service_name: categories.get(r.categoryId)?.title ?? '',
		service_code: categories.get(r.categoryId)?.key ?? '',
		description: r.description,
		agency_responsible: space.title,
		service_notice: '',
		requested_datetime: r.createdAt.toISOString(),
		updated_datetime: r.updatedAt.toISOString(),
		expected_datetime: null,
		address: r.district ?? '',
		address_id: '',
		zipcode: '',
		lat: r.lat,
		long: r.lon,
		media_url:
			r.photoKey && r.photoVariants?.length
				? `${origin}/media/${r.photoKey}/${Math.max(...r.photoVariants)}.webp`
				: '',
		// Not in GeoReport v2: where people read the report.
		url: `${origin}${localizePath(locale, `/dialogue/${space.slug}/reports/${r.id}`)}`
	});
}

const requestColumns = {
	id: mapReport.id,
	categoryId: mapReport.categoryId,
	status: mapReport.status,
	note: mapReport.note,
	description: mapReport.description,
	district: mapReport.district,
	lat: mapReport.publicLat,
	lon: mapReport.publicLon,
	createdAt: mapReport.createdAt,
	firstAnsweredAt: mapReport.firstAnsweredAt,
	resolvedAt: mapReport.resolvedAt,
	photoKey: media.storageKey,
	photoVariants: media.variants
};

/** The last change Open311 can name: resolved, first answered, or written. */
const updated = (r: { createdAt: Date; firstAnsweredAt: Date | null; resolvedAt: Date | null }) =>
	r.resolvedAt ?? r.firstAnsweredAt ?? r.createdAt;

/** GET requests.json: the space's public reports, newest first, filtered as Open311 says, paged. */
export async function open311Requests(db: Database, params: URLSearchParams, origin: string, locale: Locale) {
	const { space, query } = await jurisdiction(db, params, locale);
	const r = mapReport;
	const where: (SQL | undefined)[] = [eq(r.spaceId, space.id), eq(r.public, true)];
	if (query.service_request_id) where.push(inArray(r.id, query.service_request_id));
	if (query.service_code) {
		where.push(eq(r.categoryId, space.categories.find((c) => c.key === query.service_code)?.id ?? -1));
	}
	if (query.status) where.push(inArray(r.status, query.status === 'open' ? openStatuses : closedStatuses));
	if (query.start_date) where.push(gte(r.createdAt, query.start_date));
	if (query.end_date) where.push(lte(r.createdAt, query.end_date));
	const size = query.page_size ?? maxPageSize;
	const rows = await db
		.select(requestColumns)
		.from(r)
		.leftJoin(media, eq(media.id, r.mediaId))
		.where(and(...where))
		.orderBy(desc(r.createdAt), desc(r.id))
		.limit(size)
		.offset(((query.page ?? 1) - 1) * size);
	return rows.map((row) => requestJson(space, origin, locale)({ ...row, updatedAt: updated(row) }));
}

/** GET requests/<id>.json: one public report, as a list of one (Open311's shape). */
export async function open311Request(
	db: Database,
	params: URLSearchParams,
	id: number,
	origin: string,
	locale: Locale
) {
	const { space } = await jurisdiction(db, params, locale);
	const [row] = await db
		.select(requestColumns)
		.from(mapReport)
		.leftJoin(media, eq(media.id, mapReport.mediaId))
		.where(and(eq(mapReport.id, id), eq(mapReport.spaceId, space.id), eq(mapReport.public, true)));
	if (!row) throw new NotFoundError('Request');
	return [requestJson(space, origin, locale)({ ...row, updatedAt: updated(row) })];
}
