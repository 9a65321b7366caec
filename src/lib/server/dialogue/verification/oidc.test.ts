import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor } from '../../test/actors.ts';
import { aSpace } from '../../test/factories/dialogue.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { ValidationError } from '../../kernel/errors.ts';
import { logger } from '../../kernel/logger.ts';
import { organization } from '../../organizations/schema.ts';
import { anOrganization } from '../../test/factories/organizations.ts';
import { residentVerification } from '../schema.ts';
import { mayTakePart } from '../participation.ts';
import { inputSpace } from '../proposals/queries.ts';
import { completeOidc, startOidc } from './oidc.ts';
import { uploadCensus, verifyWithCensus } from './census.ts';
import { employ } from '../../test/factories/partner-search.ts';
import { oidcClient, startOidcProvider } from '../../test/oidc-provider.ts';

// OpenID Connect against a real provider (oidc-provider) started here on a local port: the whole
// authorization code flow over HTTP, its sign-in form filled as a person would, PKCE, state and
// nonce checked by the client library. The provider's accounts carry a personal identity number
// and the municipality code of the population register.

const redirectUri = 'http://127.0.0.1:9/dialogue/verify/oidc/callback';
const people: Record<string, { personal_number: string; municipality_code: string }> = {
	rut: { personal_number: '199001011234', municipality_code: '9901' },
	nils: { personal_number: '197705054321', municipality_code: '9801' }
};

const startProvider = () => startOidcProvider(redirectUri, people);

/** A browser of sorts: follows redirects, keeps cookies, fills the provider's sign-in and consent forms. */
async function signInAt(start: string, login: string): Promise<URL> {
	const jar = new Map<string, string>();
	const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
	const keep = (res: Response) => {
		for (const c of res.headers.getSetCookie()) {
			const [pair] = c.split(';');
			const at = pair!.indexOf('=');
			jar.set(pair!.slice(0, at), pair!.slice(at + 1));
		}
	};
	let url = new URL(start);
	let body: URLSearchParams | undefined;
	for (let step = 0; step < 20; step++) {
		const res = await fetch(url, {
			method: body ? 'POST' : 'GET',
			headers: { cookie: cookie(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
			body,
			redirect: 'manual'
		});
		keep(res);
		body = undefined;
		const location = res.headers.get('location');
		if (location) {
			url = new URL(location, url);
			if (url.href.startsWith(redirectUri)) return url;
			continue;
		}
		const html = await res.text();
		const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
		const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
		if (!action || !prompt) throw new Error(`unexpected page ${res.status}: ${html.slice(0, 300)}`);
		url = new URL(action.replace(/&amp;/g, '&'), url);
		body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'whatever' } : { prompt });
	}
	throw new Error('the provider never sent the browser back');
}

async function problems(run: Promise<unknown>): Promise<string[]> {
	try {
		await run;
	} catch (e) {
		if (e instanceof ValidationError) return e.problems.map((p) => `${p.field}:${String(p.code)}`);
		throw e;
	}
	throw new Error('expected a ValidationError');
}

/**
 * The lines the app's logger writes while `run` runs, as an operator would read them on stdout
 * (the tests' logger is silent: here it logs at info into a string, then is as it was).
 */
async function logLines(
	run: () => Promise<unknown>
): Promise<{ lines: Record<string, unknown>[]; text: string }> {
	const streamOf = logger as unknown as Record<symbol, unknown>;
	const before = { level: logger.level, stream: streamOf[pino.symbols.streamSym] };
	let text = '';
	streamOf[pino.symbols.streamSym] = new Writable({
		write(chunk, _encoding, done) {
			text += String(chunk);
			done();
		}
	});
	logger.level = 'info';
	try {
		await run();
	} finally {
		logger.level = before.level;
		streamOf[pino.symbols.streamSym] = before.stream;
	}
	const lines = text
		.split('\n')
		.filter(Boolean)
		.map((l) => JSON.parse(l) as Record<string, unknown>);
	return { lines, text };
}

describe.each(testDatabases)('e-identification (OpenID Connect) on $name', (database) => {
	let h: DatabaseHandle;
	let provider: { issuer: string; server: Server };
	let municipalityId: number;
	let regionId: number;

	beforeAll(async () => {
		provider = await startProvider();
		process.env.VERIFICATION_SECRET = 'test-verification-secret-0123456789abcdef';
		process.env.VERIFICATION_OIDC = JSON.stringify({
			issuer: provider.issuer,
			clientId: oidcClient.clientId,
			clientSecret: oidcClient.clientSecret,
			identifierClaim: 'personal_number',
			municipalityClaim: 'municipality_code'
		});
		h = await database.open();
		// A test municipality and its region, with codes no reference organization has.
		const kommun = await anOrganization(h.db, { country: 'SE', name: 'Provkommunen' });
		const region = await anOrganization(h.db, { country: 'SE', kind: 'region', name: 'Provregionen' });
		await h.db.update(organization).set({ municipalityCode: '9901' }).where(eq(organization.id, kommun.id));
		await h.db.update(organization).set({ municipalityCode: '99' }).where(eq(organization.id, region.id));
		municipalityId = kommun.id;
		regionId = region.id;
	});
	afterAll(async () => {
		delete process.env.VERIFICATION_SECRET;
		delete process.env.VERIFICATION_OIDC;
		await h?.close();
		await new Promise((resolve) => provider?.server.close(resolve));
	});

	it('the whole code flow verifies a resident of the municipality and its region, and the space admits them', async () => {
		const rut = await anActor(h.db, 'reader');
		const space = await aSpace(h.db, {
			organizationId: municipalityId,
			requirements: { comments: 'verified-resident' }
		});
		const open = await inputSpace(h.db, space.slug, 'sv');
		expect((await mayTakePart(h.db, rut, open, 'comments')).ok).toBe(false);

		const { url, pending } = await startOidc(rut, { space: space.slug, redirectUri });
		const sent = new URL(url);
		expect(sent.origin).toBe(provider.issuer);
		expect(sent.searchParams.get('code_challenge_method')).toBe('S256');
		expect(sent.searchParams.get('state')).toBe(pending.state);
		expect(sent.searchParams.get('nonce')).toBe(pending.nonce);

		const back = await signInAt(url, 'rut');
		expect(back.searchParams.get('code')).toBeTruthy();
		const result = await completeOidc(h.db, rut, back, pending, { redirectUri, ip: '192.0.2.10' });
		expect(result.organizationIds.sort()).toEqual([municipalityId, regionId].sort());
		expect(await mayTakePart(h.db, rut, open, 'comments')).toEqual({ ok: true });
		const rows = await h.db
			.select()
			.from(residentVerification)
			.where(eq(residentVerification.userId, rut.id));
		expect(rows.map((r) => r.method)).toEqual(['oidc', 'oidc']);
		expect(JSON.stringify(rows)).not.toContain('199001011234');
		expect(JSON.stringify(rows)).not.toContain('9001011234');
	});

	it('a changed state or PKCE verifier, another account, no start, or a code used twice is refused', async () => {
		const anna = await anActor(h.db, 'reader');
		const { url, pending } = await startOidc(anna, { redirectUri });
		const back = await signInAt(url, 'nils');
		const other = await anActor(h.db, 'reader');
		expect(await problems(completeOidc(h.db, other, back, pending, { redirectUri }))).toEqual([
			'form:verifyOidcFailed'
		]);
		expect(
			await problems(completeOidc(h.db, anna, back, { ...pending, state: 'forged' }, { redirectUri }))
		).toEqual(['form:verifyOidcFailed']);
		expect(
			await problems(
				completeOidc(h.db, anna, back, { ...pending, codeVerifier: 'x'.repeat(43) }, { redirectUri })
			)
		).toEqual(['form:verifyOidcFailed']);
		expect(await problems(completeOidc(h.db, anna, back, null, { redirectUri }))).toEqual([
			'form:verifyOidcFailed'
		]);

		const again = await startOidc(anna, { redirectUri });
		const rutBack = await signInAt(again.url, 'rut');
		// Rut is already verified with another account (the first test): the code is good, the person taken.
		expect(await problems(completeOidc(h.db, anna, rutBack, again.pending, { redirectUri }))).toEqual([
			'form:verifyIdentityTaken'
		]);
		expect(await problems(completeOidc(h.db, anna, rutBack, again.pending, { redirectUri }))).toEqual([
			'form:verifyOidcFailed'
		]);
	});

	it('a person registered in a municipality not on the platform proves nothing', async () => {
		const nils = await anActor(h.db, 'reader');
		const { url, pending } = await startOidc(nils, { redirectUri });
		const back = await signInAt(url, 'nils');
		// 9801: no municipality and no region (98) on the platform has the code.
		expect(await problems(completeOidc(h.db, nils, back, pending, { redirectUri }))).toEqual([
			'form:verifyOidcNoMunicipality'
		]);
	});

	it('the same person verified through the census on one account cannot use e-identification on another', async () => {
		const staff = await anActor(h.db, 'author');
		await employ(h.db, staff, municipalityId);
		await uploadCensus(h.db, staff, (await slugOf(municipalityId))!, {
			censusFile: new File(['197705054321;99010'], 'lista.csv')
		});
		const first = await anActor(h.db, 'reader');
		await verifyWithCensus(
			h.db,
			first,
			{ organization: (await slugOf(municipalityId))!, identifier: '19770505-4321', postNumber: '990 10' },
			{ ip: '192.0.2.20' }
		);
		people.nils!.municipality_code = '9901';
		const second = await anActor(h.db, 'reader');
		const { url, pending } = await startOidc(second, { redirectUri });
		const back = await signInAt(url, 'nils');
		expect(await problems(completeOidc(h.db, second, back, pending, { redirectUri }))).toEqual([
			'form:verifyIdentityTaken'
		]);
		people.nils!.municipality_code = '9801';
	});

	it('a refused attempt, by census or e-identification, is logged as a security event without the identity number or postal code', async () => {
		const staff = await anActor(h.db, 'author');
		await employ(h.db, staff, municipalityId);
		const slug = (await slugOf(municipalityId))!;
		await uploadCensus(h.db, staff, slug, { censusFile: new File(['196503021111;99012'], 'lista.csv') });
		const guesser = await anActor(h.db, 'reader');
		const nils = await anActor(h.db, 'reader');
		const { url, pending } = await startOidc(nils, { redirectUri });
		const back = await signInAt(url, 'nils');
		const { lines, text } = await logLines(async () => {
			const census = { organization: slug, identifier: '19650302-1111', postNumber: '990 11' };
			expect(await problems(verifyWithCensus(h.db, guesser, census, { ip: '192.0.2.30' }))).toEqual([
				'identifier:verifyNoMatch'
			]);
			// Nils's municipality (9801) is not on the platform: the provider's claims prove nothing.
			expect(
				await problems(completeOidc(h.db, nils, back, pending, { redirectUri, ip: '192.0.2.31' }))
			).toEqual(['form:verifyOidcNoMunicipality']);
		});
		expect(lines.filter((l) => l.security)).toEqual([
			expect.objectContaining({
				level: 40,
				event: 'resident.verify.failed',
				userId: guesser.id,
				method: 'census',
				reasons: ['verifyNoMatch'],
				ip: '192.0.2.30'
			}),
			expect.objectContaining({
				event: 'resident.verify.failed',
				userId: nils.id,
				method: 'oidc',
				reasons: ['verifyOidcNoMunicipality'],
				ip: '192.0.2.31'
			})
		]);
		for (const personal of ['196503021111', '6503021111', '99011', '990 11', '197705054321', '7705054321']) {
			expect(text).not.toContain(personal);
		}
	});

	const slugOf = async (id: number) =>
		(await h.db.select({ slug: organization.slug }).from(organization).where(eq(organization.id, id)))[0]
			?.slug;
});
