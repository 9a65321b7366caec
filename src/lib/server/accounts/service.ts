import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { audit } from '../core/audit.ts';
import { ValidationError } from '../core/errors.ts';
import type { Auth } from './auth.ts';
import { maxPasswordLength } from './limits.ts';
import { passwordProblem } from './password-policy.ts';
import { roles, user, type Role } from './schema.ts';

export const staffInput = z.object({
	email: z
		.email()
		.max(254)
		.transform((e) => e.toLowerCase()),
	name: z.string().trim().min(1).max(120),
	role: z.enum(roles),
	// Checked by the password policy (length, breach list), exactly as typed.
	password: z.string().max(maxPasswordLength * 4)
});

/**
 * Creates a user with a role and a verified address (the first admin, from the command line).
 * Invitations by mail come with the editorial workspace.
 */
export async function createStaffUser(
	auth: Auth,
	db: Database,
	input: z.input<typeof staffInput>,
	actorId: string | null = null
): Promise<{ id: string; role: Role }> {
	const parsed = staffInput.safeParse(input);
	if (!parsed.success) {
		throw new ValidationError(
			parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? ''), code: 'invalidAccount' as const }))
		);
	}
	const { email, name, role, password } = parsed.data;
	const problem = passwordProblem(password);
	if (problem) throw new ValidationError([{ field: 'password', code: `password-${problem}` as const }]);
	const existing = await db.select({ id: user.id }).from(user).where(eq(user.email, email));
	if (existing.length) throw new ValidationError([{ field: 'email', code: 'emailTaken' }]);
	const created = await auth.api.createUser({
		body: { email, name, password, role: role as 'admin', data: { emailVerified: true } }
	});
	await audit(db, {
		actorId,
		action: 'user.create',
		subject: `user:${created.user.id}`,
		after: { email, role }
	});
	return { id: created.user.id, role };
}
