// Run by bench/dialogue.js in a process of its own, with the server's settings (DATABASE_URL or
// DATA_DIR): loads the dialogue corpus straight into the tables and prints, as its last line, the
// JSON bench/dialogue.js needs (session tokens, proposal ids).
import { randomBytes, randomUUID } from 'node:crypto';

export const corpus = {
	participants: 1000,
	proposals: 1000,
	/** 2,500 threads of four: a top-level comment, two replies, a reply to the first reply. */
	comments: 10_000,
	parallelSupports: 50,
	threshold: 500
};
export const spaces = { pages: 'bench-tusen-forslag', supports: 'bench-stod-pa-en-gang' };

/** The corpus (the app's modules are loaded here only: bench/dialogue.js imports the figures above). */
export async function loadCorpus() {
	const { openConfiguredDatabase } = await import('../src/lib/server/app/startup.ts');
	const { user, session } = await import('../src/lib/server/accounts/schema.ts');
	const { organization } = await import('../src/lib/server/organizations/schema.ts');
	const { dialogueSpace, dialoguePhase, proposal, dialogueComment } =
		await import('../src/lib/server/dialogue/schema.ts');
	const { sql, eq } = await import('drizzle-orm');
	const handle = await openConfiguredDatabase({ demo: true });
	const db = handle.db;
	const day = 86_400_000;
	const now = Date.now();
	const ago = (minutes) => new Date(now - minutes * 60_000);

	const people = Array.from({ length: corpus.participants + 1 }, (_, i) => ({
		id: randomUUID(),
		name: `Bänkdeltagare ${i + 1}`,
		email: `bank-${i + 1}@example.se`,
		role: 'reader',
		emailVerified: true
	}));
	const tokens = people.map(() => randomBytes(24).toString('base64url'));
	for (let i = 0; i < people.length; i += 500) {
		await db.insert(user).values(people.slice(i, i + 500));
		await db.insert(session).values(
			people.slice(i, i + 500).map((p, j) => ({
				id: randomUUID(),
				token: tokens[i + j],
				userId: p.id,
				expiresAt: new Date(now + 7 * day),
				createdAt: new Date(now),
				updatedAt: new Date(now)
			}))
		);
	}

	const [owner] = await db
		.select({ id: organization.id })
		.from(organization)
		.where(eq(organization.country, 'SE'))
		.limit(1);
	const space = async (slug, title) => {
		const [row] = await db
			.insert(dialogueSpace)
			.values({
				slug,
				organizationId: owner.id,
				title: { sv: title, en: title },
				description: {
					sv: '<p>Syntetiskt samtal för mätningar.</p>',
					en: '<p>A synthetic dialogue for measurements.</p>'
				},
				languages: ['sv', 'en'],
				participationLevel: 'consultation',
				status: 'open',
				supportThreshold: corpus.threshold
			})
			.returning({ id: dialogueSpace.id });
		await db.insert(dialoguePhase).values({
			spaceId: row.id,
			position: 0,
			kind: 'input',
			startsOn: new Date(now - 30 * day).toISOString().slice(0, 10),
			endsOn: new Date(now + 60 * day).toISOString().slice(0, 10),
			opens: ['proposals', 'supports', 'comments']
		});
		return row.id;
	};
	const aProposal = (spaceId, i, extra = {}) => ({
		spaceId,
		authorId: people[i % corpus.participants].id,
		title: `Bänkförslag ${i + 1}: fler bänkar längs ån`,
		body: 'Ett syntetiskt förslag för mätningar. '.repeat(8).trim(),
		language: 'sv',
		status: 'collecting',
		createdAt: ago(100_000 - i),
		collectUntil: new Date(now + 60 * day),
		...extra
	});

	// The space with 1,000 proposals (supports 0–999 on the counter) …
	const pagesSpace = await space(spaces.pages, 'Tusen förslag');
	const ids = [];
	for (let i = 0; i < corpus.proposals; i += 500) {
		const rows = await db
			.insert(proposal)
			.values(
				Array.from({ length: Math.min(500, corpus.proposals - i) }, (_, j) =>
					aProposal(pagesSpace, i + j, {
						supportCount: i + j,
						commentCount: i + j === 0 ? corpus.comments : 0
					})
				)
			)
			.returning({ id: proposal.id });
		ids.push(...rows.map((r) => r.id));
	}
	// … the first with 10,000 comments in 2,500 threads.
	const commented = ids[0];
	const threads = corpus.comments / 4;
	const author = (i) => people[i % corpus.participants].id;
	const tops = [];
	for (let i = 0; i < threads; i += 500) {
		const rows = await db
			.insert(dialogueComment)
			.values(
				Array.from({ length: 500 }, (_, j) => ({
					spaceId: pagesSpace,
					proposalId: commented,
					authorId: author(i + j),
					body: `Kommentar ${i + j + 1}: jag håller med om det mesta, men tänk på vintern också.`,
					stance: ['for', 'against', 'neutral'][(i + j) % 3],
					createdAt: ago(50_000 - (i + j))
				}))
			)
			.returning({ id: dialogueComment.id });
		tops.push(...rows.map((r) => r.id));
	}
	for (let i = 0; i < threads; i += 500) {
		const replies = await db
			.insert(dialogueComment)
			.values(
				tops.slice(i, i + 500).flatMap((root, j) =>
					[1, 2].map((n) => ({
						spaceId: pagesSpace,
						proposalId: commented,
						parentId: root,
						rootId: root,
						depth: 1,
						authorId: author(i + j + n),
						body: `Svar ${n}: bra poäng, och det finns fler sätt att se på det.`,
						createdAt: ago(40_000 - (i + j) - n)
					}))
				)
			)
			.returning({ id: dialogueComment.id, rootId: dialogueComment.rootId });
		await db.insert(dialogueComment).values(
			replies
				.filter((_, k) => k % 2 === 0)
				.map((r, k) => ({
					spaceId: pagesSpace,
					proposalId: commented,
					parentId: r.id,
					rootId: r.rootId,
					depth: 2,
					authorId: author(i + k + 3),
					body: 'Svar på svaret: precis så.',
					createdAt: ago(30_000 - (i + k))
				}))
		);
	}

	// The space whose proposals are supported: by all 1,000 at once (twice: as deployed, and with a
	// long wait for a pooled connection), and 50 times by one.
	const supportsSpace = await space(spaces.supports, 'Stöd på en gång');
	const [target, patient, single] = await db
		.insert(proposal)
		// Nobody supports their own proposal: the 1,000 support proposals by the one who supports
		// 50 times, and that one supports a proposal of someone among the 1,000.
		.values([
			aProposal(supportsSpace, 0, { authorId: people[corpus.participants].id }),
			aProposal(supportsSpace, 1, { authorId: people[corpus.participants].id }),
			aProposal(supportsSpace, 2)
		])
		.returning({ id: proposal.id });
	// Fresh statistics and visibility map, as autovacuum would give a live database in time.
	await db.execute(sql`vacuum analyze`);
	await handle.close();
	process.stdout.write(
		JSON.stringify({
			tokens,
			commented,
			target: target.id,
			patient: patient.id,
			single: single.id,
			kind: handle.kind
		}) + '\n'
	);
}

if (import.meta.main) {
	await loadCorpus();
	process.exit(0);
}
