import { eq, like } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { ValidationError, type FieldProblem } from '../../kernel/errors.ts';
import { authorizeOn, type Actor } from '../../kernel/policy.ts';
import { sanitizeRichText } from '../../kernel/sanitize.ts';
import { slugify, uniqueSlug } from '../../kernel/slug.ts';
import { runCommand } from '../../kernel/write.ts';
import { organization } from '../../organizations/schema.ts';
import { partnership } from '../../partnerships/schema.ts';
import { checkTags, goalsWithTargets } from '../../taxonomy/known.ts';
import type { Locale } from '#lib/i18n/locales.ts';
import {
	dialogueGoal,
	dialoguePhase,
	dialogueSpace,
	dialogueTarget,
	dialogueTeam,
	dialogueTheme
} from '../schema.ts';
import { dialoguePolicy } from '../policy.ts';
import { parseSpaceForm, type ParsedSpaceForm, type SpaceFormValues, type SpaceOwner } from './input.ts';
import { ownerActors, readSpace } from './queries.ts';
import { ownerPeople } from './pickers.ts';

/**
 * Writes of dialogue spaces: a new space and saving the form over one. A space is not in the
 * render cache (dialogue pages are live), so these changes are not public ones: they do not raise
 * the content revision.
 */

/** Addresses a space can never have: they are pages of their own under /dialogue. */
const reservedSlugs = new Set(['new']);

/** Tags that must exist and a team chosen from the owner's people; each bad one is named. */
async function checkReferences(
	tx: Transaction,
	form: ParsedSpaceForm,
	owner: SpaceOwner
): Promise<Map<string, number>> {
	const tags = await checkTags(tx, form);
	const problems = tags.problems as FieldProblem<'dialogue'>[];
	const goalOf = tags.goalOf;
	const team = [...form.moderators, ...form.answerers];
	if (team.length) {
		const people = new Set((await ownerPeople(tx, owner)).map((p) => p.id));
		if (form.moderators.some((id) => !people.has(id)))
			problems.push({ field: 'moderators', code: 'spaceUnknownPerson' });
		if (form.answerers.some((id) => !people.has(id)))
			problems.push({ field: 'answerers', code: 'spaceUnknownPerson' });
	}
	if (problems.length) throw new ValidationError(problems, 'dialogue');
	return goalOf;
}

/** Replaces a space's phases, tags and team. */
async function writeDetails(
	tx: Transaction,
	spaceId: number,
	form: ParsedSpaceForm,
	goalOf: Map<string, number>
): Promise<void> {
	for (const table of [dialoguePhase, dialogueTheme, dialogueGoal, dialogueTarget, dialogueTeam]) {
		await tx.delete(table).where(eq(table.spaceId, spaceId));
	}
	const goals = goalsWithTargets(form.goals, form.targets, goalOf);
	if (form.phases.length) {
		await tx.insert(dialoguePhase).values(form.phases.map((p, position) => ({ spaceId, position, ...p })));
	}
	if (form.themes.length) {
		await tx.insert(dialogueTheme).values(form.themes.map((themeKey) => ({ spaceId, themeKey })));
	}
	if (goals.length) await tx.insert(dialogueGoal).values(goals.map((goal) => ({ spaceId, goal })));
	if (form.targets.length) {
		await tx.insert(dialogueTarget).values(form.targets.map((target) => ({ spaceId, target })));
	}
	const team = [
		...form.moderators.map((userId) => ({ spaceId, userId, role: 'moderator' as const })),
		...form.answerers.map((userId) => ({ spaceId, userId, role: 'answerer' as const }))
	];
	if (team.length) await tx.insert(dialogueTeam).values(team);
}

const cleanDescription = (d: Partial<Record<Locale, string>>) =>
	Object.fromEntries(Object.entries(d).map(([l, html]) => [l, sanitizeRichText(html!)]));

/** The space's columns from the form (all but the owner and the address). */
const columnsOf = (form: ParsedSpaceForm) => ({
	title: form.title,
	description: cleanDescription(form.description),
	languages: form.languages,
	participationLevel: form.level,
	status: form.status,
	moderation: form.moderation,
	requirements: form.requirements,
	supportThreshold: form.supportThreshold,
	supportWindowDays: form.supportWindowDays,
	answerDays: form.answerDays,
	flagsToHide: form.flagsToHide
});

/** What the audit keeps of a space. */
const audited = (form: ParsedSpaceForm) => ({
	status: form.status,
	level: form.level,
	moderation: form.moderation,
	requirements: form.requirements,
	phases: form.phases.length,
	moderators: form.moderators,
	answerers: form.answerers
});

/** Whether the owner exists; `owner` names it when it does not. */
async function ownerExists(tx: Transaction, owner: SpaceOwner): Promise<boolean> {
	const found =
		'organizationId' in owner
			? await tx
					.select({ id: organization.id })
					.from(organization)
					.where(eq(organization.id, owner.organizationId))
			: await tx
					.select({ id: partnership.id })
					.from(partnership)
					.where(eq(partnership.id, owner.partnershipId));
	return found.length > 0;
}

/**
 * A new space for an organization or a partnership, by someone who runs spaces for it (its staff,
 * its coordinators) or an editor. Returns its address, made from its title.
 */
export async function createSpace(db: Database, actor: Actor, values: SpaceFormValues): Promise<string> {
	let goalOf = new Map<string, number>();
	return runCommand(db, actor, {
		rule: dialoguePolicy.createSpace,
		parse: () => parseSpaceForm(values, { withOwner: true }),
		unique: {
			dialogue_space_slug_unique: new ValidationError(
				[{ field: 'title_sv', code: 'savedMeanwhile' }],
				'dialogue'
			)
		},
		check: async (tx, form, who) => {
			const owner = form.owner!;
			if (!(await ownerExists(tx, owner))) {
				throw new ValidationError([{ field: 'owner', code: 'spaceUnknownOwner' }], 'dialogue');
			}
			await authorizeOn(who, dialoguePolicy.runSpace, await ownerActors(tx, owner));
			goalOf = await checkReferences(tx, form, owner);
		},
		work: async (tx, form) => {
			const owner = form.owner!;
			const base = slugify(form.title.sv ?? form.title.en ?? '', 80) || 'dialog';
			const slug = await uniqueSlug(reservedSlugs.has(base) ? `${base}-dialog` : base, async (prefix) =>
				(
					await tx
						.select({ slug: dialogueSpace.slug })
						.from(dialogueSpace)
						.where(like(dialogueSpace.slug, `${prefix}%`))
				).map((r) => r.slug)
			);
			const [row] = await tx
				.insert(dialogueSpace)
				.values({
					slug,
					organizationId: 'organizationId' in owner ? owner.organizationId : null,
					partnershipId: 'partnershipId' in owner ? owner.partnershipId : null,
					...columnsOf(form)
				})
				.returning({ id: dialogueSpace.id });
			await writeDetails(tx, row!.id, form, goalOf);
			return {
				result: slug,
				audit: {
					action: 'dialogue.space.create',
					subject: `dialogue_space:${row!.id}`,
					after: { slug, owner, ...audited(form) }
				},
				public: false
			};
		}
	});
}

/**
 * Saves the form over a space (whoever runs it, or an editor); refuses to overwrite a save made
 * since the form was opened. The owner stays as it is.
 */
export async function saveSpace(
	db: Database,
	actor: Actor,
	slug: string,
	values: SpaceFormValues
): Promise<void> {
	let spaceId = 0;
	let goalOf = new Map<string, number>();
	await runCommand(db, actor, {
		rule: dialoguePolicy.createSpace,
		parse: () => parseSpaceForm(values, { withOwner: false }),
		check: async (tx, form, who) => {
			const space = await readSpace(tx, { slug });
			spaceId = space.id;
			await authorizeOn(who, dialoguePolicy.runSpace, space.actors);
			const [row] = await tx
				.select({ organizationId: dialogueSpace.organizationId, partnershipId: dialogueSpace.partnershipId })
				.from(dialogueSpace)
				.where(eq(dialogueSpace.id, spaceId));
			const owner: SpaceOwner =
				row!.organizationId !== null
					? { organizationId: row!.organizationId }
					: { partnershipId: row!.partnershipId! };
			goalOf = await checkReferences(tx, form, owner);
		},
		work: async (tx, form) => {
			const [current] = await tx
				.select({
					updatedAt: dialogueSpace.updatedAt,
					status: dialogueSpace.status,
					level: dialogueSpace.participationLevel,
					requirements: dialogueSpace.requirements
				})
				.from(dialogueSpace)
				.where(eq(dialogueSpace.id, spaceId))
				.for('update');
			if (!form.version) {
				throw new ValidationError([{ field: 'version', code: 'spaceVersionMissing' }], 'dialogue');
			}
			if (current!.updatedAt.toISOString() !== form.version) {
				throw new ValidationError([{ field: 'version', code: 'spaceStaleEdit' }], 'dialogue');
			}
			await tx
				.update(dialogueSpace)
				.set({ ...columnsOf(form), updatedAt: new Date() })
				.where(eq(dialogueSpace.id, spaceId));
			await writeDetails(tx, spaceId, form, goalOf);
			return {
				result: undefined,
				audit: {
					action: 'dialogue.space.save',
					subject: `dialogue_space:${spaceId}`,
					before: { status: current!.status, level: current!.level, requirements: current!.requirements },
					after: audited(form)
				},
				public: false
			};
		}
	});
}
