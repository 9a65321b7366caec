import { randomUUID } from 'node:crypto';
import type { Database } from '../kernel/database.ts';
import type { Actor } from '../kernel/policy.ts';
import type { Role } from '#lib/roles.ts';
import { user } from '../accounts/schema.ts';

/** A signed-in person as commands see them, with a user row behind them (for names and links). */
export type TestActor = NonNullable<Actor> & { name: string; email: string };

/**
 * Makes a user with a role and returns them as an actor. Each call makes a new person, so tests
 * never share (or collide on) accounts: `const editor = await anActor(db, 'editor')`.
 */
export async function anActor(
	db: Database,
	role: Role,
	options: { name?: string; email?: string } = {}
): Promise<TestActor> {
	const id = randomUUID();
	const name = options.name ?? `${role[0]!.toUpperCase()}${role.slice(1)} ${id.slice(0, 4)}`;
	const email = options.email ?? `${role}-${id.slice(0, 8)}@example.se`;
	await db.insert(user).values({ id, name, email, role, emailVerified: true });
	return { id, role, name, email };
}

/** One of each role, for the tests that check who is refused. */
export async function everyRole(db: Database): Promise<Record<Role, TestActor>> {
	return {
		admin: await anActor(db, 'admin'),
		editor: await anActor(db, 'editor'),
		author: await anActor(db, 'author'),
		reader: await anActor(db, 'reader')
	};
}

/** Nobody signed in. */
export const anonymous: Actor = null;
