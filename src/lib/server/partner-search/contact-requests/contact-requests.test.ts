import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { desc, eq, sql } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { startTestMailServer, type TestMailServer } from '../../test/mail-server.ts';
import { anActor, type TestActor } from '../../test/actors.ts';
import {
	aProfile,
	anOrganizationWithStaff,
	employ,
	type StaffedOrganization
} from '../../test/factories/partner-search.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { auditLog } from '../../kernel/schema.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { resetMailTransport } from '../../kernel/mail.ts';
import { user } from '../../accounts/schema.ts';
import { contactRequest } from '../schema.ts';
import { listReported } from '../moderation/queries.ts';
import { contactChoices, findContactRequest } from './queries.ts';
import {
	answerContactRequest,
	ContactLimitError,
	contactsPerOrganization,
	contactsPerUser,
	reportContactRequest,
	sendContactRequest
} from './commands.ts';

const origin = 'http://localhost:3997';
const sv = { origin, locale: 'sv' as const };
const en = { origin, locale: 'en' as const };

/** The domain error's problems as "field:code". */
async function problems(run: Promise<unknown>): Promise<string[]> {
	try {
		await run;
	} catch (e) {
		if (e instanceof ValidationError) return e.problems.map((p) => `${p.field}:${String(p.code)}`);
		throw e;
	}
	throw new Error('expected a ValidationError');
}

const tokenOf = (mail: { links: string[] }) =>
	mail.links
		.find((l) => l.includes('/find-a-partner/answer/'))!
		.split('/')
		.at(-1)!;
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

describe.each(testDatabases)('contact requests on $name', (database) => {
	let h: DatabaseHandle;
	let mail: TestMailServer;
	let horby: StaffedOrganization;
	let peja: StaffedOrganization;
	let ale: StaffedOrganization;
	let ghanzi: StaffedOrganization;
	let skl: StaffedOrganization;
	let museum: StaffedOrganization;
	const profile: Record<string, number> = {};
	const person: Record<string, TestActor> = {};

	/** A person with a name and an address the mails can be checked for. */
	const aPerson = async (key: string, name: string, email: string, locale: 'sv' | 'en' = 'sv') => {
		const p = await anActor(h.db, key === 'editor' ? 'editor' : 'reader', { name, email });
		if (locale !== 'sv') await h.db.update(user).set({ locale }).where(eq(user.id, p.id));
		return (person[key] = p);
	};
	const smtp = (url: string) => {
		process.env.SMTP_URL = url;
		resetMailTransport();
	};

	beforeAll(async () => {
		h = await database.open();
		mail = await startTestMailServer();
		smtp(mail.url);
		const org = (name: Record<string, string>, country = 'SE') =>
			anOrganizationWithStaff(h.db, { name, country, staff: 0 });
		horby = await org({ sv: 'Hörby kommun', en: 'Hörby Municipality' });
		peja = await org({ sv: 'Peja kommun (Pejë)', en: 'Municipality of Peja (Pejë)' }, 'XK');
		ale = await org({ sv: 'Ale kommun', en: 'Ale Municipality' });
		ghanzi = await org({ en: 'Ghanzi District Council' }, 'BW');
		skl = await org({ sv: 'Sveriges Kommuner och Landsting' });
		museum = await org({ sv: 'Kalmar läns museum' });
		await employ(h.db, await aPerson('horby', 'Hanna Hörbysson', 'hanna@horby.example'), horby.id);
		await employ(h.db, await aPerson('peja', 'Petrit Peja', 'petrit@peja.example', 'en'), peja.id);
		await employ(h.db, await aPerson('ale', 'Alva Ale', 'alva@ale.example'), ale.id);
		await employ(h.db, await aPerson('twoOrgs', 'Tove Två', 'tva@example.se'), skl.id);
		await employ(h.db, person.twoOrgs!, museum.id);
		await aPerson('nobody', 'Ingen Alls', 'ingen@example.se');
		await aPerson('editor', 'Redaktör Ps', 'red-ps@example.se');
		const contact = (p: TestActor) => ({ contactName: p.name, contactEmail: p.email, contactUserId: p.id });
		profile.horby = await aProfile(h.db, horby, contact(person.horby!));
		profile.peja = await aProfile(h.db, peja, contact(person.peja!));
		// Ghanzi's contact has no account here: mail to it goes by the country, in English.
		profile.ghanzi = await aProfile(h.db, ghanzi, {
			contactName: 'Kabo Ghanzi',
			contactEmail: 'kabo@ghanzi.example',
			contactUserId: null
		});
	});
	afterAll(async () => {
		resetMailTransport();
		delete process.env.SMTP_URL;
		await mail?.close();
		await h?.close();
	});

	const lastAudit = async (action: string) => {
		const [row] = await h.db
			.select()
			.from(auditLog)
			.where(eq(auditLog.action, action))
			.orderBy(desc(auditLog.id))
			.limit(1);
		return row;
	};

	it('refuses the signed out', async () => {
		await expect(
			sendContactRequest(h.db, null, profile.horby!, { message: 'x'.repeat(30) }, sv)
		).rejects.toThrow(ForbiddenError);
	});

	it('relays a contact request without anyone’s address; answering gives both each other’s', async () => {
		const { peja: petrit, horby: hanna, nobody, twoOrgs } = person;
		expect(await problems(sendContactRequest(h.db, petrit!, profile.horby!, { message: 'Hi' }, sv))).toEqual([
			'message:contactMessageLength'
		]);
		expect(
			await problems(
				sendContactRequest(h.db, hanna!, profile.horby!, { message: 'Till oss själva, vilket inte går.' }, sv)
			)
		).toEqual(['organization:ownProfile']);
		expect(
			await problems(
				sendContactRequest(
					h.db,
					nobody!,
					profile.horby!,
					{ message: 'Jag hör inte till någon organisation.' },
					sv
				)
			)
		).toEqual(['organization:notOrganizationMember']);
		expect(
			await problems(
				sendContactRequest(
					h.db,
					twoOrgs!,
					profile.horby!,
					{ message: 'För vilken av mina organisationer?' },
					sv
				)
			)
		).toEqual(['organization:required']);

		const message = 'Hello Hörby! We would like to learn open budgeting from you.';
		const { id } = await sendContactRequest(h.db, petrit!, profile.horby!, { message }, en);
		// Hanna's account is in Swedish.
		const toHorby = await mail.next('hanna@horby.example');
		expect(toHorby.subject).toBe('Peja kommun (Pejë) vill komma i kontakt med er');
		expect(toHorby.text).toContain('Petrit Peja på Peja kommun (Pejë) (Kosovo)');
		expect(toHorby.text).toContain(message);
		expect(toHorby.text).not.toContain('petrit@peja.example');
		expect(toHorby.text).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
		const link = toHorby.links.find((l) => l.includes('/find-a-partner/answer/'))!;
		expect(link).toMatch(new RegExp(`^${origin}/find-a-partner/answer/[A-Za-z0-9_-]{43}$`));
		const token = tokenOf(toHorby);
		const copy = await mail.next('petrit@peja.example');
		expect(copy.subject).toBe('Your message to Hörby Municipality has been sent');
		expect(copy.text).toContain(message);
		expect(copy.text).not.toContain('hanna@horby.example');

		// Only the token's hash is kept.
		const [stored] = await h.db.select().from(contactRequest).where(eq(contactRequest.id, id));
		expect(stored!.replyTokenHash).toBe(hashOf(token));
		expect(JSON.stringify(stored)).not.toContain(token);
		expect((await lastAudit('partner-contact.send'))?.actorId).toBe(petrit!.id);

		const received = await findContactRequest(h.db, token, 'sv');
		expect(received).toMatchObject({ status: 'sent', senderName: 'Petrit Peja', message, expired: false });
		expect(JSON.stringify(received)).not.toContain('@');
		await expect(findContactRequest(h.db, 'x'.repeat(43), 'sv')).rejects.toThrow(NotFoundError);

		expect(await problems(answerContactRequest(h.db, token, { reply: '' }))).toEqual(['reply:required']);
		await answerContactRequest(h.db, token, { reply: 'Gärna! Hör av dig.' });
		const toHorbyAfter = await mail.next('hanna@horby.example');
		expect(toHorbyAfter.subject).toBe('Du har svarat Peja kommun (Pejë)');
		expect(toHorbyAfter.text).toContain('petrit@peja.example');
		expect(toHorbyAfter.text).toContain('Gärna! Hör av dig.');
		// Petrit's account is in English.
		const toPejaAfter = await mail.next('petrit@peja.example');
		expect(toPejaAfter.subject).toBe('Hörby Municipality has answered you');
		expect(toPejaAfter.text).toContain('hanna@horby.example');
		expect(toPejaAfter.text).toContain('Gärna! Hör av dig.');
		expect((await findContactRequest(h.db, token, 'sv')).status).toBe('answered');
		expect((await lastAudit('partner-contact.answer'))?.subject).toBe(`contact-request:${id}`);
		// The link works once.
		expect(await problems(answerContactRequest(h.db, token, { reply: 'Igen' }))).toEqual([
			'token:requestClosed'
		]);
		expect(await problems(reportContactRequest(h.db, token, { reason: 'Sent' }))).toEqual([
			'token:requestClosed'
		]);
	});

	it('writes to a contact in their account’s language, else by the organization’s country', async () => {
		// Göteborg is Swedish, but its contact reads English: the mail (and its link) are in English.
		const goteborg = await anOrganizationWithStaff(h.db, {
			name: { sv: 'Göteborgs stad', en: 'City of Gothenburg' }
		});
		const reader = await aPerson('goteborg', 'Gabriel Göteborg', 'gabriel@goteborg.example', 'en');
		await employ(h.db, reader, goteborg.id);
		const goteborgProfile = await aProfile(h.db, goteborg, {
			contactName: reader.name,
			contactEmail: reader.email,
			contactUserId: reader.id
		});
		await sendContactRequest(
			h.db,
			person.ale!,
			goteborgProfile,
			{ message: 'Hej Göteborg! Vi vill gärna samarbeta om dialog.' },
			sv
		);
		const toGoteborg = await mail.next('gabriel@goteborg.example');
		expect(toGoteborg.subject).toBe('Ale Municipality would like to get in touch');
		expect(tokenOf(toGoteborg)).toBeTruthy();
		expect(toGoteborg.links[0]).toContain('/en/find-a-partner/answer/');
		await mail.next('alva@ale.example');

		// Without an account: Ghanzi (Botswana) in English …
		await sendContactRequest(
			h.db,
			person.ale!,
			profile.ghanzi!,
			{ message: 'Hej Ghanzi! Vi vill gärna samarbeta om dialog.' },
			sv
		);
		const toGhanzi = await mail.next('kabo@ghanzi.example');
		expect(toGhanzi.subject).toBe('Ale Municipality would like to get in touch');
		const ghanziToken = tokenOf(toGhanzi);
		await mail.next('alva@ale.example');
		// … and Alva's account is in Swedish: the answer reaches her in Swedish, Ghanzi in English.
		await answerContactRequest(h.db, ghanziToken, { reply: 'Welcome! Write to us.' });
		expect((await mail.next('kabo@ghanzi.example')).subject).toBe('You have answered Ale Municipality');
		expect((await mail.next('alva@ale.example')).subject).toBe('Ghanzi District Council har svarat dig');
	});

	it('sends mail only after the change is saved, and takes the change back when its mail cannot go', async () => {
		const writer = await aPerson('writer', 'Wilma Skrivare', 'wilma@ale.example');
		await employ(h.db, writer, ale.id);
		const count = async () =>
			(await h.db.select({ n: sql<number>`count(*)::int` }).from(contactRequest))[0]!.n;
		const before = await count();
		smtp('smtp://127.0.0.1:1');
		try {
			await expect(
				sendContactRequest(
					h.db,
					writer,
					profile.horby!,
					{ message: 'Ett meddelande som inte kommer fram.' },
					sv
				)
			).rejects.toThrow();
		} finally {
			smtp(mail.url);
		}
		// No request is left waiting for an answer that nobody can give.
		expect(await count()).toBe(before);
		expect((await lastAudit('partner-contact.undelivered'))?.actorId).toBeNull();

		await sendContactRequest(
			h.db,
			writer,
			profile.horby!,
			{ message: 'Ett meddelande som kommer fram.' },
			sv
		);
		const token = tokenOf(await mail.next('hanna@horby.example'));
		await mail.next('wilma@ale.example');
		smtp('smtp://127.0.0.1:1');
		try {
			await expect(
				answerContactRequest(h.db, token, { reply: 'Svar som inte kommer fram.' })
			).rejects.toThrow();
		} finally {
			smtp(mail.url);
		}
		// Nobody got the other's address: the link works again, and the answer can go once more.
		expect((await findContactRequest(h.db, token, 'sv')).status).toBe('sent');
		await answerContactRequest(h.db, token, { reply: 'Svar som kommer fram.' });
		expect((await mail.next('wilma@ale.example')).text).toContain('Svar som kommer fram.');
		await mail.next('hanna@horby.example');
		expect((await findContactRequest(h.db, token, 'sv')).status).toBe('answered');
	});

	it('never fails with anything but a domain error, whatever the forms send', async () => {
		const text = fc.oneof(
			fc.string({ maxLength: 80, unit: 'binary' }),
			fc.constantFrom('\u0000', '\ud800', 'x'.repeat(30))
		);
		const field = fc.oneof(text, fc.array(text, { maxLength: 5 }), fc.anything());
		const form = fc.record(
			{ reply: field, reason: field, message: field, organization: field },
			{ requiredKeys: [] }
		);
		const known = [ValidationError, NotFoundError, ForbiddenError];
		await fc.assert(
			fc.asyncProperty(form, fc.string({ minLength: 43, maxLength: 43 }), async (raw, token) => {
				for (const run of [
					() => answerContactRequest(h.db, token, raw),
					() => reportContactRequest(h.db, token, raw),
					() => sendContactRequest(h.db, person.nobody!, profile.horby!, raw, sv)
				]) {
					try {
						await run();
					} catch (e) {
						expect(
							known.some((k) => e instanceof k),
							String(e)
						).toBe(true);
					}
				}
			}),
			{ numRuns: 60 }
		);
	});

	it('tells each visitor how they may write to a profile', async () => {
		expect(await contactChoices(h.db, null, 'sv', profile.horby!)).toMatchObject({ mode: 'signIn' });
		expect(await contactChoices(h.db, person.nobody!, 'sv', profile.horby!)).toMatchObject({
			mode: 'notMember'
		});
		expect(await contactChoices(h.db, person.horby!, 'sv', profile.horby!)).toMatchObject({
			mode: 'own',
			ownsProfile: true
		});
		const two = await contactChoices(h.db, person.twoOrgs!, 'sv', profile.horby!);
		expect(two.mode).toBe('write');
		expect(two.organizations.map((o) => o.id)).toEqual([museum.id, skl.id]);
	});

	it('lets the recipient report a request to the editors instead', async () => {
		const message = 'Buy our consulting services today, best prices!';
		await sendContactRequest(h.db, person.ale!, profile.horby!, { message }, sv);
		const token = tokenOf(await mail.next('hanna@horby.example'));
		await mail.next('alva@ale.example');
		expect(await problems(reportContactRequest(h.db, token, { reason: '' }))).toEqual(['reason:required']);
		await reportContactRequest(h.db, token, { reason: 'Reklam' });
		expect((await findContactRequest(h.db, token, 'sv')).status).toBe('reported');
		const reported = await listReported(h.db, person.editor!, 'sv');
		expect(reported[0]).toMatchObject({
			reason: 'Reklam',
			message,
			sender: { name: 'Alva Ale', email: 'alva@ale.example' },
			fromOrganization: 'Ale kommun',
			toOrganization: 'Hörby kommun'
		});
		expect((await lastAudit('partner-contact.report'))?.after).toMatchObject({ reason: 'Reklam' });
		// An old link no longer works.
		await sendContactRequest(
			h.db,
			person.ale!,
			profile.horby!,
			{ message: 'Ett till meddelande från Ale kommun.' },
			sv
		);
		const old = tokenOf(await mail.next('hanna@horby.example'));
		await mail.next('alva@ale.example');
		await h.db
			.update(contactRequest)
			.set({ createdAt: sql`now() - interval '91 days'` })
			.where(eq(contactRequest.replyTokenHash, hashOf(old)));
		expect((await findContactRequest(h.db, old, 'sv')).expired).toBe(true);
		expect(await problems(answerContactRequest(h.db, old, { reply: 'Sent svar' }))).toEqual([
			'token:requestClosed'
		]);
	});

	it('limits contact requests per person and per organization in a day', async () => {
		// Alva has sent four already.
		for (let i = 4; i < contactsPerUser; i++) {
			await sendContactRequest(
				h.db,
				person.ale!,
				profile.ghanzi!,
				{ message: `Meddelande nummer ${i} från Ale kommun.` },
				sv
			);
		}
		await expect(
			sendContactRequest(
				h.db,
				person.ale!,
				profile.ghanzi!,
				{ message: 'Ett meddelande för mycket från Ale.' },
				sv
			)
		).rejects.toSatisfy((e) => e instanceof ContactLimitError && e.retryAfterSeconds > 23 * 3600);

		// Twenty from one organization, whoever writes, then no more.
		const staff = await Promise.all(
			Array.from({ length: 5 }, async () => {
				const p = await anActor(h.db, 'reader');
				await employ(h.db, p, skl.id);
				return p;
			})
		);
		let sent = 0;
		for (const actor of staff) {
			for (let i = 0; i < 4 && sent < contactsPerOrganization; i++, sent++) {
				await sendContactRequest(
					h.db,
					actor,
					profile.ghanzi!,
					{ message: `Hej från SKL, meddelande ${sent}.` },
					sv
				);
			}
		}
		const [{ n } = { n: 0 }] = await h.db
			.select({ n: sql<number>`count(*)::int` })
			.from(contactRequest)
			.where(eq(contactRequest.fromOrganizationId, skl.id));
		expect(n).toBe(contactsPerOrganization);
		await expect(
			sendContactRequest(
				h.db,
				person.twoOrgs!,
				profile.ghanzi!,
				{ message: 'Från SKL, som har nått sin gräns.', organization: String(skl.id) },
				sv
			)
		).rejects.toThrow(ContactLimitError);
		// The same person may still write for their other organization.
		await sendContactRequest(
			h.db,
			person.twoOrgs!,
			profile.ghanzi!,
			{ message: 'Från Kalmar läns museum, som inte har nått någon gräns.', organization: String(museum.id) },
			sv
		);
	});

	it('writes to listed profiles only', async () => {
		await expect(
			sendContactRequest(h.db, person.peja!, 999_999, { message: 'Till en profil som inte finns.' }, sv)
		).rejects.toThrow(NotFoundError);
	});
});
