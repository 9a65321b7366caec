import { z } from 'zod';
import { mediaKinds } from '../media/schema.ts';
import { roles, type Role } from './schema.ts';

/** A person's input in the dialogues, each thing with the space it belongs to (its address). */
const dialogueDataView = z.object({
	proposals: z.array(
		z.object({
			id: z.number(),
			space: z.string(),
			title: z.string(),
			body: z.string(),
			language: z.string(),
			placeName: z.string().nullable(),
			status: z.string(),
			supportCount: z.number(),
			createdAt: z.iso.datetime(),
			editedAt: z.iso.datetime().nullable()
		})
	),
	supports: z.array(
		z.object({ proposal: z.number(), space: z.string(), title: z.string(), createdAt: z.iso.datetime() })
	),
	comments: z.array(
		z.object({
			id: z.number(),
			space: z.string(),
			proposal: z.number().nullable(),
			body: z.string(),
			stance: z.string().nullable(),
			createdAt: z.iso.datetime(),
			editedAt: z.iso.datetime().nullable(),
			deletedAt: z.iso.datetime().nullable()
		})
	),
	flags: z.array(
		z.object({
			space: z.string(),
			proposal: z.number().nullable(),
			comment: z.number().nullable(),
			reason: z.string(),
			createdAt: z.iso.datetime()
		})
	),
	follows: z.array(
		z.object({ space: z.string().nullable(), proposal: z.number().nullable(), createdAt: z.iso.datetime() })
	),
	verifications: z.array(
		z.object({ organization: z.string(), method: z.enum(['census', 'oidc']), verifiedAt: z.iso.datetime() })
	)
});

export type DialogueData = z.infer<typeof dialogueDataView>;

/**
 * "Download my data" (GDPR art. 15 and 20): everything stored about a person, as one JSON
 * document. Never a secret: no password hash, no session token, no second-factor key.
 */
export const userDataView = z.object({
	exportedAt: z.iso.datetime(),
	profile: z
		.object({
			id: z.string(),
			name: z.string(),
			email: z.string(),
			emailVerified: z.boolean(),
			role: z.enum(roles).nullable(),
			locale: z.string().nullable(),
			notificationMail: z.enum(['single', 'daily', 'weekly', 'none']),
			twoFactorEnabled: z.boolean(),
			createdAt: z.iso.datetime(),
			updatedAt: z.iso.datetime()
		})
		.optional(),
	/** Times, addresses and browsers of sign-ins; the tokens themselves are left out. */
	sessions: z.array(
		z.object({
			createdAt: z.iso.datetime(),
			lastActive: z.iso.datetime(),
			expiresAt: z.iso.datetime(),
			ipAddress: z.string().nullable(),
			userAgent: z.string().nullable()
		})
	),
	twoFactor: z.object({ enrolled: z.boolean() }),
	/** What they did, from the audit log. */
	activity: z.array(
		z.object({
			at: z.iso.datetime(),
			action: z.string(),
			subject: z.string().nullable(),
			ip: z.string().nullable()
		})
	),
	/** What they wrote and uploaded: kept after a deletion, but theirs to see. */
	articles: z.array(z.object({ slug: z.string(), status: z.string(), createdAt: z.iso.datetime() })),
	uploads: z.array(z.object({ fileName: z.string(), kind: z.enum(mediaKinds), createdAt: z.iso.datetime() })),
	/** Their part in the dialogues: what they proposed, supported, commented, flagged and follow. */
	dialogue: dialogueDataView,
	/** The organizations they work for on the platform, and what they asked to join. */
	organizations: z.array(z.object({ organization: z.string(), admin: z.boolean(), since: z.iso.datetime() })),
	accessRequests: z.array(
		z.object({
			organization: z.string().nullable(),
			proposedName: z.string().nullable(),
			position: z.string(),
			message: z.string(),
			status: z.string(),
			reason: z.string().nullable(),
			createdAt: z.iso.datetime(),
			decidedAt: z.iso.datetime().nullable()
		})
	)
});

export type UserData = z.infer<typeof userDataView>;

/** The rows read about a person, in the download's shape (dates as ISO 8601). */
export function userDataOf(rows: {
	profile?: {
		id: string;
		name: string;
		email: string;
		emailVerified: boolean;
		role: Role | null;
		locale: string | null;
		notificationMail: 'single' | 'daily' | 'weekly' | 'none';
		twoFactorEnabled: boolean | null;
		createdAt: Date;
		updatedAt: Date;
	};
	sessions: {
		createdAt: Date;
		updatedAt: Date;
		expiresAt: Date;
		ipAddress: string | null;
		userAgent: string | null;
	}[];
	twoFactorEnrolled: boolean;
	activity: { at: Date; action: string; subject: string | null; ip: string | null }[];
	articles: { slug: string; status: string; createdAt: Date }[];
	uploads: { fileName: string; kind: UserData['uploads'][number]['kind']; createdAt: Date }[];
	/** In the download's shape already (own-account/queries.ts). */
	dialogue: DialogueData;
	organizations: { organization: string; admin: boolean; since: Date }[];
	accessRequests: {
		organization: string | null;
		proposedName: string | null;
		position: string;
		message: string;
		status: string;
		reason: string | null;
		createdAt: Date;
		decidedAt: Date | null;
	}[];
}): UserData {
	const iso = (d: Date) => d.toISOString();
	const p = rows.profile;
	return {
		exportedAt: new Date().toISOString(),
		profile: p && {
			id: p.id,
			name: p.name,
			email: p.email,
			emailVerified: p.emailVerified,
			role: p.role,
			locale: p.locale,
			notificationMail: p.notificationMail,
			twoFactorEnabled: !!p.twoFactorEnabled,
			createdAt: iso(p.createdAt),
			updatedAt: iso(p.updatedAt)
		},
		sessions: rows.sessions.map((s) => ({
			createdAt: iso(s.createdAt),
			lastActive: iso(s.updatedAt),
			expiresAt: iso(s.expiresAt),
			ipAddress: s.ipAddress,
			userAgent: s.userAgent
		})),
		twoFactor: { enrolled: rows.twoFactorEnrolled },
		activity: rows.activity.map((e) => ({ at: iso(e.at), action: e.action, subject: e.subject, ip: e.ip })),
		articles: rows.articles.map((a) => ({ ...a, createdAt: iso(a.createdAt) })),
		uploads: rows.uploads.map((u) => ({ ...u, createdAt: iso(u.createdAt) })),
		dialogue: rows.dialogue,
		organizations: rows.organizations.map((o) => ({ ...o, since: iso(o.since) })),
		accessRequests: rows.accessRequests.map((r) => ({
			...r,
			createdAt: iso(r.createdAt),
			decidedAt: r.decidedAt ? iso(r.decidedAt) : null
		}))
	};
}
