import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { startTestMailServer, type TestMailServer } from '../test/mail-server.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { auditLog } from '../kernel/schema.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { resetMailTransport } from '../kernel/mail.ts';
import { user } from '../accounts/schema.ts';
import { organization, organizationMember } from '../organizations/schema.ts';
import { partnership, partnershipMember, partnershipTheme } from '../partnerships/schema.ts';
import { contactRequest, partnerProfile } from './schema.ts';
import {
	answerContactRequest,
	contactChoices,
	ContactLimitError,
	contactsPerOrganization,
	contactsPerUser,
	findContactRequest,
	getProfile,
	hideProfile,
	listProfiles,
	listProfilesForModeration,
	listReported,
	ownProfiles,
	renewProfile,
	reportContactRequest,
	saveProfile,
	seedDemoProfiles,
	sendContactRequest,
	showProfile,
	suggestedMatches
} from './service.ts';

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

const profileForm = (over: Record<string, unknown> = {}) => ({
	themes: ['participation', 'transparency'],
	goals: ['16'],
	targets: '16.7, 16.6',
	regions: ['europe', 'XK'],
	languages: ['sv', 'en', 'sq'],
	offerSv: 'Vi har lång erfarenhet av medborgardialog och öppna nämndmöten.',
	offerEn: 'We have long experience of citizen dialogue and open council meetings.',
	seekSv: 'En kommun på Balkan som vill arbeta med insyn.',
	seekEn: '',
	contactName: 'Hanna Hörbysson',
	contactEmail: 'hanna@horby.example',
	...over
});

describe.each(testDatabases)('find a partner on $name', (database) => {
	let h: DatabaseHandle;
	let mail: TestMailServer;
	const org: Record<string, number> = {};
	const people = {
		horby: { id: 'ps-horby', role: 'reader' as const },
		peja: { id: 'ps-peja', role: 'reader' as const },
		ale: { id: 'ps-ale', role: 'reader' as const },
		twoOrgs: { id: 'ps-two', role: 'author' as const },
		nobody: { id: 'ps-none', role: 'reader' as const },
		editor: { id: 'ps-editor', role: 'editor' as const }
	};
	const emails: Record<keyof typeof people, string> = {
		horby: 'hanna@horby.example',
		peja: 'petrit@peja.example',
		ale: 'alva@ale.example',
		twoOrgs: 'tva@example.se',
		nobody: 'ingen@example.se',
		editor: 'red-ps@example.se'
	};
	const names: Record<keyof typeof people, string> = {
		horby: 'Hanna Hörbysson',
		peja: 'Petrit Peja',
		ale: 'Alva Ale',
		twoOrgs: 'Tove Två',
		nobody: 'Ingen Alls',
		editor: 'Redaktör Ps'
	};

	beforeAll(async () => {
		h = await database.open();
		mail = await startTestMailServer();
		process.env.SMTP_URL = mail.url;
		resetMailTransport();
		for (const key of Object.keys(people) as (keyof typeof people)[]) {
			await h.db.insert(user).values({
				id: people[key].id,
				name: names[key],
				email: emails[key],
				emailVerified: true,
				role: people[key].role,
				locale: key === 'peja' ? 'en' : 'sv'
			});
		}
		for (const o of await h.db.select({ id: organization.id, slug: organization.slug }).from(organization))
			org[o.slug] = o.id;
		const member = (key: keyof typeof people, slug: string) =>
			h.db.insert(organizationMember).values({ userId: people[key].id, organizationId: org[slug]! });
		await member('horby', 'horby-kommun');
		await member('peja', 'peja-municipality');
		await member('ale', 'ale-kommun');
		await member('twoOrgs', 'skl');
		await member('twoOrgs', 'kalmar-lans-museum');
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
	const list = (query = '', locale: 'sv' | 'en' = 'sv') =>
		listProfiles(h.db, locale, new URLSearchParams(query));
	const listed = async (query = '') => (await list(query)).items.map((p) => p.organization.slug);

	it('loads the example profiles once (the demo loaded them with the database)', async () => {
		expect(await seedDemoProfiles(h.db)).toBe(false);
		expect((await listed()).sort()).toEqual(['ale-kommun', 'exempelkommun', 'ghanzi-district-council']);
		const [example] = await h.db.select().from(organization).where(eq(organization.slug, 'exempelkommun'));
		expect(example?.name.sv).toContain('exempel');
	});

	it('refuses the signed out, people outside the organization, and non-editors moderating', async () => {
		await expect(saveProfile(h.db, null, org['horby-kommun']!, profileForm())).rejects.toMatchObject({
			signInRequired: true
		});
		await expect(sendContactRequest(h.db, null, 1, { message: 'x'.repeat(30) }, sv)).rejects.toThrow(
			ForbiddenError
		);
		expect(await problems(saveProfile(h.db, people.peja, org['horby-kommun']!, profileForm()))).toEqual([
			'organization:notOrganizationMember'
		]);
		expect(await problems(renewProfile(h.db, people.nobody, org['ale-kommun']!))).toEqual([
			'organization:notOrganizationMember'
		]);
		for (const actor of [people.horby, people.twoOrgs, null]) {
			await expect(listProfilesForModeration(h.db, actor, 'sv')).rejects.toThrow(ForbiddenError);
			await expect(listReported(h.db, actor, 'sv')).rejects.toThrow(ForbiddenError);
			await expect(hideProfile(h.db, actor, { profile: '1', note: '' })).rejects.toThrow(ForbiddenError);
		}
	});

	it('lets staff post their profile: audited, valid for 12 months, the address never listed', async () => {
		expect(
			await problems(
				saveProfile(h.db, people.horby, org['horby-kommun']!, profileForm({ themes: ['sport'] }))
			)
		).toEqual(['themes:invalidTheme']);
		const { id, created } = await saveProfile(h.db, people.horby, org['horby-kommun']!, profileForm());
		expect(created).toBe(true);
		const [row] = await h.db.select().from(partnerProfile).where(eq(partnerProfile.id, id));
		const months = (row!.expiresAt.getTime() - Date.now()) / (30.44 * 86_400_000);
		expect(months).toBeGreaterThan(11.9);
		expect(months).toBeLessThan(12.1);
		// The contact address is a member's account.
		expect(row!.contactUserId).toBe(people.horby.id);
		const created_ = await lastAudit('partner-profile.create');
		expect(created_?.actorId).toBe(people.horby.id);
		expect(created_?.subject).toBe(`partner-profile:${id}`);
		expect(JSON.stringify(created_?.after)).not.toContain('hanna@horby.example');

		const listing = await list();
		expect(listing.items.map((p) => p.organization.slug)).toContain('horby-kommun');
		expect(JSON.stringify(listing)).not.toContain('@');
		const one = await getProfile(h.db, 'en', id);
		expect(one.organization.name).toBe('Hörby Municipality');
		expect(one.offer).toEqual({
			text: 'We have long experience of citizen dialogue and open council meetings.',
			lang: 'en'
		});
		expect(one.seek).toEqual({ text: 'En kommun på Balkan som vill arbeta med insyn.', lang: 'sv' });
		expect(one.regions.map((r) => r.name)).toEqual(['Europe', 'Kosovo']);
		expect(JSON.stringify(one)).not.toContain('@');

		// Saving again updates the same profile.
		const again = await saveProfile(
			h.db,
			people.horby,
			org['horby-kommun']!,
			profileForm({ seekEn: 'A municipality in the Balkans.' })
		);
		expect(again).toEqual({ id, created: false });
		const own = await ownProfiles(h.db, people.horby, 'sv');
		expect(own.chosen?.slug).toBe('horby-kommun');
		expect(own.profile?.values.seekEn).toBe('A municipality in the Balkans.');
		expect(own.profile?.values.contactEmail).toBe('hanna@horby.example');
		await expect(ownProfiles(h.db, people.horby, 'sv', org['ale-kommun'])).rejects.toThrow(NotFoundError);
		expect(await ownProfiles(h.db, people.nobody, 'sv')).toEqual({
			memberships: [],
			chosen: null,
			profile: null
		});
	});

	it('filters the listing by theme, goal, target, place, language and text', async () => {
		await saveProfile(
			h.db,
			people.peja,
			org['peja-municipality']!,
			profileForm({
				themes: ['participation', 'transparency'],
				goals: [],
				targets: '16.7, 16.6',
				regions: ['SE'],
				languages: ['sq', 'en'],
				offerSv: '',
				offerEn: 'Youth councils in every district of Peja.',
				seekSv: '',
				seekEn: 'A Swedish municipality to learn open budgeting with.',
				contactName: 'Petrit Peja',
				contactEmail: 'petrit@peja.example'
			})
		);
		expect((await listed('theme=accountability')).sort()).toEqual(['ghanzi-district-council']);
		expect((await listed('sdg=11')).sort()).toEqual(['ale-kommun']);
		expect((await listed('sdg=16.6')).sort()).toEqual(['horby-kommun', 'peja-municipality']);
		expect((await listed('sdg=10')).sort()).toEqual(['exempelkommun']);
		expect((await listed('location=XK')).sort()).toEqual(['peja-municipality']);
		expect((await listed('location=africa')).sort()).toEqual(['ghanzi-district-council']);
		// Looking in Sweden: those who name Sweden, or Europe, which holds it.
		expect((await listed('region=SE')).sort()).toEqual([
			'ghanzi-district-council',
			'horby-kommun',
			'peja-municipality'
		]);
		expect((await listed('region=africa')).sort()).toEqual(['ale-kommun']);
		expect((await listed('region=europe')).sort()).toEqual([
			'ghanzi-district-council',
			'horby-kommun',
			'peja-municipality'
		]);
		expect((await listed('language=sq')).sort()).toEqual(['horby-kommun', 'peja-municipality']);
		expect(await listed('q=youth councils')).toEqual(['peja-municipality']);
		expect(await listed('q=50%25')).toEqual([]);
		expect(await listed('q=hanna@horby')).toEqual([]);
		expect((await list('page=2')).items).toEqual([]);
		expect(await problems(list('theme=sport'))).toEqual(['theme:invalidTheme']);
		expect(await problems(list('sdg=16.999'))).toEqual(['sdg:invalidSdg']);
		expect(await problems(list('sdg=16.z'))).toEqual(['sdg:unknownTarget']);
	});

	it('suggests the best fit first, each with its reasons in words', async () => {
		const [forPeja] = await suggestedMatches(h.db, people.peja, 'sv');
		expect(forPeja?.organization.slug).toBe('peja-municipality');
		expect(forPeja?.basis).toBe('profile');
		const first = forPeja!.matches[0]!;
		expect(first.profile.organization.slug).toBe('horby-kommun');
		expect(first.reasons).toEqual([
			'Båda arbetar med deltagande, transparens, delmål 16.7 och delmål 16.6',
			'Hörby kommun söker partner i Kosovo',
			'Ni söker partner i Sverige, där Hörby kommun finns',
			'Ni har engelska och albanska gemensamt'
		]);
		expect(forPeja!.matches.map((m) => m.profile.organization.slug)).not.toContain('peja-municipality');
		const scores = forPeja!.matches.map((m) => m.score);
		expect([...scores].sort((a, b) => b - a)).toEqual(scores);

		const [inEnglish] = await suggestedMatches(h.db, people.peja, 'en');
		expect(inEnglish!.matches[0]!.reasons).toEqual([
			'Both work on participation, transparency, target 16.7 and target 16.6',
			'Hörby Municipality is looking for partners in Kosovo',
			'You are looking for partners in Sweden, where Hörby Municipality is',
			'You both work in English and Albanian'
		]);

		// Ale looks in Africa: Ghanzi is there, and looks in Sweden.
		const [forAle] = await suggestedMatches(h.db, people.ale, 'sv');
		const ghanzi = forAle!.matches.find((m) => m.profile.organization.slug === 'ghanzi-district-council');
		expect(ghanzi?.reasons).toContain('Ghanzi District Council söker partner i Sverige');
		expect(ghanzi?.reasons).toContain('Ni söker partner i Afrika, där Ghanzi District Council finns');
		expect(ghanzi?.reasons[0]).toBe('Båda arbetar med deltagande och delmål 16.7');

		expect(await suggestedMatches(h.db, null, 'sv')).toEqual([]);
		expect(await suggestedMatches(h.db, people.nobody, 'sv')).toEqual([]);
		const [forMuseum] = (await suggestedMatches(h.db, people.twoOrgs, 'sv')).filter(
			(s) => s.organization.slug === 'kalmar-lans-museum'
		);
		expect(forMuseum).toMatchObject({ basis: 'none', matches: [] });
	});

	it('without a profile, suggests from what the organization’s partnerships work on', async () => {
		const [o] = await h.db
			.insert(organization)
			.values({
				slug: 'ps-kommun',
				kind: 'municipality',
				name: { sv: 'Ps kommun', en: 'Ps Municipality' },
				country: 'SE'
			})
			.returning({ id: organization.id });
		const [p] = await h.db
			.insert(partnership)
			.values({ slug: 'ps-partnerskap', status: 'active', summary: {} })
			.returning({ id: partnership.id });
		await h.db
			.insert(partnershipMember)
			.values({ partnershipId: p!.id, organizationId: o!.id, role: 'swedish' });
		await h.db.insert(partnershipTheme).values({ partnershipId: p!.id, themeKey: 'accountability' });
		await h.db.insert(organizationMember).values({ userId: people.nobody.id, organizationId: o!.id });
		const [forPs] = await suggestedMatches(h.db, people.nobody, 'sv');
		expect(forPs?.basis).toBe('partnerships');
		expect(forPs?.matches[0]?.profile.organization.slug).toBe('ghanzi-district-council');
		expect(forPs?.matches[0]?.reasons).toContain('Ghanzi District Council söker partner i Sverige');
		await h.db.delete(organizationMember).where(eq(organizationMember.userId, people.nobody.id));
	});

	it('relays a contact request without anyone’s address; answering gives both each other’s', async () => {
		const horby = (await ownProfiles(h.db, people.horby, 'sv')).profile!;
		expect(await problems(sendContactRequest(h.db, people.peja, horby.id, { message: 'Hi' }, sv))).toEqual([
			'message:contactMessageLength'
		]);
		expect(
			await problems(
				sendContactRequest(h.db, people.horby, horby.id, { message: 'Till oss själva, vilket inte går.' }, sv)
			)
		).toEqual(['organization:ownProfile']);
		expect(
			await problems(
				sendContactRequest(
					h.db,
					people.nobody,
					horby.id,
					{ message: 'Jag hör inte till någon organisation.' },
					sv
				)
			)
		).toEqual(['organization:notOrganizationMember']);
		expect(
			await problems(
				sendContactRequest(
					h.db,
					people.twoOrgs,
					horby.id,
					{ message: 'För vilken av mina organisationer?' },
					sv
				)
			)
		).toEqual(['organization:required']);

		const message = 'Hello Hörby! We would like to learn open budgeting from you.';
		const { id } = await sendContactRequest(h.db, people.peja, horby.id, { message }, en);
		const toHorby = await mail.next('hanna@horby.example');
		expect(toHorby.subject).toBe('Peja kommun (Pejë) vill komma i kontakt med er');
		expect(toHorby.text).toContain('Petrit Peja på Peja kommun (Pejë) (Kosovo)');
		expect(toHorby.text).toContain(message);
		expect(toHorby.text).not.toContain('petrit@peja.example');
		expect(toHorby.text).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
		const link = toHorby.links.find((l) => l.includes('/find-a-partner/answer/'))!;
		expect(link).toMatch(new RegExp(`^${origin}/find-a-partner/answer/[A-Za-z0-9_-]{43}$`));
		const token = link.split('/').at(-1)!;
		const copy = await mail.next('petrit@peja.example');
		expect(copy.subject).toBe('Your message to Hörby Municipality has been sent');
		expect(copy.text).toContain(message);
		expect(copy.text).not.toContain('hanna@horby.example');

		// Only the token's hash is kept.
		const [stored] = await h.db.select().from(contactRequest).where(eq(contactRequest.id, id));
		expect(stored!.replyTokenHash).toBe(createHash('sha256').update(token).digest('hex'));
		expect(JSON.stringify(stored)).not.toContain(token);
		expect((await lastAudit('partner-contact.send'))?.actorId).toBe(people.peja.id);

		const received = await findContactRequest(h.db, token, 'sv');
		expect(received).toMatchObject({ status: 'sent', senderName: 'Petrit Peja', message, expired: false });
		expect(JSON.stringify(received)).not.toContain('@');
		await expect(findContactRequest(h.db, 'x'.repeat(43), 'sv')).rejects.toThrow(NotFoundError);

		expect(await problems(answerContactRequest(h.db, token, { reply: '' }))).toEqual(['reply:required']);
		await answerContactRequest(h.db, token, { reply: 'Gärna! Hör av dig.' });
		const toHorbyAfter = await mail.next('hanna@horby.example');
		expect(toHorbyAfter.text).toContain('petrit@peja.example');
		expect(toHorbyAfter.text).toContain('Gärna! Hör av dig.');
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

	it('never fails with anything but a domain error, whatever the forms send', async () => {
		const text = fc.oneof(
			fc.string({ maxLength: 80, unit: 'binary' }),
			fc.constantFrom('\u0000', '\ud800', 'participation', '16.7', 'SE', 'sv', 'a@b.se')
		);
		const field = fc.oneof(text, fc.array(text, { maxLength: 5 }), fc.anything());
		const form = fc.record(
			{
				themes: field,
				goals: field,
				targets: field,
				regions: field,
				languages: field,
				offerSv: field,
				seekEn: field,
				contactName: field,
				contactEmail: field,
				message: field,
				reply: field,
				reason: field,
				organization: field
			},
			{ requiredKeys: [] }
		);
		const known = [ValidationError, NotFoundError, ForbiddenError];
		await fc.assert(
			fc.asyncProperty(form, fc.string({ minLength: 43, maxLength: 43 }), async (raw, token) => {
				for (const run of [
					() => saveProfile(h.db, people.twoOrgs, org['skl']!, raw),
					() => answerContactRequest(h.db, token, raw),
					() => reportContactRequest(h.db, token, raw)
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
		// Whatever was saved along the way is a well-formed profile; remove it again.
		await h.db.delete(partnerProfile).where(eq(partnerProfile.organizationId, org['skl']!));
	});

	it('tells each visitor how they may write to a profile', async () => {
		const horby = (await ownProfiles(h.db, people.horby, 'sv')).profile!;
		expect(await contactChoices(h.db, null, 'sv', horby.id)).toMatchObject({ mode: 'signIn' });
		expect(await contactChoices(h.db, people.nobody, 'sv', horby.id)).toMatchObject({ mode: 'notMember' });
		expect(await contactChoices(h.db, people.horby, 'sv', horby.id)).toMatchObject({
			mode: 'own',
			ownsProfile: true
		});
		const two = await contactChoices(h.db, people.twoOrgs, 'sv', horby.id);
		expect(two.mode).toBe('write');
		expect(two.organizations.map((o) => o.slug)).toEqual(['kalmar-lans-museum', 'skl']);
	});

	it('lets the recipient report a request to the editors instead', async () => {
		const horby = (await ownProfiles(h.db, people.horby, 'sv')).profile!;
		const message = 'Buy our consulting services today, best prices!';
		await sendContactRequest(h.db, people.ale, horby.id, { message }, sv);
		const token = (await mail.next('hanna@horby.example')).links
			.find((l) => l.includes('/answer/'))!
			.split('/')
			.at(-1)!;
		await mail.next('alva@ale.example');
		expect(await problems(reportContactRequest(h.db, token, { reason: '' }))).toEqual(['reason:required']);
		await reportContactRequest(h.db, token, { reason: 'Reklam' });
		expect((await findContactRequest(h.db, token, 'sv')).status).toBe('reported');
		const reported = await listReported(h.db, people.editor, 'sv');
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
			people.ale,
			horby.id,
			{ message: 'Ett till meddelande från Ale kommun.' },
			sv
		);
		const old = (await mail.next('hanna@horby.example')).links
			.find((l) => l.includes('/answer/'))!
			.split('/')
			.at(-1)!;
		await mail.next('alva@ale.example');
		await h.db.execute(
			sql`update contact_request set created_at = now() - interval '91 days' where reply_token_hash = ${createHash('sha256').update(old).digest('hex')}`
		);
		expect((await findContactRequest(h.db, old, 'sv')).expired).toBe(true);
		expect(await problems(answerContactRequest(h.db, old, { reply: 'Sent svar' }))).toEqual([
			'token:requestClosed'
		]);
	});

	it('limits contact requests per person and per organization in a day', async () => {
		const ghanzi = (await list('location=BW')).items[0]!.id;
		// Ale's member has sent two already.
		for (let i = 2; i < contactsPerUser; i++) {
			await sendContactRequest(
				h.db,
				people.ale,
				ghanzi,
				{ message: `Meddelande nummer ${i} från Ale kommun.` },
				sv
			);
		}
		await expect(
			sendContactRequest(h.db, people.ale, ghanzi, { message: 'Ett meddelande för mycket från Ale.' }, sv)
		).rejects.toSatisfy((e) => e instanceof ContactLimitError && e.retryAfterSeconds > 23 * 3600);

		// Twenty from one organization, whoever writes, then no more.
		const staff = await Promise.all(
			Array.from({ length: 5 }, async (_, i) => {
				const id = `ps-skl-${i}`;
				await h.db
					.insert(user)
					.values({ id, name: `SKL ${i}`, email: `skl${i}@example.se`, emailVerified: true, role: 'reader' });
				await h.db.insert(organizationMember).values({ userId: id, organizationId: org['skl']! });
				return { id, role: 'reader' as const };
			})
		);
		let sent = 0;
		for (const actor of staff) {
			for (let i = 0; i < 4 && sent < contactsPerOrganization; i++, sent++) {
				await sendContactRequest(h.db, actor, ghanzi, { message: `Hej från SKL, meddelande ${sent}.` }, sv);
			}
		}
		const [{ n } = { n: 0 }] = await h.db
			.select({ n: sql<number>`count(*)::int` })
			.from(contactRequest)
			.where(eq(contactRequest.fromOrganizationId, org['skl']!));
		expect(n).toBe(contactsPerOrganization);
		await expect(
			sendContactRequest(
				h.db,
				people.twoOrgs,
				ghanzi,
				{ message: 'Från SKL, som har nått sin gräns.', organization: String(org['skl']) },
				sv
			)
		).rejects.toThrow(ContactLimitError);
		// The same person may still write for their other organization.
		await sendContactRequest(
			h.db,
			people.twoOrgs,
			ghanzi,
			{
				message: 'Från Kalmar läns museum, som inte har nått någon gräns.',
				organization: String(org['kalmar-lans-museum'])
			},
			sv
		);
	});

	it('lets editors hide and show a profile, with a note, audited', async () => {
		const ale = (await list('location=SE&region=africa')).items[0]!;
		expect(ale.organization.slug).toBe('ale-kommun');
		expect(
			await problems(hideProfile(h.db, people.editor, { profile: String(ale.id), note: 'x'.repeat(501) }))
		).toEqual(['note:tooLong']);
		await hideProfile(h.db, people.editor, {
			profile: String(ale.id),
			note: 'Kontaktuppgifterna stämmer inte.'
		});
		expect(await listed()).not.toContain('ale-kommun');
		await expect(getProfile(h.db, 'sv', ale.id)).rejects.toThrow(NotFoundError);
		const hidden = await lastAudit('partner-profile.hide');
		expect(hidden).toMatchObject({ actorId: people.editor.id, subject: `partner-profile:${ale.id}` });
		expect(hidden?.before).toMatchObject({ status: 'active' });
		// The organization sees the note; saving keeps the profile hidden.
		const own = await ownProfiles(h.db, people.ale, 'sv');
		expect(own.profile).toMatchObject({
			status: 'hidden',
			moderationNote: 'Kontaktuppgifterna stämmer inte.'
		});
		await saveProfile(h.db, people.ale, org['ale-kommun']!, {
			...own.profile!.values,
			contactEmail: 'alva@ale.example'
		});
		expect(await listed()).not.toContain('ale-kommun');
		const moderated = await listProfilesForModeration(h.db, people.editor, 'sv');
		expect(moderated.find((p) => p.id === ale.id)).toMatchObject({
			status: 'hidden',
			contactEmail: 'alva@ale.example'
		});
		await showProfile(h.db, people.editor, { profile: String(ale.id), note: '' });
		expect(await listed()).toContain('ale-kommun');
		expect((await lastAudit('partner-profile.show'))?.after).toEqual({
			status: 'active',
			moderationNote: null
		});
		await expect(
			sendContactRequest(h.db, people.peja, 999999, { message: 'Till en profil som inte finns.' }, sv)
		).rejects.toThrow(NotFoundError);
	});

	it('drops expired profiles from the listing until they are renewed', async () => {
		const peja = (await ownProfiles(h.db, people.peja, 'sv')).profile!;
		await h.db
			.update(partnerProfile)
			.set({ expiresAt: new Date(Date.now() - 1000) })
			.where(eq(partnerProfile.id, peja.id));
		expect(await listed()).not.toContain('peja-municipality');
		await expect(getProfile(h.db, 'sv', peja.id)).rejects.toThrow(NotFoundError);
		expect((await ownProfiles(h.db, people.peja, 'sv')).profile?.expired).toBe(true);
		await expect(
			sendContactRequest(h.db, people.horby, peja.id, { message: 'Till en profil som har gått ut.' }, sv)
		).rejects.toThrow(NotFoundError);
		const { expiresAt } = await renewProfile(h.db, people.peja, org['peja-municipality']!);
		expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now() + 360 * 86_400_000);
		expect(await listed()).toContain('peja-municipality');
		const renewed = await lastAudit('partner-profile.renew');
		expect(renewed?.actorId).toBe(people.peja.id);
		await expect(renewProfile(h.db, people.twoOrgs, org['skl']!)).rejects.toThrow(NotFoundError);
		const [none] = await h.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, 'partner-profile.renew'), eq(auditLog.actorId, people.twoOrgs.id)));
		expect(none).toBeUndefined();
	});
});
