import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/databases.ts';
import { anActor, type TestActor } from '../../test/actors.ts';
import { aReportSpace } from '../../test/factories/dialogue.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { changeReportStatus, submitReport } from './commands.ts';
import { createOpen311Key, open311Create, open311Keys, revokeOpen311Key } from './open311-keys.ts';
import { employ } from '../../test/factories/partner-search.ts';
import { problems } from '../../test/problems.ts';
import { ForbiddenError } from '../../kernel/errors.ts';
import { eq } from 'drizzle-orm';
import { mapReport } from '../schema.ts';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
	forOpen311,
	open311Answer,
	open311Definition,
	open311Error,
	open311Request,
	open311Requests,
	open311Services
} from './open311.ts';

// A space's reports through Open311 GeoReport v2: the fields of the specification's examples, its
// two statuses, its filters and its error shape; public reports only, at their public points.

/** The keys of a request in the specification's example of GET requests.json. */
const specRequestKeys = [
	'service_request_id',
	'status',
	'status_notes',
	'service_name',
	'service_code',
	'description',
	'agency_responsible',
	'service_notice',
	'requested_datetime',
	'updated_datetime',
	'expected_datetime',
	'address',
	'address_id',
	'zipcode',
	'lat',
	'long',
	'media_url'
];
/** The keys of a service in the specification's example of GET services.json. */
const specServiceKeys = [
	'service_code',
	'service_name',
	'description',
	'metadata',
	'type',
	'keywords',
	'group'
];

describe.each(testDatabases)('Open311 on $name', (database) => {
	let h: DatabaseHandle;
	let reporter: TestActor;
	let moderator: TestActor;
	let space: Awaited<ReturnType<typeof aReportSpace>>;
	const ids: number[] = [];
	const q = (extra = '') => new URLSearchParams(`jurisdiction_id=${space.slug}${extra}`);
	const origin = 'https://partnerskap.example.se';

	beforeAll(async () => {
		h = await database.open();
		reporter = await anActor(h.db, 'reader');
		moderator = await anActor(h.db, 'reader');
		space = await aReportSpace(h.db, { team: { [moderator.id]: 'moderator' } });
		for (const [category, lat] of [
			['waste', '-7.8011'],
			['standing-water', '-7.7901'],
			['standing-water', '-7.8101']
		] as const) {
			const { id } = await submitReport(
				h.db,
				reporter,
				space.slug,
				{
					reportCategory: category,
					reportDescription: 'Vatten och sopor samlas vid gränden.',
					reportPrecision: 'exact',
					reportLat: lat,
					reportLon: '110.3677'
				},
				{ locale: 'en' }
			);
			ids.push(id);
		}
		// The first two are answered (one resolved); the third waits for review and is not public.
		await changeReportStatus(
			h.db,
			moderator,
			space.slug,
			ids[0]!,
			{ reportStatus: 'verified', reportNote: 'Seen.' },
			'en'
		);
		await changeReportStatus(
			h.db,
			moderator,
			space.slug,
			ids[1]!,
			{ reportStatus: 'resolved', reportNote: 'Cleared.' },
			'en'
		);
	});
	afterAll(async () => {
		await h?.close();
	});

	it('lists the space’s categories as services, with a definition each', async () => {
		const services = await open311Services(h.db, q(), 'en');
		expect(services.map((s) => s.service_code)).toEqual(['standing-water', 'waste']);
		for (const s of services) expect(Object.keys(s).sort()).toEqual([...specServiceKeys].sort());
		expect(services[0]).toMatchObject({ service_name: 'Standing water', metadata: false, type: 'realtime' });
		expect(await open311Definition(h.db, q(), 'waste', 'en')).toEqual({
			service_code: 'waste',
			attributes: []
		});
	});

	it('lists public requests with the specification’s fields, open or closed, at their public points', async () => {
		const requests = await open311Requests(h.db, q(), origin, 'en');
		expect(requests.map((r) => r.service_request_id)).toEqual([String(ids[1]), String(ids[0])]);
		for (const r of requests)
			expect(
				Object.keys(r)
					.filter((k) => k !== 'url')
					.sort()
			).toEqual([...specRequestKeys].sort());
		expect(requests[0]).toMatchObject({
			status: 'closed',
			status_notes: 'Cleared.',
			service_code: 'standing-water',
			address: 'Jetis'
		});
		expect(requests[1]).toMatchObject({ status: 'open', status_notes: 'Seen.', service_code: 'waste' });
		expect(requests[1]!.lat).not.toBe(-7.8011);
		expect(requests[1]!.long).not.toBe(110.3677);
		expect(requests[1]!.url).toBe(`${origin}/en/dialogue/${space.slug}/reports/${ids[0]}`);
		expect(Date.parse(requests[0]!.updated_datetime)).toBeGreaterThanOrEqual(
			Date.parse(requests[0]!.requested_datetime)
		);

		expect(
			(await open311Requests(h.db, q('&status=open'), origin, 'en')).map((r) => r.service_request_id)
		).toEqual([String(ids[0])]);
		expect((await open311Requests(h.db, q('&service_code=waste'), origin, 'en')).length).toBe(1);
		expect(
			(await open311Requests(h.db, q(`&service_request_id=${ids[1]},${ids[2]}`), origin, 'en')).length
		).toBe(1);
		expect(
			(await open311Requests(h.db, q('&page_size=1&page=2'), origin, 'en')).map((r) => r.service_request_id)
		).toEqual([String(ids[0])]);
		expect(await open311Requests(h.db, q('&start_date=2099-01-01T00:00:00Z'), origin, 'en')).toEqual([]);
		expect(await open311Request(h.db, q(), ids[0]!, origin, 'en')).toHaveLength(1);
	});

	it('answers errors in Open311’s shape: 404 for an unknown space or a request not public, 400 for a bad filter', async () => {
		const answer = async (run: () => Promise<unknown>) => {
			const res = await forOpen311('json', async () => Response.json(await run()));
			return { status: res.status, body: (await res.json()) as unknown };
		};
		expect(
			await answer(() => open311Services(h.db, new URLSearchParams('jurisdiction_id=no-such-space'), 'en'))
		).toEqual({
			status: 404,
			body: [{ code: 404, description: 'Dialogue space not found' }]
		});
		expect((await answer(() => open311Request(h.db, q(), ids[2]!, origin, 'en'))).status).toBe(404);
		const bad = await answer(() => open311Requests(h.db, q('&status=pending'), origin, 'en'));
		expect(bad.status).toBe(400);
		expect(bad.body).toEqual([{ code: 400, description: expect.stringContaining('status') }]);
		expect((await answer(() => open311Services(h.db, new URLSearchParams(''), 'en'))).status).toBe(400);
	});

	it('answers in the specification’s XML too: the same requests, services and errors under its element names', async () => {
		const read = async (res: Response) => {
			expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
			const text = await res.text();
			expect(XMLValidator.validate(text)).toBe(true);
			return new XMLParser({ parseTagValue: false, ignoreDeclaration: true }).parse(text) as Record<string, Record<string, unknown>>;
		};
		const json = await open311Requests(h.db, q(), origin, 'en');
		const requests = [
			(await read(open311Answer('xml', 'requests', json))).service_requests!.request
		].flat() as Record<string, string>[];
		// The elements in the order of the specification's example, then the page's address.
		expect(requests.map((r) => Object.keys(r))).toEqual(json.map(() => [...specRequestKeys, 'url']));
		expect(requests.map((r) => r.service_request_id)).toEqual(json.map((r) => r.service_request_id));
		expect(requests[0]).toMatchObject({
			status: 'closed',
			status_notes: 'Cleared.',
			lat: String(json[0]!.lat)
		});
		expect(requests[0]!.expected_datetime).toBe('');

		const services = (await read(open311Answer('xml', 'services', await open311Services(h.db, q(), 'en'))))
			.services!.service as Record<string, string>[];
		expect(services.map((s) => Object.keys(s))).toEqual([specServiceKeys, specServiceKeys]);
		expect(services[0]).toMatchObject({
			service_code: 'standing-water',
			metadata: 'false',
			type: 'realtime'
		});
		expect(
			await read(open311Answer('xml', 'definition', await open311Definition(h.db, q(), 'waste', 'en')))
		).toEqual({ service_definition: { service_code: 'waste', attributes: '' } });

		const refused = open311Error(403, 'api_key is not valid', 'xml');
		expect(refused.status).toBe(403);
		expect(await read(refused)).toEqual({
			errors: { error: { code: '403', description: 'api_key is not valid' } }
		});
		// Markup is text, and a character XML cannot carry is left out rather than breaking the file.
		const odd = await read(
			open311Answer('xml', 'requests', [{ service_request_id: '1', description: 'a <b> & c\u0001' }])
		);
		expect(odd).toEqual({
			service_requests: { request: { service_request_id: '1', description: 'a <b> & c' } }
		});
	});

	it('creates a request with a key of the space, waiting for review, from no account; a wrong or revoked key is refused', async () => {
		const runner = await anActor(h.db, 'reader');
		await employ(h.db, runner, space.organizationId!);
		await expect(
			createOpen311Key(h.db, reporter, space.slug, { keyName: 'Gatuappen' })
		).rejects.toBeInstanceOf(ForbiddenError);
		const key = await createOpen311Key(h.db, runner, space.slug, { keyName: 'Gatuappen' });
		expect(key).toMatch(/^o311_[\w-]{32}$/);
		expect(JSON.stringify(await open311Keys(h.db, space.id))).not.toContain(key);
		const request = (extra: Record<string, string> = {}) => ({
			api_key: key,
			jurisdiction_id: space.slug,
			service_code: 'waste',
			description: 'Plastic cups thrown behind the bus stop fill with rain.',
			lat: '-7.80123456789',
			long: '110.3688',
			email: 'someone@example.org',
			first_name: 'Some',
			...extra
		});
		const created = await open311Create(h.db, request(), 'en');
		expect(created).toEqual([{ service_request_id: expect.stringMatching(/^\d+$/), service_notice: '' }]);
		const id = Number((created as { service_request_id: string }[])[0]!.service_request_id);
		const [row] = await h.db.select().from(mapReport).where(eq(mapReport.id, id));
		expect(row).toMatchObject({
			authorId: null,
			public: false,
			status: 'new',
			lat: -7.801235,
			language: 'en',
			district: 'Kraton'
		});
		// Open311's personal fields are not kept anywhere on the report.
		expect(JSON.stringify(row)).not.toContain('someone@example.org');

		expect(await open311Create(h.db, request({ api_key: 'o311_wrong' }), 'en')).toBe('forbidden');
		const other = await aReportSpace(h.db);
		expect(await open311Create(h.db, request({ jurisdiction_id: other.slug }), 'en')).toBe('forbidden');
		expect(await problems(open311Create(h.db, request({ service_code: 'volcano' }), 'en'))).toEqual([
			'reportCategory:reportCategoryMissing'
		]);
		expect(await problems(open311Create(h.db, request({ api_key: '' }), 'en'))).toEqual([
			'api_key:open311NoKey'
		]);
		const [listed] = await open311Keys(h.db, space.id);
		await revokeOpen311Key(h.db, runner, space.slug, { key: String(listed!.id) });
		expect(await open311Create(h.db, request(), 'en')).toBe('forbidden');
	});
});
