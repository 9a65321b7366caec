import { eq, inArray } from 'drizzle-orm';
import type { Database, Transaction } from '../kernel/database.ts';
import { runSystemChange } from '../kernel/write.ts';
import { user } from '../accounts/schema.ts';
import { organization } from '../organizations/schema.ts';
import { partnership } from '../partnerships/schema.ts';
import {
	dialogueComment,
	dialogueGoal,
	dialoguePhase,
	dialogueSpace,
	dialogueTarget,
	dialogueTheme,
	proposal,
	proposalAnswer,
	proposalEvent,
	proposalSupport
} from './schema.ts';
import {
	aleDecidedBy,
	alePhases,
	aleSpace,
	aleProposals,
	debateComments,
	debatePhases,
	debateSpace,
	demoParticipants,
	demoSpaceSlugs,
	type DemoComment,
	type DemoPhase,
	type Participant
} from './demo-texts.ts';

export { demoParticipants, demoSpaceSlugs };

/**
 * The dialogue demo: an Ale consultation on involving young residents (proposals with supports
 * and answers) and a Hörby–Peja debate on the town square (comments). The participants are demo
 * accounts with example.org addresses that nobody can sign in with (they have no password); the
 * names are made up and say so (the texts are in `demo-texts.ts`). Only what is missing is added:
 * a space already there (by its address) is left as it is, so every start may run this.
 */

const day = 24 * 60 * 60 * 1000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Demo participants, made if missing; their ids by key. */
async function participants(tx: Transaction): Promise<Map<Participant, string>> {
	await tx
		.insert(user)
		.values(
			demoParticipants.map((p) => ({
				id: `demo-participant-${p.key}`,
				name: p.name,
				email: p.email,
				emailVerified: true,
				role: 'reader' as const,
				locale: p.locale
			}))
		)
		.onConflictDoNothing();
	const rows = await tx
		.select({ id: user.id, email: user.email })
		.from(user)
		.where(
			inArray(
				user.email,
				demoParticipants.map((p) => p.email)
			)
		);
	const byEmail = new Map(rows.map((r) => [r.email, r.id]));
	return new Map(demoParticipants.map((p) => [p.key, byEmail.get(p.email)!]));
}

async function insertPhases(tx: Transaction, spaceId: number, phases: DemoPhase[], now: number) {
	await tx.insert(dialoguePhase).values(
		phases.map((p, position) => ({
			spaceId,
			position,
			kind: p.kind,
			startsOn: isoDay(new Date(now + p.from * day)),
			endsOn: isoDay(new Date(now + p.to * day)),
			opens: p.opens
		}))
	);
}

async function aleConsultation(tx: Transaction, organizationId: number, people: Map<Participant, string>) {
	const now = Date.now();
	const threshold = 5;
	const [space] = await tx
		.insert(dialogueSpace)
		.values({
			slug: demoSpaceSlugs.ale,
			organizationId,
			...aleSpace,
			languages: ['sv', 'en'],
			participationLevel: 'consultation',
			status: 'open',
			moderation: 'post',
			supportThreshold: threshold,
			supportWindowDays: 90,
			answerDays: 60,
			createdAt: new Date(now - 60 * day)
		})
		.returning({ id: dialogueSpace.id });
	const spaceId = space!.id;
	await insertPhases(tx, spaceId, alePhases, now);
	await tx.insert(dialogueTheme).values([{ spaceId, themeKey: 'participation' }]);
	await tx.insert(dialogueGoal).values([{ spaceId, goal: 16 }]);
	await tx.insert(dialogueTarget).values([{ spaceId, target: '16.7' }]);
	for (const p of aleProposals) {
		const createdAt = new Date(now - p.age * day);
		const reached = p.supporters.length >= threshold ? new Date(createdAt.getTime() + 2 * day) : null;
		const answeredAt = p.answer ? new Date(now - p.answer.age * day) : null;
		const [row] = await tx
			.insert(proposal)
			.values({
				spaceId,
				authorId: people.get(p.author)!,
				title: p.title,
				body: p.body,
				language: 'sv',
				status: p.status,
				answerState: p.answer?.state ?? null,
				supportCount: p.supporters.length,
				collectUntil: new Date(createdAt.getTime() + 90 * day),
				thresholdReachedAt: reached,
				answerDue: reached ? new Date(reached.getTime() + 60 * day) : null,
				firstAnsweredAt: answeredAt,
				createdAt
			})
			.returning({ id: proposal.id });
		const proposalId = row!.id;
		if (p.supporters.length) {
			await tx.insert(proposalSupport).values(
				p.supporters.map((s, i) => ({
					proposalId,
					userId: people.get(s)!,
					createdAt: new Date(createdAt.getTime() + (i + 1) * 6 * 60 * 60 * 1000)
				}))
			);
		}
		const events: (typeof proposalEvent.$inferInsert)[] = [
			{ proposalId, kind: 'submitted', at: createdAt },
			{ proposalId, kind: 'published', at: createdAt }
		];
		if (reached) events.push({ proposalId, kind: 'threshold-reached', at: reached });
		if (p.answer && answeredAt) {
			await tx.insert(proposalAnswer).values({
				proposalId,
				state: p.answer.state,
				text: p.answer.text,
				decidedBy: aleDecidedBy,
				createdAt: answeredAt,
				publishedAt: answeredAt
			});
			events.push({
				proposalId,
				kind: 'answer-published',
				detail: { state: p.answer.state },
				at: answeredAt
			});
		}
		await tx.insert(proposalEvent).values(events);
	}
	return spaceId;
}

async function insertComment(
	tx: Transaction,
	spaceId: number,
	people: Map<Participant, string>,
	c: DemoComment,
	parent: { id: number; rootId: number; depth: number } | null,
	now: number
): Promise<void> {
	const [row] = await tx
		.insert(dialogueComment)
		.values({
			spaceId,
			parentId: parent?.id ?? null,
			rootId: parent?.rootId ?? null,
			depth: parent ? parent.depth + 1 : 0,
			authorId: people.get(c.author)!,
			body: c.body,
			stance: c.stance ?? null,
			createdAt: new Date(now - c.age * day)
		})
		.returning({ id: dialogueComment.id });
	const self = { id: row!.id, rootId: parent?.rootId ?? row!.id, depth: parent ? parent.depth + 1 : 0 };
	for (const reply of c.replies ?? []) await insertComment(tx, spaceId, people, reply, self, now);
}

async function squareDebate(tx: Transaction, partnershipId: number, people: Map<Participant, string>) {
	const now = Date.now();
	const [space] = await tx
		.insert(dialogueSpace)
		.values({
			slug: demoSpaceSlugs.debate,
			partnershipId,
			...debateSpace,
			languages: ['sv', 'en'],
			participationLevel: 'involvement',
			status: 'open',
			moderation: 'post',
			requirements: {
				proposals: 'verified-email',
				supports: 'verified-email',
				comments: 'verified-email',
				reports: 'verified-email'
			},
			createdAt: new Date(now - 40 * day)
		})
		.returning({ id: dialogueSpace.id });
	const spaceId = space!.id;
	await insertPhases(tx, spaceId, debatePhases, now);
	await tx.insert(dialogueTheme).values([
		{ spaceId, themeKey: 'participation' },
		{ spaceId, themeKey: 'transparency' }
	]);
	await tx.insert(dialogueGoal).values([{ spaceId, goal: 11 }]);
	await tx.insert(dialogueTarget).values([{ spaceId, target: '11.7' }]);
	for (const c of debateComments) await insertComment(tx, spaceId, people, c, null, now);
	return spaceId;
}

/**
 * Adds the demo spaces that are missing. The Ale consultation needs Ale kommun (a reference
 * municipality), the debate the Hörby–Peja partnership (the partnerships' demo): without them,
 * that space is left out.
 */
export async function addDemoDialogue(db: Database): Promise<string[]> {
	const present = new Set(
		(
			await db
				.select({ slug: dialogueSpace.slug })
				.from(dialogueSpace)
				.where(inArray(dialogueSpace.slug, Object.values(demoSpaceSlugs)))
		).map((r) => r.slug)
	);
	const [[ale], [horbyPeja]] = await Promise.all([
		db.select({ id: organization.id }).from(organization).where(eq(organization.slug, 'ale-kommun')),
		db.select({ id: partnership.id }).from(partnership).where(eq(partnership.slug, 'horby-peja'))
	]);
	const wanted = {
		ale: !present.has(demoSpaceSlugs.ale) && ale !== undefined,
		debate: !present.has(demoSpaceSlugs.debate) && horbyPeja !== undefined
	};
	if (!wanted.ale && !wanted.debate) return [];
	return runSystemChange(db, async (tx) => {
		const people = await participants(tx);
		const added: string[] = [];
		if (wanted.ale) {
			await aleConsultation(tx, ale!.id, people);
			added.push(demoSpaceSlugs.ale);
		}
		if (wanted.debate) {
			await squareDebate(tx, horbyPeja!.id, people);
			added.push(demoSpaceSlugs.debate);
		}
		// Dialogue pages are never in the render cache: nothing public to refresh.
		return { result: added, audit: { action: 'dialogue.demo', after: { slugs: added } }, public: false };
	});
}
