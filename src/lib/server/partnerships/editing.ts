import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../kernel/database.ts';
import { audit } from '../kernel/audit.ts';
import { bumpRevision } from '../kernel/revision.ts';
import { contentChanged } from '../kernel/content-version.ts';
import { ForbiddenError, NotFoundError, ValidationError, type FieldProblem } from '../kernel/errors.ts';
import { authorize, can, type Actor } from '../kernel/policy.ts';
import { slugify, uniqueSlug } from '../kernel/slug.ts';
import { organization } from '../organizations/schema.ts';
import { checkTags } from '../taxonomy/known.ts';
import { sanitizeRichText } from '../kernel/sanitize.ts';
import { media } from '../media/schema.ts';
import { addToLibrary } from '../media/service.ts';
import type { MediaStore } from '../media/store.ts';
import { user } from '../accounts/schema.ts';
import type { Auth } from '../accounts/auth.ts';
import { createInvitedAccount } from '../accounts/service.ts';
import {
	partnership,
	partnershipAccess,
	partnershipDocument,
	partnershipGoal,
	partnershipMember,
	partnershipPhase,
	partnershipTarget,
	partnershipTeamMember,
	partnershipTheme,
	type SpaceRole
} from './schema.ts';
import type { ParsedPartnershipForm, PartnershipFormValues } from './form.ts';
import { mayEditPartnership } from './service.ts';
import { locales, type Locale } from '#lib/i18n/locales.ts';
import { partnershipsPolicy } from './policy.ts';

/** Throws unless the actor edits every partnership (editor) or coordinates this one. */
async function requireEditor(db: Database, actor: Actor, partnershipId: number): Promise<NonNullable<Actor>> {
	if (!actor) throw new ForbiddenError(true);
	if (!(await mayEditPartnership(db, actor, partnershipId))) throw new ForbiddenError(false);
	return actor;
}

async function partnershipIdOf(db: Database, slug: string): Promise<number> {
	const [row] = await db.select({ id: partnership.id }).from(partnership).where(eq(partnership.slug, slug));
	if (!row) throw new NotFoundError('partnership');
	return row.id;
}

export interface PartnershipEditing {
	id: number;
	slug: string;
	values: PartnershipFormValues;
	/** Editors change who the members are; a coordinator edits the rest. */
	canChangeMembers: boolean;
	access: { userId: string; name: string; email: string; role: SpaceRole }[];
	documents: { mediaId: number; fileName: string; title: string }[];
}

/** The form filled with a partnership as it is now, for someone allowed to edit it. */
export async function loadPartnershipForEditing(
	db: Database,
	actor: Actor,
	slug: string,
	locale: Locale
): Promise<PartnershipEditing> {
	const id = await partnershipIdOf(db, slug);
	await requireEditor(db, actor, id);
	const [p] = await db.select().from(partnership).where(eq(partnership.id, id));
	const [members, themes, goals, targets, phases, team, access, docs] = await Promise.all([
		db.select().from(partnershipMember).where(eq(partnershipMember.partnershipId, id)),
		db.select().from(partnershipTheme).where(eq(partnershipTheme.partnershipId, id)),
		db.select().from(partnershipGoal).where(eq(partnershipGoal.partnershipId, id)),
		db.select().from(partnershipTarget).where(eq(partnershipTarget.partnershipId, id)),
		db.select().from(partnershipPhase).where(eq(partnershipPhase.partnershipId, id)),
		db
			.select()
			.from(partnershipTeamMember)
			.where(eq(partnershipTeamMember.partnershipId, id))
			.orderBy(partnershipTeamMember.side, partnershipTeamMember.position),
		db
			.select({ userId: user.id, name: user.name, email: user.email, role: partnershipAccess.role })
			.from(partnershipAccess)
			.innerJoin(user, eq(user.id, partnershipAccess.userId))
			.where(eq(partnershipAccess.partnershipId, id)),
		db
			.select({ mediaId: media.id, fileName: media.fileName, title: partnershipDocument.title })
			.from(partnershipDocument)
			.innerJoin(media, eq(media.id, partnershipDocument.mediaId))
			.where(eq(partnershipDocument.partnershipId, id))
			.orderBy(partnershipDocument.position)
	]);
	const phase = (name: 'inception' | 'active' | 'completed') => {
		const found = phases.find((x) => x.phase === name);
		return { from: found ? String(found.fromYear) : '', to: found?.toYear ? String(found.toYear) : '' };
	};
	const perLocale = (text: Partial<Record<string, string>>) =>
		Object.fromEntries(locales.map((l) => [l, text[l] ?? ''])) as Record<Locale, string>;
	return {
		id,
		slug: p!.slug,
		canChangeMembers: isEditor(actor),
		values: {
			status: p!.status,
			swedish: members.filter((m) => m.role === 'swedish').map((m) => String(m.organizationId)),
			international: members.filter((m) => m.role === 'international').map((m) => String(m.organizationId)),
			themes: themes.map((t) => t.themeKey),
			goals: goals.map((g) => String(g.goal)),
			targets: targets.map((t) => t.target),
			summary: perLocale(p!.summary),
			description: perLocale(p!.description),
			phases: { inception: phase('inception'), active: phase('active'), completed: phase('completed') },
			team: team.map((t) => ({ side: t.side, role: t.role, name: t.name, title: perLocale(t.title) })),
			version: p!.updatedAt.toISOString()
		},
		access,
		documents: docs.map((d) => ({
			mediaId: d.mediaId,
			fileName: d.fileName,
			title: d.title[locale] ?? d.fileName
		}))
	};
}

/** Editors change members and appoint coordinators; a coordinator edits the rest. */
const isEditor = (actor: Actor) => can(actor, partnershipsPolicy.editAny);

/** Tags, members and names that must exist; each bad one is named. */
async function checkReferences(tx: Transaction, form: ParsedPartnershipForm): Promise<void> {
	const { problems } = await checkTags(tx, form);
	const ids = [...form.swedish, ...form.international];
	if (ids.length) {
		const orgs = await tx
			.select({ id: organization.id, country: organization.country })
			.from(organization)
			.where(inArray(organization.id, ids));
		const byId = new Map(orgs.map((o) => [o.id, o.country]));
		const wrongSide =
			form.swedish.some((o) => byId.get(o) !== 'SE') || form.international.some((o) => byId.get(o) === 'SE');
		if (orgs.length !== ids.length || wrongSide)
			problems.push({ field: 'members', code: 'unknownOrganization' });
	}
	if (problems.length) throw new ValidationError(problems, 'partnerships');
}

async function writeDetails(
	tx: Transaction,
	id: number,
	form: ParsedPartnershipForm,
	withMembers: boolean
): Promise<void> {
	const goals = [...new Set([...form.goals, ...form.targets.map((t) => Number(t.split('.')[0]))])];
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

/** Saves the form over a partnership; refuses to overwrite a save made since it was opened. */
export async function savePartnership(
	db: Database,
	actor: Actor,
	slug: string,
	form: ParsedPartnershipForm
): Promise<void> {
	const id = await partnershipIdOf(db, slug);
	const who = await requireEditor(db, actor, id);
	const withMembers = isEditor(actor);
	await db.transaction(async (tx) => {
		const [current] = await tx
			.select({ updatedAt: partnership.updatedAt, status: partnership.status })
			.from(partnership)
			.where(eq(partnership.id, id))
			.for('update');
		if (form.version && current!.updatedAt.toISOString() !== form.version) {
			throw new ValidationError([{ field: 'version', code: 'staleEdit' }], 'partnerships');
		}
		await checkReferences(tx, form);
		await tx
			.update(partnership)
			.set({
				status: form.status,
				summary: form.summary,
				description: cleanDescription(form.description),
				...years(form),
				updatedAt: new Date()
			})
			.where(eq(partnership.id, id));
		await writeDetails(tx, id, form, withMembers);
		await audit(tx, {
			actorId: who.id,
			action: 'partnership.save',
			subject: `partnership:${id}`,
			before: { status: current!.status },
			after: { status: form.status, team: form.team.length, members: withMembers }
		});
		await bumpRevision(tx);
	});
	contentChanged();
}

/** A new partnership (editors). Returns its slug, made from the members' names. */
export async function createPartnership(
	db: Database,
	actor: Actor,
	form: ParsedPartnershipForm
): Promise<string> {
	authorize(actor, partnershipsPolicy.editAny);
	const slug = await db.transaction(async (tx) => {
		await checkReferences(tx, form);
		const names = await tx
			.select({ id: organization.id, name: organization.name })
			.from(organization)
			.where(inArray(organization.id, [...form.swedish, ...form.international]));
		const byId = new Map(names.map((n) => [n.id, n.name.sv ?? n.name.en ?? '']));
		let base = slugify(
			[...form.swedish, ...form.international].map((o) => byId.get(o)!.replace(/ kommun$/i, '')).join(' '),
			100
		);
		base ||= 'partnerskap';
		const slug = await uniqueSlug(base, async (prefix) =>
			(
				await tx
					.select({ slug: partnership.slug })
					.from(partnership)
					.where(sql`${partnership.slug} like ${prefix + '%'}`)
			).map((r) => r.slug)
		);
		const [row] = await tx
			.insert(partnership)
			.values({
				slug,
				status: form.status,
				summary: form.summary,
				description: cleanDescription(form.description),
				...years(form)
			})
			.returning({ id: partnership.id });
		await writeDetails(tx, row!.id, form, true);
		await audit(tx, {
			actorId: actor.id,
			action: 'partnership.create',
			subject: `partnership:${row!.id}`,
			after: { slug }
		});
		await bumpRevision(tx);
		return slug;
	});
	contentChanged();
	return slug;
}

/** Gives an existing account a role in the partnership's space; audited. */
export async function grantAccess(
	db: Database,
	actor: Actor,
	slug: string,
	userId: string,
	role: SpaceRole
): Promise<void> {
	const id = await partnershipIdOf(db, slug);
	const who = await requireEditor(db, actor, id);
	// Only editors make coordinators; a coordinator invites members.
	if (role === 'coordinator' && !isEditor(actor)) throw new ForbiddenError(false);
	await db.transaction(async (tx) => {
		const [exists] = await tx.select({ id: user.id }).from(user).where(eq(user.id, userId));
		if (!exists) throw new ValidationError([{ field: 'email', code: 'unknownUser' }], 'partnerships');
		await tx
			.insert(partnershipAccess)
			.values({ partnershipId: id, userId, role })
			.onConflictDoUpdate({
				target: [partnershipAccess.partnershipId, partnershipAccess.userId],
				set: { role }
			});
		await audit(tx, {
			actorId: who.id,
			action: 'partnership.access',
			subject: `partnership:${id}`,
			after: { userId, role }
		});
	});
}

/** Removes someone from the space; audited. */
export async function revokeAccess(db: Database, actor: Actor, slug: string, userId: string): Promise<void> {
	const id = await partnershipIdOf(db, slug);
	const who = await requireEditor(db, actor, id);
	await db.transaction(async (tx) => {
		const [row] = await tx
			.select({ role: partnershipAccess.role })
			.from(partnershipAccess)
			.where(and(eq(partnershipAccess.partnershipId, id), eq(partnershipAccess.userId, userId)));
		if (!row) throw new NotFoundError('access');
		if (row.role === 'coordinator' && !isEditor(actor)) throw new ForbiddenError(false);
		await tx
			.delete(partnershipAccess)
			.where(and(eq(partnershipAccess.partnershipId, id), eq(partnershipAccess.userId, userId)));
		await audit(tx, {
			actorId: who.id,
			action: 'partnership.revoke',
			subject: `partnership:${id}`,
			before: { userId, role: row.role }
		});
	});
}

/** Attaches a PDF from the media library, or detaches one; audited. */
export async function setDocument(
	db: Database,
	actor: Actor,
	slug: string,
	mediaId: number,
	attach: boolean,
	title: Partial<Record<Locale, string>> = {}
): Promise<void> {
	const id = await partnershipIdOf(db, slug);
	const who = await requireEditor(db, actor, id);
	// The library is the staff's: attaching one of its files would publish it.
	if (attach && !can(actor, partnershipsPolicy.attachFromLibrary)) throw new ForbiddenError(false);
	await db.transaction(async (tx) => {
		if (attach) {
			const [file] = await tx.select({ kind: media.kind }).from(media).where(eq(media.id, mediaId));
			if (file?.kind !== 'document')
				throw new ValidationError([{ field: 'documents', code: 'unknownMedia' }], 'partnerships');
			await tx
				.insert(partnershipDocument)
				.values({ partnershipId: id, mediaId, title })
				.onConflictDoUpdate({
					target: [partnershipDocument.partnershipId, partnershipDocument.mediaId],
					set: { title }
				});
		} else {
			await tx
				.delete(partnershipDocument)
				.where(and(eq(partnershipDocument.partnershipId, id), eq(partnershipDocument.mediaId, mediaId)));
		}
		await audit(tx, {
			actorId: who.id,
			action: attach ? 'partnership.document.attach' : 'partnership.document.detach',
			subject: `partnership:${id}`,
			after: { mediaId }
		});
		await bumpRevision(tx);
	});
	contentChanged();
}

/**
 * Invites someone into the partnership's space by address: an existing account gets access at
 * once; a new address gets a reader account and a mailed link to set a password.
 */
export async function inviteToPartnership(
	db: Database,
	auth: Auth,
	actor: Actor,
	slug: string,
	input: { email: string; name: string },
	setPasswordUrl: string
): Promise<void> {
	const id = await partnershipIdOf(db, slug);
	const who = await requireEditor(db, actor, id);
	const email = input.email.trim().toLowerCase();
	if (!/^[^\s@]{1,64}@[^\s@]{1,189}\.[^\s@]{2,}$/.test(email) || email.length > 254) {
		throw new ValidationError([{ field: 'email', code: 'invalidEmail' }], 'partnerships');
	}
	const [existing] = await db.select({ id: user.id }).from(user).where(eq(user.email, email));
	const userId =
		existing?.id ??
		(await createInvitedAccount(
			auth,
			db,
			who.id,
			{ email, name: input.name.trim() || email, role: 'reader' },
			setPasswordUrl
		));
	await grantAccess(db, actor, slug, userId, 'member');
}

/** The organizations the member pickers offer: Swedish ones and the rest, by name. */
export async function organizationOptions(db: Database, locale: Locale) {
	const orgs = await db
		.select({
			id: organization.id,
			name: organization.name,
			country: organization.country,
			kind: organization.kind
		})
		.from(organization);
	const named = orgs
		.map((o) => ({ id: o.id, name: o.name[locale] ?? o.name.sv ?? '', country: o.country, kind: o.kind }))
		.sort((a, b) => a.name.localeCompare(b.name, locale));
	return {
		swedish: named.filter((o) => o.country === 'SE'),
		international: named.filter((o) => o.country !== 'SE')
	};
}

/** The PDFs in the media library staff can attach (newest 200); none for anyone else. */
export async function documentOptions(db: Database, actor: Actor) {
	if (!can(actor, partnershipsPolicy.attachFromLibrary)) return [];
	return db
		.select({ id: media.id, fileName: media.fileName })
		.from(media)
		.where(eq(media.kind, 'document'))
		.orderBy(sql`${media.createdAt} desc`)
		.limit(200);
}

/**
 * A coordinator (or editor) adds a PDF of the partnership's own: it goes into the media library
 * with the same checks as any upload, and onto the partnership's page. Only PDFs here.
 */
export async function uploadDocument(
	db: Database,
	store: MediaStore,
	actor: Actor,
	slug: string,
	input: { bytes: Uint8Array | null; fileName: string; title: Partial<Record<Locale, string>> }
): Promise<void> {
	const id = await partnershipIdOf(db, slug);
	const who = await requireEditor(db, actor, id);
	if (!input.bytes?.byteLength) throw new ValidationError([{ field: 'file', code: 'fileMissing' }], 'media');
	if (new TextDecoder().decode(input.bytes.subarray(0, 5)) !== '%PDF-') {
		throw new ValidationError([{ field: 'file', code: 'fileType' }], 'media');
	}
	const item = await addToLibrary(db, store, who.id, {
		bytes: input.bytes,
		fileName: input.fileName,
		alt: {}
	});
	await db.transaction(async (tx) => {
		await tx.insert(partnershipDocument).values({ partnershipId: id, mediaId: item.id, title: input.title });
		await audit(tx, {
			actorId: who.id,
			action: 'partnership.document.attach',
			subject: `partnership:${id}`,
			after: { mediaId: item.id, fileName: item.fileName }
		});
		await bumpRevision(tx);
	});
	contentChanged();
}
