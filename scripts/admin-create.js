// npm run admin:create -- --email anna@example.se [--name "Anna Andersson"] [--role admin|editor|author|reader] [--password …] [--organization ale-kommun …]
// npm run admin:create -- --from staff.json   (several people at once: a JSON list of
//   { "email", "name", "role", "password", "organizations": ["ale-kommun"] })
// Creates users with a verified address and a role (the first admin of a new installation).
// --organization (by slug, repeatable) makes them staff of an organization on the platform
// (organization_member) and its administrator, so they can post its "find a partner" profile and
// invite colleagues; the demo organizations
// are loaded first, as the app does on its first start, unless SEED_DEMO=false.
// Without --password a strong one is made up and printed once. Stop the app first when it runs
// on PGlite: one process at a time may open the database folder.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { openConfiguredDatabase } from '../src/lib/server/app/startup.ts';
import { config } from '../src/lib/server/kernel/config.ts';
import { organization, organizationMember } from '../src/lib/server/organizations/schema.ts';
import { createAuth } from '../src/lib/server/accounts/auth.ts';
import { createStaffUser } from '../src/lib/server/accounts/commands.ts';
import { sendMail } from '../src/lib/server/kernel/mail.ts';
import { ValidationError } from '../src/lib/server/kernel/errors.ts';

const usage =
	'Usage: npm run admin:create -- --email anna@example.se [--name "…"] [--role admin] [--password …] [--organization slug …]\n' +
	'       npm run admin:create -- --from people.json';

// A wrong or unknown option gets the usage, not a stack trace.
/** @type {ReturnType<typeof readArgs>['values']} */
let values;
try {
	values = readArgs().values;
} catch (e) {
	console.error(`${e instanceof Error ? e.message : e}\n${usage}`);
	process.exit(2);
}
if (values.help) {
	console.log(usage);
	process.exit(0);
}

function readArgs() {
	return parseArgs({
		options: {
			email: { type: 'string' },
			name: { type: 'string' },
			role: { type: 'string', default: 'admin' },
			password: { type: 'string' },
			organization: { type: 'string', multiple: true },
			from: { type: 'string' },
			help: { type: 'boolean', short: 'h' }
		}
	});
}

/** @typedef {{ email: string; name?: string; role?: string; password?: string; organizations?: string[] }} Person */
/** @type {Person[]} */
const people = values.from
	? JSON.parse(readFileSync(values.from, 'utf8'))
	: values.email
		? [
				{
					email: values.email,
					name: values.name,
					role: values.role,
					password: values.password,
					organizations: values.organization
				}
			]
		: [];
if (!people.length) {
	console.error(usage);
	process.exit(2);
}

// The demo organizations are loaded first (unless SEED_DEMO=false), as the app does on start.
const handle = await openConfiguredDatabase();
try {
	const auth = createAuth({
		db: handle.db,
		baseURL: config().publicOrigin,
		// Only hashing happens here; the secret signs cookies, which this command never sets.
		secret: config().auth.secret ?? randomBytes(32).toString('base64url'),
		sendMail
	});
	/** @param {Person} person */
	const createOne = async (person) => {
		const password = person.password ?? randomBytes(18).toString('base64url');
		try {
			const user = await createStaffUser(auth, handle.db, {
				email: person.email,
				name: person.name ?? person.email.split('@')[0] ?? person.email,
				role: person.role ?? 'admin',
				password
			});
			console.log(`Created ${person.email} with the role ${user.role}.`);
			for (const slug of person.organizations ?? []) {
				const [found] = await handle.db
					.select({ id: organization.id })
					.from(organization)
					.where(eq(organization.slug, slug));
				if (!found) {
					console.error(`No organization with the slug ${slug}: ${person.email} is not staff of it.`);
					process.exitCode = 1;
					continue;
				}
				await handle.db
					.insert(organizationMember)
					.values({ organizationId: found.id, userId: user.id, admin: true })
					.onConflictDoNothing();
				console.log(`${person.email} works for ${slug}.`);
			}
			if (!person.password) console.log(`Password for ${person.email} (shown once): ${password}`);
		} catch (error) {
			if (!(error instanceof ValidationError)) throw error;
			console.error(
				`Not created: ${person.email}: ${error.problems.map((p) => `${p.field} (${String(p.code)})`).join(', ')}`
			);
			process.exitCode = 1;
		}
	};
	// Hashing a password takes a quarter of a second of one core: as many people at a time as
	// there are cores (the writes themselves take turns on the database).
	const waiting = [...people];
	await Promise.all(
		Array.from({ length: Math.min(availableParallelism(), waiting.length) }, async () => {
			for (let person = waiting.shift(); person; person = waiting.shift()) await createOne(person);
		})
	);
} finally {
	await handle.close();
}
