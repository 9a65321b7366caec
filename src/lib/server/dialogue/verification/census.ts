import { and, eq } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import { NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { authorize, authorizeOn, type Actor } from '../../kernel/policy.ts';
import { readForm } from '../../kernel/input.ts';
import { runCommand } from '../../kernel/write.ts';
import { organization } from '../../organizations/schema.ts';
import { censusEntry } from '../schema.ts';
import { dialoguePolicy } from '../policy.ts';
import { ownerActors } from '../spaces/queries.ts';
import { censusMaxMegabytes, censusUploadShape, censusVerifyShape } from './input.ts';
import { takeAttempt } from './limits.ts';
import {
	attemptKey,
	censusHash,
	identityTaken,
	loggedAttempt,
	normalIdentifier,
	normalPostNumber,
	recordVerification,
	subjectHash,
	verificationConfigured,
	verificationSecret,
	type Proven,
	type Verifier
} from './verifier.ts';

// The census list: a municipality (or region) uploads its residents as identity number and
// postal code; the file is read in memory, each line hashed on arrival and the list replaced in
// one transaction. A participant types the two and is admitted when the hash is on the list.

/** An organization by its address part, with who runs it (its staff; editors help any). */
async function organizationOf(db: Database, slug: string) {
	const [row] = await db
		.select({ id: organization.id, name: organization.name })
		.from(organization)
		.where(eq(organization.slug, slug));
	if (!row) throw new NotFoundError('Organization');
	return row;
}

const unreadable = (line: number) =>
	new ValidationError([{ field: 'censusFile', code: 'censusFileUnreadable', params: { line } }], 'dialogue');

/**
 * The keyed hashes of a census file: one resident a line, `identity number;postal code` (or a
 * comma), a heading line and blank lines skipped; a line that is neither refuses the whole file
 * (by its number: nothing half-uploaded).
 */
export function censusHashes(text: string, secret: string): Set<string> {
	const hashes = new Set<string>();
	const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
	lines.forEach((raw, i) => {
		const line = raw.trim();
		if (!line) return;
		const [id, post, ...rest] = line.split(/[;,\t]/).map((c) => c.trim().replace(/^"|"$/g, ''));
		const identifier = id ? normalIdentifier(id) : null;
		const postNumber = post ? normalPostNumber(post) : null;
		if (!identifier || !postNumber || rest.some((c) => c !== '')) {
			if (i === 0) return; // a heading
			throw unreadable(i + 1);
		}
		hashes.add(censusHash(secret, identifier, postNumber));
	});
	return hashes;
}

/**
 * A runner of the organization (its staff, or the programme's editors) replaces its census list.
 * The file itself is never stored, nor any identifier: only the keyed hashes, and in the audit
 * log how many.
 */
export async function uploadCensus(
	db: Database,
	actor: Actor,
	organizationSlug: string,
	form: FormData | Record<string, unknown>,
	options: { ip?: string | null } = {}
): Promise<{ count: number }> {
	authorize(actor, dialoguePolicy.createSpace);
	const org = await organizationOf(db, organizationSlug);
	await authorizeOn(actor, dialoguePolicy.runSpace, await ownerActors(db, { organizationId: org.id }));
	const secret = verificationSecret();
	const { censusFile } = readForm(form, censusUploadShape, 'dialogue');
	if (censusFile.size > censusMaxMegabytes * 1024 * 1024) {
		throw new ValidationError(
			[{ field: 'censusFile', code: 'censusTooLarge', params: { megabytes: censusMaxMegabytes } }],
			'dialogue'
		);
	}
	const hashes = censusHashes(await censusFile.text(), secret);
	if (!hashes.size) throw new ValidationError([{ field: 'censusFile', code: 'censusEmpty' }], 'dialogue');
	return runCommand(db, actor, {
		rule: dialoguePolicy.createSpace,
		parse: () => [...hashes],
		work: async (tx, all) => {
			const uploadedAt = new Date();
			await tx.delete(censusEntry).where(eq(censusEntry.organizationId, org.id));
			for (let i = 0; i < all.length; i += 5000) {
				await tx
					.insert(censusEntry)
					.values(all.slice(i, i + 5000).map((hash) => ({ organizationId: org.id, hash, uploadedAt })));
			}
			return {
				result: { count: all.length },
				audit: {
					action: 'census.upload',
					subject: `organization:${org.id}`,
					after: { residents: all.length },
					ip: options.ip ?? null
				},
				public: false
			};
		}
	});
}

/** What a participant types: the organization's list they are on, identity number, postal code. */
export interface CensusProof {
	organizationId: number;
	identifier: string;
	postNumber: string;
}

/** Verification against an organization's census list. */
export function censusVerifier(db: Database): Verifier<CensusProof> {
	return {
		method: 'census',
		available: verificationConfigured,
		async prove({ organizationId, identifier, postNumber }): Promise<Proven> {
			const secret = verificationSecret();
			const [hit] = await db
				.select({ hash: censusEntry.hash })
				.from(censusEntry)
				.where(
					and(
						eq(censusEntry.organizationId, organizationId),
						eq(censusEntry.hash, censusHash(secret, identifier, postNumber))
					)
				);
			// At the identity number: that is what the person checks first (the message names both).
			if (!hit) throw new ValidationError([{ field: 'identifier', code: 'verifyNoMatch' }], 'dialogue');
			return { organizationIds: [organizationId], subject: subjectHash(secret, identifier) };
		}
	};
}

/**
 * A participant verifies as a resident with the census form. Attempts are limited per account,
 * client address and identity number before anything is looked up; a match records the
 * verification (audited with the organization and the method, never the number), a refusal is
 * logged as a security event.
 */
export async function verifyWithCensus(
	db: Database,
	actor: Actor,
	form: FormData | Record<string, unknown>,
	options: { ip?: string | null } = {}
): Promise<{ organizationIds: number[] }> {
	authorize(actor, dialoguePolicy.participate);
	return loggedAttempt({ userId: actor.id, method: 'census', ip: options.ip }, async () => {
		const secret = verificationSecret();
		const input = readForm(form, censusVerifyShape, 'dialogue');
		const org = await organizationOf(db, input.organization).catch((e) => {
			if (e instanceof NotFoundError) {
				throw new ValidationError([{ field: 'organization', code: 'verifyOrganizationUnknown' }], 'dialogue');
			}
			throw e;
		});
		await takeAttempt(db, {
			userId: actor.id,
			address: options.ip,
			identifier: attemptKey(secret, input.identifier)
		});
		const proven = await censusVerifier(db).prove({ organizationId: org.id, ...input });
		return recordProven(db, actor, 'census', proven, options);
	});
}

/** Records what a verifier proved, as the participant's change (shared by every method). */
export async function recordProven(
	db: Database,
	actor: NonNullable<Actor>,
	method: 'census' | 'oidc',
	proven: Proven,
	options: { ip?: string | null }
): Promise<{ organizationIds: number[] }> {
	return runCommand(db, actor, {
		rule: dialoguePolicy.participate,
		parse: () => proven,
		work: async (tx, p, who) => {
			await recordVerification(tx, who.id, method, p);
			return {
				result: { organizationIds: p.organizationIds },
				audit: p.organizationIds.map((id) => ({
					action: 'resident.verify',
					subject: `user:${who.id}`,
					after: { organizationId: id, method },
					ip: options.ip ?? null
				})),
				public: false
			};
		},
		unique: { resident_verification_subject_unique: identityTaken() }
	});
}
