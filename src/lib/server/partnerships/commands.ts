import { eq, inArray, like } from 'drizzle-orm';
import type { Database, Transaction } from '../kernel/database.ts';
import { ValidationError, type FieldProblem } from '../kernel/errors.ts';
import { authorizeOn, can, type Actor, type Rule } from '../kernel/policy.ts';
import { sanitizeRichText } from '../kernel/sanitize.ts';
import { slugify, uniqueSlug } from '../kernel/slug.ts';
import { runCommand } from '../kernel/write.ts';
import { organization } from '../organizations/schema.ts';
import { media } from '../media/schema.ts';
import { checkTags, goalsWithTargets } from '../taxonomy/known.ts';
import type { Locale } from '#lib/i18n/locales.ts';
import {
	partnership,
	partnershipGoal,
	partnershipMember,
	partnershipPhase,
	partnershipTarget,
	partnershipTeamMember,
	partnershipTheme
} from './schema.ts';
import { parsePartnershipForm, type ParsedPartnershipForm, type PartnershipFormValues } from './input.ts';
import { partnershipIdOf } from './space/queries.ts';
import { partnershipsPolicy, type PartnershipRef } from './policy.ts';

/**
 * The `check` of a command on one partnership, named by its address: finds it (404) and asks
 * `rule` about it (403), inside the command's transaction; `id` is the partnership's afterwards.
 */
export function onPartnership(slug: string, rule: Rule<PartnershipRef> = partnershipsPolicy.edit) {
	let found: number | undefined;
	return {
		check: async (tx: Transaction, _input: unknown, actor: NonNullable<Actor>): Promise<void> => {
			found = await partnershipIdOf(tx, slug);
			await authorizeOn(actor, rule, { db: tx, id: found });
		},
		get id(): number {
			if (found === undefined) throw new Error('onPartnership: the check runs before the work');
			return found;
		}
	};
}

/** Tags and members that must exist (members on their own side); each bad one is named. */
async function checkReferences(tx: Transaction, form: ParsedPartnershipForm): Promise<Map<string, number>> {
	const { problems, goalOf } = await checkTags(tx, form);
	const ids = [...form.swedish, ...form.international];
	if (ids.length) {
		const orgs = await tx
			.select({ id: organization.id, country: organization.country })
			.from(organization)
			.where(inArray(organization.id, ids));
		const countryOf = new Map(orgs.map((o) => [o.id, o.country]));
		const wrongSide =
			form.swedish.some((o) => countryOf.get(o) !== 'SE') ||
			form.international.some((o) => countryOf.get(o) === 'SE');
		if (orgs.length !== ids.length || wrongSide)
			problems.push({ field: 'members', code: 'unknownOrganization' });
	}
	if (form.leadImageId) {
		const [image] = await tx
			.select({ kind: media.kind, origin: media.origin, alt: media.alt })
			.from(media)
			.where(eq(media.id, form.leadImageId));
		// The library's own pictures only, described in every language the summary is in.
		if (!image || image.kind !== 'image' || image.origin !== 'library')
			problems.push({ field: 'leadImageId', code: 'unknownMedia' });
		else if (Object.keys(form.summary).some((lang) => !image.alt[lang]?.trim()))
			problems.push({ field: 'leadImageId', code: 'leadImageAltMissing' });
	}
	if (problems.length) throw new ValidationError(problems as FieldProblem<'partnerships'>[], 'partnerships');
	return goalOf;
}

/** Replaces a partnership's tags, phases and team (and members, when `withMembers`). */
async function writeDetails(
	tx: Transaction,
	id: number,
	form: ParsedPartnershipForm,
	goalOf: Map<string, number>,
	withMembers: boolean
): Promise<void> {
	const goals = goalsWithTargets(form.goals, form.targets, goalOf);
	const tables = [
		partnershipTheme,
		partnershipGoal,
		partnershipTarget,
		partnershipPhase,
		partnershipTeamMember
	];
	for (const table of tables) await tx.delete(table).where(eq(table.partnershipId, id));
	if (withMembers) {
		await tx.delete(partnershipMember).where(eq(partnershipMember.partnershipId, id));
		await tx.insert(partnershipMember).values([
			...form.swedish.map((organizationId) => ({ partnershipId: id, organizationId, role: 'swedish' })),
			...form.international.map((organizationId) => ({
				partnershipId: id,
				organizationId,
				role: 'international'
			}))
		]);
	}
	if (form.themes.length)
		await tx
			.insert(partnershipTheme)
			.values(form.themes.map((themeKey) => ({ partnershipId: id, themeKey })));
	if (goals.length)
		await tx.insert(partnershipGoal).values(goals.map((goal) => ({ partnershipId: id, goal })));
	if (form.targets.length)
		await tx.insert(partnershipTarget).values(form.targets.map((target) => ({ partnershipId: id, target })));
	if (form.phases.length)
		await tx.insert(partnershipPhase).values(form.phases.map((p) => ({ partnershipId: id, ...p })));
	if (form.team.length)
		await tx
			.insert(partnershipTeamMember)
			.values(form.team.map((t, position) => ({ partnershipId: id, ...t, position })));
}

/** The years the list shows: the first phase's start, and the last one's end unless one goes on. */
const years = (form: ParsedPartnershipForm) => {
	const from = form.phases.map((p) => p.fromYear);
	const to = form.phases.map((p) => p.toYear);
	return {
		startYear: from.length ? Math.min(...from) : null,
		endYear: to.some((y) => y === null) || !to.length ? null : Math.max(...(to as number[]))
	};
};

const cleanDescription = (d: Partial<Record<Locale, string>>) =>
	Object.fromEntries(Object.entries(d).map(([l, html]) => [l, sanitizeRichText(html!)]));

/**
 * Saves the form over a partnership (its editors, or its coordinator); refuses to overwrite a
 * save made since it was opened. Only editors change who the members are: a coordinator's
 * members are left as they are.
 */
export async function savePartnership(
	db: Database,
	actor: Actor,
	slug: string,
	values: PartnershipFormValues
): Promise<void> {
	const target = onPartnership(slug);
	await runCommand(db, actor, {
		rule: partnershipsPolicy.workInSpace,
		parse: () => parsePartnershipForm(values),
		check: target.check,
		work: async (tx, form, who) => {
			const id = target.id;
			const withMembers = can(who, partnershipsPolicy.changeMembers);
			const [current] = await tx
				.select({ updatedAt: partnership.updatedAt, status: partnership.status })
				.from(partnership)
				.where(eq(partnership.id, id))
				.for('update');
			// A form without the version it was opened at cannot show that nobody saved meanwhile:
			// refused rather than saved blind over someone else's changes.
			if (!form.version) {
				throw new ValidationError([{ field: 'version', code: 'versionMissing' }], 'partnerships');
			}
			if (current!.updatedAt.toISOString() !== form.version) {
				throw new ValidationError([{ field: 'version', code: 'staleEdit' }], 'partnerships');
			}
			const goalOf = await checkReferences(tx, form);
			await tx
				.update(partnership)
				.set({
					status: form.status,
					summary: form.summary,
					description: cleanDescription(form.description),
					leadImageId: form.leadImageId,
					...years(form),
					updatedAt: new Date()
				})
				.where(eq(partnership.id, id));
			await writeDetails(tx, id, form, goalOf, withMembers);
			return {
				result: undefined,
				audit: {
					action: 'partnership.save',
					subject: `partnership:${id}`,
					before: { status: current!.status },
					after: { status: form.status, team: form.team.length, members: withMembers }
				},
				public: true
			};
		}
	});
}

/** A new partnership (editors). Returns its slug, made from the members' names. */
export async function createPartnership(
	db: Database,
	actor: Actor,
	values: PartnershipFormValues
): Promise<string> {
	let goalOf = new Map<string, number>();
	return runCommand(db, actor, {
		rule: partnershipsPolicy.create,
		parse: () => parsePartnershipForm(values),
		// Two editors creating the same members' partnership at once get the same address.
		unique: {
			partnership_slug_unique: new ValidationError(
				[{ field: 'members', code: 'createdMeanwhile' }],
				'partnerships'
			)
		},
		check: async (tx, form) => {
			goalOf = await checkReferences(tx, form);
		},
		work: async (tx, form) => {
			const ids = [...form.swedish, ...form.international];
			const names = await tx
				.select({ id: organization.id, name: organization.name })
				.from(organization)
				.where(inArray(organization.id, ids));
			const nameOf = new Map(names.map((n) => [n.id, n.name.sv ?? n.name.en ?? '']));
			const base =
				slugify(ids.map((o) => nameOf.get(o)!.replace(/ kommun$/i, '')).join(' '), 100) || 'partnerskap';
			const slug = await uniqueSlug(base, async (prefix) =>
				(
					await tx
						.select({ slug: partnership.slug })
						.from(partnership)
						.where(like(partnership.slug, `${prefix}%`))
				).map((r) => r.slug)
			);
			const [row] = await tx
				.insert(partnership)
				.values({
					slug,
					status: form.status,
					summary: form.summary,
					description: cleanDescription(form.description),
					leadImageId: form.leadImageId,
					...years(form)
				})
				.returning({ id: partnership.id });
			await writeDetails(tx, row!.id, form, goalOf, true);
			return {
				result: slug,
				audit: { action: 'partnership.create', subject: `partnership:${row!.id}`, after: { slug } },
				public: true
			};
		}
	});
}
