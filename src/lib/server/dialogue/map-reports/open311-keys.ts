import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../kernel/database.ts';
import { NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { readForm, requiredLine } from '../../kernel/input.ts';
import { authorizeOn, type Actor } from '../../kernel/policy.ts';
import { runCommand, runSystemChange } from '../../kernel/write.ts';
import { mapReport, mapReportEvent, open311Key } from '../schema.ts';
import { dialoguePolicy } from '../policy.ts';
import { readSpace } from '../spaces/queries.ts';
import { placeOf, reportRow } from './commands.ts';
import { reportSpace } from './queries.ts';
import { readReportForm } from './input.ts';

// Open311 clients that create reports: whoever runs a space makes a key for each client (shown
// once, kept only as its SHA-256) and may revoke it. A request created with a key is a report
// like a resident's, reviewed as the space says, from no account: Open311's name, e-mail and
// phone fields are not stored.

const hash = (key: string) => createHash('sha256').update(key).digest('hex');

/** The space's keys (never the keys themselves). */
export async function open311Keys(db: Database, spaceId: number) {
	return db
		.select({
			id: open311Key.id,
			name: open311Key.name,
			createdAt: open311Key.createdAt,
			revokedAt: open311Key.revokedAt
		})
		.from(open311Key)
		.where(eq(open311Key.spaceId, spaceId))
		.orderBy(asc(open311Key.id));
}

const keyShape = { keyName: requiredLine(80) };
const revokeShape = {
	key: z
		.string('invalid')
		.regex(/^[1-9]\d{0,8}$/, 'invalid')
		.transform(Number)
};

/** Makes a key for a client of the space: the key is returned once and never stored. */
export async function createOpen311Key(
	db: Database,
	actor: Actor,
	slug: string,
	form: FormData | Record<string, unknown>
): Promise<string> {
	const space = await readSpace(db, { slug });
	await authorizeOn(actor, dialoguePolicy.runSpace, space.actors);
	const key = `o311_${randomBytes(24).toString('base64url')}`;
	await runCommand(db, actor, {
		rule: dialoguePolicy.participate,
		parse: () => readForm(form, keyShape, 'dialogue'),
		work: async (tx, input, who) => {
			const [row] = await tx
				.insert(open311Key)
				.values({ spaceId: space.id, name: input.keyName, keyHash: hash(key), createdBy: who.id })
				.returning({ id: open311Key.id });
			return {
				result: undefined,
				audit: {
					action: 'open311.key-create',
					subject: `open311-key:${row!.id}`,
					after: { name: input.keyName }
				},
				public: false
			};
		}
	});
	return key;
}

export async function revokeOpen311Key(
	db: Database,
	actor: Actor,
	slug: string,
	form: FormData | Record<string, unknown>
): Promise<void> {
	const space = await readSpace(db, { slug });
	await authorizeOn(actor, dialoguePolicy.runSpace, space.actors);
	await runCommand(db, actor, {
		rule: dialoguePolicy.participate,
		parse: () => readForm(form, revokeShape, 'dialogue'),
		work: async (tx, input) => {
			const revoked = await tx
				.update(open311Key)
				.set({ revokedAt: new Date() })
				.where(
					and(eq(open311Key.id, input.key), eq(open311Key.spaceId, space.id), isNull(open311Key.revokedAt))
				)
				.returning({ id: open311Key.id });
			if (!revoked.length) throw new NotFoundError('Open311 key');
			return {
				result: undefined,
				audit: { action: 'open311.key-revoke', subject: `open311-key:${input.key}` },
				public: false
			};
		}
	});
}

/** What an Open311 client sends to create a request (form-encoded, as the specification says). */
const createShape = {
	api_key: z.string('open311NoKey').min(1, 'open311NoKey').max(200, 'open311NoKey'),
	jurisdiction_id: z.string('open311NoJurisdiction').regex(/^[a-z0-9-]{1,120}$/, 'open311NoJurisdiction'),
	service_code: z.string('invalid').max(40, 'invalid'),
	description: z.string('required').max(10_000, 'tooLong'),
	lat: z.string('invalid').max(40, 'invalid').optional(),
	long: z.string('invalid').max(40, 'invalid').optional(),
	address_string: z.string('invalid').max(400, 'invalid').optional()
};

/**
 * POST requests.json: a client with a key of the space creates a report. Answers Open311's
 * `[{ service_request_id, service_notice }]`; a refusal is a ValidationError (400) naming the
 * fields, a key that is not the space's a 403 in the caller's hands.
 */
export async function open311Create(
	db: Database,
	form: FormData | Record<string, unknown>,
	locale: string
): Promise<{ service_request_id: string; service_notice: string }[] | 'forbidden'> {
	const sent = readForm(form, createShape, 'dialogue');
	const space = await reportSpace(db, sent.jurisdiction_id, locale);
	const [key] = await db
		.select({ id: open311Key.id })
		.from(open311Key)
		.where(
			and(
				eq(open311Key.keyHash, hash(sent.api_key)),
				eq(open311Key.spaceId, space.id),
				isNull(open311Key.revokedAt)
			)
		);
	if (!key) return 'forbidden';
	// The space's own rule, as for a resident: open, with a phase today that opens reports.
	if (space.record.status !== 'open' || !space.record.opens.includes('reports')) {
		const code = space.record.status !== 'open' ? 'reportSpaceClosed' : 'reportsNotOpen';
		throw new ValidationError([{ field: 'form', code }], 'dialogue');
	}
	const input = readReportForm({
		reportCategory: sent.service_code,
		reportDescription: sent.description,
		reportLat: sent.lat,
		reportLon: sent.long,
		reportPlace: sent.address_string?.slice(0, 160),
		reportPrecision: 'approximate'
	});
	const place = placeOf(space, input);
	const id = await runSystemChange(db, async (tx) => {
		const [row] = await tx
			.insert(mapReport)
			.values({ ...reportRow(space, place, input, locale), authorId: null })
			.returning({ id: mapReport.id });
		await tx.insert(mapReportEvent).values({ reportId: row!.id, status: 'new' });
		return {
			result: row!.id,
			audit: {
				action: 'report.submit',
				subject: `map-report:${row!.id}`,
				after: { spaceId: space.id, via: 'open311', key: key.id, public: !space.review }
			},
			public: false
		};
	});
	return [{ service_request_id: String(id), service_notice: '' }];
}
