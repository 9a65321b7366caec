// npm run admin:create -- --email anna@example.se [--name "Anna Andersson"] [--role admin|editor|author|reader] [--password …] [--organization ale-kommun …]
// Creates a user with a verified address and a role (the first admin of a new installation).
// --organization (by slug, repeatable) makes them staff of an organization on the platform
// (organization_member), so they can post its "find a partner" profile; the demo organizations
// are loaded first, as the app does on its first start, unless SEED_DEMO=false.
// Without --password a strong one is made up and printed once. Stop the app first when it runs
// on PGlite: one process at a time may open the database folder.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { openConfiguredDatabase } from '../src/lib/server/app/startup.ts';
import { config } from '../src/lib/server/kernel/config.ts';
import { eq } from 'drizzle-orm';
import { organization, organizationMember } from '../src/lib/server/organizations/schema.ts';
import { createAuth } from '../src/lib/server/accounts/auth.ts';
import { createStaffUser } from '../src/lib/server/accounts/service.ts';
import { sendMail } from '../src/lib/server/kernel/mail.ts';
import { ValidationError } from '../src/lib/server/kernel/errors.ts';

const { values } = parseArgs({
	options: {
		email: { type: 'string' },
		name: { type: 'string' },
		role: { type: 'string', default: 'admin' },
		password: { type: 'string' },
		organization: { type: 'string', multiple: true }
	}
});
if (!values.email) {
	console.error(
		'Usage: npm run admin:create -- --email anna@example.se [--name "…"] [--role admin] [--password …] [--organization slug …]'
	);
	process.exit(2);
}
const password = values.password ?? randomBytes(18).toString('base64url');
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
	const user = await createStaffUser(auth, handle.db, {
		email: values.email,
		name: values.name ?? values.email.split('@')[0] ?? values.email,
		role: /** @type {'admin'} */ (values.role),
		password
	});
	console.log(`Created ${values.email} with the role ${user.role}.`);
	const slugs = values.organization ?? [];
	for (const slug of slugs) {
		const [found] = await handle.db
			.select({ id: organization.id })
			.from(organization)
			.where(eq(organization.slug, slug));
		if (!found) {
			console.error(`No organization with the slug ${slug}: ${values.email} is not staff of it.`);
			process.exitCode = 1;
			continue;
		}
		await handle.db
			.insert(organizationMember)
			.values({ organizationId: found.id, userId: user.id })
			.onConflictDoNothing();
		console.log(`${values.email} works for ${slug}.`);
	}
	if (!values.password) console.log(`Password (shown once): ${password}`);
} catch (error) {
	if (error instanceof ValidationError) {
		console.error(`Not created: ${error.problems.map((p) => `${p.field} (${String(p.code)})`).join(', ')}`);
		process.exitCode = 1;
	} else throw error;
} finally {
	await handle.close();
}
