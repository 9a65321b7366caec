import { randomUUID } from 'node:crypto';
import type { Database } from '../../kernel/database.ts';
import type { Mail } from '../../kernel/mail.ts';
import { createAuth, type Auth } from '../../accounts/auth.ts';
import { createStaffUser } from '../../accounts/commands.ts';
import type { Role } from '../../accounts/schema.ts';
import { cookiesOf } from '../cookies.ts';

/** The origin the test auth instances answer for (links in their mail point here). */
export const testOrigin = 'http://localhost:3999';

/** better-auth on a test database, as the app makes it, with mail going where the test says. */
export function aTestAuth(db: Database, sendMail: (mail: Mail) => Promise<void> = async () => {}): Auth {
	return createAuth({ db, baseURL: testOrigin, secret: `test-secret-${randomUUID()}`, sendMail });
}

/** A person with a real account (a password, a verified address) and a role. */
export interface TestPerson {
	id: string;
	role: Role;
	name: string;
	email: string;
	password: string;
}

/**
 * Makes an account that can sign in, through the same command as `npm run admin:create`. Each
 * call makes a new person: `const editor = await aPerson(auth, db, 'editor')`.
 */
export async function aPerson(
	auth: Auth,
	db: Database,
	role: Role,
	options: { name?: string; email?: string; password?: string } = {}
): Promise<TestPerson> {
	const tag = randomUUID().slice(0, 8);
	const person = {
		name: options.name ?? `${role} ${tag}`,
		email: options.email ?? `${role}-${tag}@example.se`,
		password: options.password ?? `ett långt lösenord för ${tag}`
	};
	const { id } = await createStaffUser(auth, db, { ...person, role });
	return { id, role, ...person };
}

/** A browser's signed-in session: the Cookie header to send, and the session's id. */
export interface TestSession {
	headers: Headers;
	sessionId: string;
}

/** Signs a person in with their password, as from a browser at `ip`. */
export async function aSession(auth: Auth, person: TestPerson, ip = '192.0.2.1'): Promise<TestSession> {
	const signedIn = await auth.api.signInEmail({
		body: { email: person.email, password: person.password },
		headers: new Headers({ 'x-client-ip': ip, 'user-agent': 'Testläsaren/1.0' }),
		returnHeaders: true
	});
	const headers = new Headers({ cookie: cookiesOf(signedIn.headers), 'x-client-ip': ip });
	const session = await auth.api.getSession({ headers });
	if (!session) throw new Error(`${person.email} could not sign in`);
	return { headers, sessionId: session.session.id };
}
