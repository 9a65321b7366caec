import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from './logger.ts';
import { testDatabases } from '../test/databases.ts';
import { sql } from 'drizzle-orm';

/** A logger with the app's options writing into a string, as the app's would to stdout. */
function capture() {
	let out = '';
	const stream = new Writable({
		write(chunk, _encoding, done) {
			out += String(chunk);
			done();
		}
	});
	return { log: pino(loggerOptions('info'), stream), text: () => out };
}

describe('personal data in the log', () => {
	it('an error, its message, its cause and fields such as `to` carry no e-mail address', () => {
		const { log, text } = capture();
		const cause = Object.assign(
			new Error('duplicate key value violates unique constraint "user_email_unique"'),
			{
				code: '23505',
				detail: 'Key (email)=(anna.svensson@kommun.se) already exists.'
			}
		);
		const error = new Error('Could not invite anna.svensson@kommun.se', { cause });
		log.error(
			{ err: error, to: 'anna.svensson@kommun.se', email: 'ANNA@Kommun.SE' },
			'Failed for anna.svensson@kommun.se'
		);
		log.warn({ attempt: { recipients: ['b@c.org'], note: 'sent to b@c.org' } }, 'x');
		log.error(error);
		const lines = text()
			.trim()
			.split('\n')
			.map((l) => JSON.parse(l) as Record<string, any>);
		expect(lines).toHaveLength(3);
		expect(text()).not.toMatch(/[\w.+-]+@[a-z][\w-]*\.[a-z]{2,}/i);
		// What an operator needs is still there.
		expect(lines[0]!.msg).toBe('Failed for [email]');
		expect(lines[0]!.err.message).toBe('Could not invite [email]');
		expect(lines[0]!.err.stack).toContain('logger.test.ts');
		expect(lines[0]!.to).toBe('[redacted]');
		expect(text()).toContain('user_email_unique');
		expect(text()).toContain('Key (email)=([email]) already exists.');
	});

	it('leaves addresses in code paths alone (a package@version is no e-mail address)', () => {
		const { log, text } = capture();
		log.info({ where: 'node_modules/.pnpm/drizzle-orm@0.45.4/node_modules' }, 'ok');
		expect(text()).toContain('drizzle-orm@0.45.4');
	});

	// The real error of each database, as a unique violation on an address raises it.
	for (const database of testDatabases) {
		it(`${database.name}: a unique violation on an address is logged without the address`, async () => {
			const handle = await database.open();
			try {
				// A table of the test's own (the kernel knows no module's tables), gone with the rollback.
				const failure = await handle.db
					.transaction(async (tx) => {
						await tx.execute(
							sql`create temporary table person (email text constraint person_email_unique unique)`
						);
						await tx.execute(sql`insert into person values ('dubbel@example.se')`);
						await tx.execute(sql`insert into person values ('dubbel@example.se')`);
					})
					.then(
						() => undefined,
						(e: unknown) => e
					);
				expect(failure).toBeInstanceOf(Error);
				const { log, text } = capture();
				log.error({ err: failure }, 'A save failed');
				const logged = JSON.parse(text()) as { err: { cause: { code: string; constraint: string } } };
				// What an operator needs to find the fault stays: the code and the constraint.
				expect(logged.err.cause).toMatchObject({ code: '23505', constraint: 'person_email_unique' });
				expect(text()).not.toContain('dubbel@example.se');
				expect(text()).not.toMatch(/[\w.+-]+@[a-z][\w-]*\.[a-z]{2,}/i);
			} finally {
				await handle.close();
			}
		});
	}
});
