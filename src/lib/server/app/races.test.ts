import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../test/databases.ts';
import { anActor, type TestActor } from '../test/actors.ts';
import { anOrganization } from '../test/factories/organizations.ts';
import { aPartnership } from '../test/factories/partnerships.ts';
import { aForm } from '../test/factories/content.ts';
import { createAuth, type Auth } from '../accounts/auth.ts';
import { user } from '../accounts/schema.ts';
import { article } from '../content/schema.ts';
import { createArticle } from '../content/workspace/commands.ts';
import { partnershipAccess } from '../partnerships/schema.ts';
import { inviteToPartnership } from './partnership-invitations.ts';
import type { Database, DatabaseHandle, Transaction } from '../kernel/database.ts';
import { ValidationError } from '../kernel/errors.ts';
import { problemsIn } from '../kernel/http.ts';
import { runCommand } from '../kernel/write.ts';
import { organization } from '../organizations/schema.ts';
import { partnershipsPolicy } from '../partnerships/policy.ts';

/** What the form shows for a refused change, in Swedish and English ("field: message"). */
const shown = (e: unknown) => {
	expect(e).toBeInstanceOf(ValidationError);
	return (['sv', 'en'] as const).map((l) =>
		problemsIn(e as ValidationError, l).map((p) => `${p.field}: ${p.message}`)
	);
};

describe.each(testDatabases)('a unique violation answers like validation on $name', (database) => {
	let h: DatabaseHandle;
	let editor: TestActor;

	beforeAll(async () => {
		h = await database.open();
		editor = await anActor(h.db, 'editor');
	});
	afterAll(() => h?.close());

	/** A change whose check could not see the row it collides with (as in a race). */
	const insertOrganization = (
		db: Database | Transaction,
		slug: string,
		unique?: Record<string, ValidationError>
	) =>
		runCommand(db, editor, {
			rule: partnershipsPolicy.create,
			parse: () => ({}),
			unique,
			work: async (tx) => {
				await tx
					.insert(organization)
					.values({ slug, kind: 'district', name: { sv: 'X', en: 'X' }, country: 'BW' });
				return { result: undefined, audit: [], public: false };
			}
		});
	const duplicateOrganization = (unique?: Record<string, ValidationError>) =>
		anOrganization(h.db).then(({ slug }) => insertOrganization(h.db, slug, unique));

	it('names the field a module declared for the constraint, and nothing is saved', async () => {
		const declared = new ValidationError([{ field: 'members', code: 'createdMeanwhile' }], 'partnerships');
		const error = await duplicateOrganization({ organization_slug_unique: declared }).catch(
			(e: unknown) => e
		);
		expect(error).toBe(declared);
		expect(shown(error)).toEqual([
			[
				'members: Parter: Någon annan skapade nyss ett partnerskap mellan de här organisationerna. Ladda om listan och öppna det i stället.'
			],
			[
				'members: Members: Someone else just created a partnership between these organisations. Reload the list and open it instead.'
			]
		]);
	});

	it('answers an undeclared constraint with the form-level message, in both languages', async () => {
		const error = await duplicateOrganization().catch((e: unknown) => e);
		expect(shown(error)).toEqual([
			[
				'form: Formuläret: Någon annan sparade samma sak nyss. Ladda om sidan, se vad som sparades och försök igen om det behövs.'
			],
			[
				'form: The form: Someone else saved the same thing just now. Reload the page, see what was saved and try again if needed.'
			]
		]);
	});

	it('leaves a constraint that a command run inside another does not name to the outer command', async () => {
		const declared = new ValidationError([{ field: 'members', code: 'createdMeanwhile' }], 'partnerships');
		const { slug } = await anOrganization(h.db);
		const error = await runCommand(h.db, editor, {
			rule: partnershipsPolicy.create,
			parse: () => ({}),
			unique: { organization_slug_unique: declared },
			// The inner command joins this transaction, as an invitation's new account does.
			work: async (tx) => ({ result: await insertOrganization(tx, slug), audit: [], public: false })
		}).catch((e: unknown) => e);
		expect(error).toBe(declared);
	});
});

/** Both outcomes of two changes started at once: what succeeded, and what was refused. */
async function together<R>(runs: Promise<R>[]) {
	const outcomes = await Promise.allSettled(runs);
	return {
		made: outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : [])),
		refused: outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []))
	};
}

/**
 * Real races: two people sending the same thing at the same moment. PostgreSQL runs the two
 * transactions at once, so both checks can find nothing and the unique constraint decides; PGlite
 * runs transactions one at a time, so there the second always sees the first's row.
 */
describe.each(testDatabases)('two people doing the same thing at once on $name', (database) => {
	let h: DatabaseHandle;
	let auth: Auth;
	// The second invitation of an address that has an account mails it (to the outbox here).
	const outbox = mkdtempSync(path.join(tmpdir(), 'races-outbox-'));
	/** Rounds of two at once: on PostgreSQL every round raced when tried (20 of 20 each). */
	const rounds = (n: number) => (database.name === 'postgres' ? n : 2);

	beforeAll(async () => {
		h = await database.open();
		process.env.OUTBOX_DIR = outbox;
		auth = createAuth({
			db: h.db,
			baseURL: 'http://localhost:3999',
			secret: 'test-secret-'.repeat(4),
			sendMail: async () => {}
		});
	});
	afterAll(async () => {
		delete process.env.OUTBOX_DIR;
		rmSync(outbox, { recursive: true, force: true });
		await h?.close();
	});

	it('the same new address invited by two coordinators at once: one account, in the space once; a refusal names the address', async () => {
		let refusals = 0;
		// Few rounds: each invitation hashes a password (about a tenth of a second).
		const n = rounds(5);
		for (let round = 0; round < n; round++) {
			const first = await anActor(h.db, 'reader');
			const second = await anActor(h.db, 'reader');
			const space = await aPartnership(h.db, { coordinators: [first.id, second.id] });
			const email = `samma-${round}-${first.id.slice(0, 6)}@example.se`;
			const { made, refused } = await together(
				[first, second].map((who) =>
					inviteToPartnership(
						h.db,
						auth,
						who,
						space.slug,
						{ email },
						'http://localhost:3999/reset-password/new'
					)
				)
			);
			expect(made.length).toBeGreaterThanOrEqual(1);
			expect(made.every((m) => m === email)).toBe(true);
			for (const e of refused) {
				expect(shown(e)).toEqual([
					[
						'email: E-postadress: Någon annan bjöd nyss in den här adressen. Ladda om sidan för att se den bland deltagarna.'
					],
					[
						'email: Email address: Someone else just invited this address. Reload the page to see it among the people.'
					]
				]);
			}
			refusals += refused.length;
			const accounts = await h.db.select({ id: user.id }).from(user).where(eq(user.email, email));
			expect(accounts).toHaveLength(1);
			const access = await h.db
				.select({ role: partnershipAccess.role })
				.from(partnershipAccess)
				.where(
					and(eq(partnershipAccess.partnershipId, space.id), eq(partnershipAccess.userId, accounts[0]!.id))
				);
			expect(access).toEqual([{ role: 'member' }]);
		}
		// PGlite: the second finds the account the first made and lets it in too (an invitation of
		// someone already there changes nothing). PostgreSQL: at least one round raced (each
		// invitation hashes a password between its check and its insert, so two started together
		// both pass the check).
		if (database.name === 'pglite') expect(refusals).toBe(0);
		else expect(refusals).toBeGreaterThan(0);
		console.log(`Invitation races on ${database.name}: ${refusals} of ${n} rounds refused one of the two`);
	});

	it('the same address for two new articles at once: one is made, the other answers that the address is taken', async () => {
		const first = await anActor(h.db, 'author');
		const second = await anActor(h.db, 'author');
		for (let round = 0; round < rounds(20); round++) {
			const slug = `samma-adress-${round}`;
			const { made, refused } = await together(
				[first, second].map((who) =>
					createArticle(
						h.db,
						who,
						aForm({
							slug,
							kind: 'news',
							themes: ['participation'],
							title_sv: `Samtidigt ${round}`,
							teaser_sv: 'Två sparade samma adress på en gång.'
						})
					)
				)
			);
			expect(made).toHaveLength(1);
			expect(refused).toHaveLength(1);
			expect(shown(refused[0])).toEqual([
				['slug: Adress: Det finns redan en artikel med den adressen.'],
				['slug: Address: There is already an article at that address.']
			]);
			const saved = await h.db.select({ id: article.id }).from(article).where(eq(article.slug, slug));
			expect(saved).toEqual([{ id: made[0] }]);
		}
	});
});
