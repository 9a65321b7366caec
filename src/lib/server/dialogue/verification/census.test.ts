import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { rowsOf } from '../../test/rows.ts';
import { anActor, type TestActor } from '../../test/actors.ts';
import { aSpace } from '../../test/factories/dialogue.ts';
import { anOrganization, type TestOrganization } from '../../test/factories/organizations.ts';
import { aPartnership } from '../../test/factories/partnerships.ts';
import { employ } from '../../test/factories/partner-search.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { auditLog } from '../../kernel/schema.ts';
import { ForbiddenError, ValidationError } from '../../kernel/errors.ts';
import { censusEntry, residentVerification } from '../schema.ts';
import { mayTakePart } from '../participation.ts';
import { inputSpace } from '../proposals/queries.ts';
import { submitProposal } from '../proposals/commands.ts';
import { uploadCensus, verifyWithCensus } from './census.ts';
import { censusStatus, verificationsOf } from './queries.ts';
import { verifyLimits } from './limits.ts';

// The census list: a municipality's runner uploads it, residents verify against it, and a space
// for verified residents then admits them. Nothing in the database holds an identity number.

const secret = 'test-verification-secret-0123456789abcdef';

/** The domain error's problems as "field:code". */
async function problems(run: Promise<unknown>): Promise<string[]> {
	try {
		await run;
	} catch (e) {
		if (e instanceof ValidationError) return e.problems.map((p) => `${p.field}:${String(p.code)}`);
		throw e;
	}
	throw new Error('expected a ValidationError');
}
const csv = (lines: string[]) => ({
	censusFile: new File([lines.join('\n')], 'invanare.csv', { type: 'text/csv' })
});
const list = ['personnummer;postnummer', '19900101-1234;449 30', '198512240987;44931', '200203035566;449 50'];

describe.each(testDatabases)('census verification on $name', (database) => {
	let h: DatabaseHandle;
	let ale: TestOrganization;
	let staff: TestActor;
	let resident: TestActor;
	let ip = 0;
	const client = () => ({ ip: `192.0.2.${++ip}` });

	beforeAll(async () => {
		process.env.VERIFICATION_SECRET = secret;
		h = await database.open();
		ale = await anOrganization(h.db, { country: 'SE', name: 'Testkommunen Ale' });
		staff = await anActor(h.db, 'author', { name: 'Kajsa Kommunsdotter' });
		await employ(h.db, staff, ale.id);
		resident = await anActor(h.db, 'reader', { name: 'Rut Invånarsson' });
		await uploadCensus(h.db, staff, ale.slug, csv(list), client());
	});
	afterAll(async () => {
		delete process.env.VERIFICATION_SECRET;
		await h?.close();
	});

	it('the municipality’s staff or an editor upload the list; another reader may not; a new list replaces the old', async () => {
		const outsider = await anActor(h.db, 'reader');
		await expect(uploadCensus(h.db, outsider, ale.slug, csv(list))).rejects.toBeInstanceOf(ForbiddenError);
		await expect(censusStatus(h.db, outsider, ale.slug, 'sv')).rejects.toBeInstanceOf(ForbiddenError);
		expect(await censusStatus(h.db, staff, ale.slug, 'sv')).toMatchObject({
			count: 3,
			name: 'Testkommunen Ale'
		});

		const other = await anOrganization(h.db, { country: 'SE' });
		const editor = await anActor(h.db, 'editor');
		expect(
			await uploadCensus(h.db, editor, other.slug, csv(['19900101-1234;11122', '199912319999;11123']))
		).toEqual({
			count: 2
		});
		expect(await uploadCensus(h.db, editor, other.slug, csv(['199912319999;11123']))).toEqual({ count: 1 });
		expect((await censusStatus(h.db, editor, other.slug, 'sv')).count).toBe(1);
		const newcomer = await anActor(h.db, 'reader');
		const form = { organization: other.slug, identifier: '19900101-1234', postNumber: '11122' };
		expect(await problems(verifyWithCensus(h.db, newcomer, form, client()))).toEqual([
			'identifier:verifyNoMatch'
		]);

		const audit = await h.db.select().from(auditLog).where(eq(auditLog.action, 'census.upload'));
		expect(audit.at(-1)).toMatchObject({ actorId: editor.id, after: { residents: 1 } });
	});

	it('a bad line refuses the whole file by its number, and the list stays as it was', async () => {
		expect(
			await problems(uploadCensus(h.db, staff, ale.slug, csv([...list, 'Kalle Anka;Ankeborg'])))
		).toEqual(['censusFile:censusFileUnreadable']);
		expect(await problems(uploadCensus(h.db, staff, ale.slug, csv(['personnummer;postnummer'])))).toEqual([
			'censusFile:censusEmpty'
		]);
		expect((await censusStatus(h.db, staff, ale.slug, 'sv')).count).toBe(3);
	});

	it('a resident verifies with identity number and postal code, and a space for verified residents then admits them', async () => {
		const space = await aSpace(h.db, {
			organizationId: ale.id,
			requirements: { proposals: 'verified-resident', supports: 'verified-resident' }
		});
		const gate = async (who: TestActor) =>
			mayTakePart(h.db, who, await inputSpace(h.db, space.slug, 'sv'), 'proposals');
		expect(await gate(resident)).toEqual({
			ok: false,
			reason: 'residentsOnly',
			verifyAt: `/dialogue/verify?space=${space.slug}`
		});
		const proposalForm = {
			proposalTitle: 'Belysning längs gångvägen till skolan',
			proposalBody: 'Vägen till skolan är mörk på vintern och behöver fler lampor för barnens skull.'
		};
		expect(
			await problems(submitProposal(h.db, resident, space.slug, proposalForm, { locale: 'sv' }))
		).toEqual(['form:proposalResidentsOnly']);

		// The number typed in any of its forms, the postal code with or without its space.
		const result = await verifyWithCensus(
			h.db,
			resident,
			{ organization: ale.slug, identifier: '900101-1234', postNumber: '44930' },
			client()
		);
		expect(result.organizationIds).toEqual([ale.id]);
		expect(await gate(resident)).toEqual({ ok: true });
		expect(
			'created' in (await submitProposal(h.db, resident, space.slug, proposalForm, { locale: 'sv' }))
		).toBe(true);
		expect(await verificationsOf(h.db, resident.id, 'sv')).toMatchObject([
			{ organization: 'Testkommunen Ale', method: 'census' }
		]);
		const [audit] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'resident.verify'));
		expect(audit).toMatchObject({
			actorId: resident.id,
			after: { organizationId: ale.id, method: 'census' }
		});

		// Another municipality's space does not count this verification.
		const elsewhere = await aSpace(h.db, { requirements: { proposals: 'verified-resident' } });
		expect(
			(await mayTakePart(h.db, resident, await inputSpace(h.db, elsewhere.slug, 'sv'), 'proposals')).ok
		).toBe(false);
	});

	it("a partnership's space admits verified residents of its Swedish members", async () => {
		const partnership = await aPartnership(h.db, { swedish: [ale.id] });
		const space = await aSpace(h.db, {
			partnershipId: partnership.id,
			requirements: { comments: 'verified-resident' }
		});
		const neighbour = await anActor(h.db, 'reader');
		await verifyWithCensus(
			h.db,
			neighbour,
			{ organization: ale.slug, identifier: '198512240987', postNumber: '449 31' },
			client()
		);
		const open = await inputSpace(h.db, space.slug, 'sv');
		expect(await mayTakePart(h.db, neighbour, open, 'comments')).toEqual({ ok: true });
		expect((await mayTakePart(h.db, await anActor(h.db, 'reader'), open, 'comments')).ok).toBe(false);
	});

	it('a wrong postal code is refused and nothing is recorded', async () => {
		const someone = await anActor(h.db, 'reader');
		const form = { organization: ale.slug, identifier: '20020303-5566', postNumber: '44930' };
		expect(await problems(verifyWithCensus(h.db, someone, form, client()))).toEqual([
			'identifier:verifyNoMatch'
		]);
		expect(await verificationsOf(h.db, someone.id, 'sv')).toEqual([]);
		expect(
			await problems(
				verifyWithCensus(
					h.db,
					someone,
					{ organization: ale.slug, identifier: '12', postNumber: 'x' },
					client()
				)
			)
		).toEqual(['identifier:verifyIdentifierInvalid', 'postNumber:verifyPostNumberInvalid']);
	});

	it('the same person cannot verify a second account', async () => {
		const second = await anActor(h.db, 'reader');
		const form = { organization: ale.slug, identifier: '199001011234', postNumber: '449 30' };
		expect(await problems(verifyWithCensus(h.db, second, form, client()))).toEqual([
			'form:verifyIdentityTaken'
		]);
		expect(await verificationsOf(h.db, second.id, 'sv')).toEqual([]);
		// The first account verifying again changes nothing for anyone.
		await verifyWithCensus(h.db, resident, form, client());
		const rows = await h.db
			.select()
			.from(residentVerification)
			.where(eq(residentVerification.organizationId, ale.id));
		expect(rows.filter((r) => r.userId === second.id)).toEqual([]);
	});

	it('guessing is limited per identity number, across accounts and addresses', async () => {
		const guess = (who: TestActor, postNumber: string) =>
			problems(
				verifyWithCensus(
					h.db,
					who,
					{ organization: ale.slug, identifier: '200203035566', postNumber },
					client()
				)
			);
		const codes: string[][] = [];
		for (let i = 0; i < verifyLimits.perIdentifier.points + 1; i++) {
			codes.push(await guess(await anActor(h.db, 'reader'), `4490${i}`));
		}
		expect(
			codes
				.slice(0, -1)
				.flat()
				.every((c) => c === 'identifier:verifyNoMatch' || c === 'form:verifyTooMany')
		).toBe(true);
		expect(codes.at(-1)).toEqual(['form:verifyTooMany']);
		// Even the right postal code waits now.
		expect(await guess(await anActor(h.db, 'reader'), '44950')).toEqual(['form:verifyTooMany']);
	});

	it('no table holds an identity number or postal code in clear', async () => {
		const rows = await rowsOf<{ table_name: string }>(
			h.db,
			sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`
		);
		const needles = ['9001011234', '900101-1234', '198512240987', '8512240987', '0203035566'];
		const found: string[] = [];
		for (const { table_name } of rows) {
			const [hits] = await rowsOf<{ n: number }>(
				h.db,
				sql`select count(*)::int as n from ${sql.identifier(table_name)} t
					where ${sql.join(
						needles.map((n) => sql`t::text like ${`%${n}%`}`),
						sql` or `
					)}`
			);
			const n = hits?.n ?? 0;
			if (n > 0) found.push(table_name);
		}
		expect(found).toEqual([]);
		expect((await h.db.select().from(censusEntry).where(eq(censusEntry.organizationId, ale.id))).length).toBe(
			3
		);
	});

	it('without VERIFICATION_SECRET nobody can upload or verify', async () => {
		delete process.env.VERIFICATION_SECRET;
		try {
			expect(await problems(uploadCensus(h.db, staff, ale.slug, csv(list)))).toEqual([
				'form:verifyNotConfigured'
			]);
			const form = { organization: ale.slug, identifier: '199001011234', postNumber: '44930' };
			expect(await problems(verifyWithCensus(h.db, resident, form))).toEqual(['form:verifyNotConfigured']);
		} finally {
			process.env.VERIFICATION_SECRET = secret;
		}
	});
});
