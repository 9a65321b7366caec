import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import twilio from 'twilio';
import { testDatabases } from '../../test/databases.ts';
import { anActor } from '../../test/actors.ts';
import { aReportSpace } from '../../test/factories/dialogue.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { mapReport, mapReportSetup } from '../schema.ts';
import { changeReportStatus } from './commands.ts';
import { receiveSms, senderHash, signedByTwilio, twilioSignature, twiml } from './sms.ts';

// Reports by SMS: Twilio's signature as Twilio's own library makes it, a keyword's message stored
// as a report waiting for review with its number in the answer, a repeat of the same message
// stored once, STATUS answered only to the phone that reported, and the number never stored.

describe('the Twilio signature', () => {
	const token = 'a-twilio-auth-token-for-tests';
	const url = 'https://partnerskap.example.se/sms/twilio';
	const params = {
		MessageSid: 'SM0123456789abcdef',
		From: '+6281234567890',
		Body: 'DENGUE air di selokan, Jetis'
	};

	it('is what Twilio’s own library computes, and a changed parameter or address breaks it', () => {
		const expected = twilio.getExpectedTwilioSignature(token, url, params);
		expect(twilioSignature(token, url, params)).toBe(expected);
		expect(signedByTwilio(token, url, params, expected)).toBe(true);
		expect(twilio.validateRequest(token, twilioSignature(token, url, params), url, params)).toBe(true);
		expect(signedByTwilio(token, url, { ...params, Body: 'DENGUE something else' }, expected)).toBe(false);
		expect(signedByTwilio(token, `${url}?x=1`, params, expected)).toBe(false);
		expect(signedByTwilio('another-token-for-tests-000', url, params, expected)).toBe(false);
		expect(signedByTwilio(token, url, params, '')).toBe(false);
	});

	it('answers in TwiML with the text escaped', () => {
		expect(twiml('Rapport <1> & "2"')).toBe(
			'<?xml version="1.0" encoding="UTF-8"?><Response><Message>Rapport &lt;1&gt; &amp; &quot;2&quot;</Message></Response>'
		);
	});
});

describe.each(testDatabases)('reports by SMS on $name', (database) => {
	let h: DatabaseHandle;
	let space: Awaited<ReturnType<typeof aReportSpace>>;
	const phone = '+62 812-3456-7890';

	beforeAll(async () => {
		h = await database.open();
		// Not reviewed on the web: an SMS is reviewed all the same.
		space = await aReportSpace(h.db, { review: false });
		await h.db
			.update(mapReportSetup)
			.set({ smsKeyword: 'NYAMUK' })
			.where(eq(mapReportSetup.spaceId, space.id));
	});
	afterAll(async () => {
		await h?.close();
	});
	const sms = (Body: string, MessageSid = `SM${crypto.randomUUID().replace(/-/g, '')}`, From = phone) => ({
		MessageSid,
		From,
		Body
	});

	it('stores a keyword’s message as a report waiting for review, once however often Twilio sends it', async () => {
		const message = sms('nyamuk 2 Banyak jentik di bak mandi warga dekat pasar, Kraton');
		const answers = await Promise.all([receiveSms(h.db, message), receiveSms(h.db, message)]);
		const number = /nummer (\d+) \(Avfall\)/.exec(answers[0]!)?.[1];
		expect(number).toBeDefined();
		expect(answers[1]).toBe(answers[0]);
		const rows = await h.db
			.select()
			.from(mapReport)
			.where(eq(mapReport.clientId, `sms-${message.MessageSid}`));
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			id: Number(number),
			public: false,
			status: 'new',
			authorId: null,
			district: 'Kraton',
			precision: 'district',
			lat: null,
			description: 'Banyak jentik di bak mandi warga dekat pasar, Kraton'
		});
		// The number is not stored, only its keyed hash; the same phone written differently hashes alike.
		// (Its whole digits, not a part of them: the random message id may hold any four digits.)
		expect(JSON.stringify(rows[0])).not.toMatch(/812\D?3456\D?7890/);
		expect(rows[0]!.smsSender).toBe(senderHash('+6281234567890'));
	});

	it('answers STATUS with the status and note to the phone that reported, and to no other', async () => {
		const answer = await receiveSms(
			h.db,
			sms('NYAMUK Air menggenang di selokan Jalan Malioboro sejak Senin')
		);
		const number = Number(/nummer (\d+)/.exec(answer)![1]);
		const moderator = await anActor(h.db, 'editor');
		await changeReportStatus(
			h.db,
			moderator,
			space.slug,
			number,
			{ reportStatus: 'in-progress', reportNote: 'Puskesmas Gondomanan kommer på torsdag.' },
			'sv'
		);
		expect(await receiveSms(h.db, sms(`status ${number}`))).toBe(
			`Rapport ${number}: Åtgärdas. Puskesmas Gondomanan kommer på torsdag.`
		);
		expect(await receiveSms(h.db, sms(`STATUS ${number}`, undefined, '+6289999999999'))).toBe(
			`There is no report ${number} from this number.`
		);
	});

	it('explains itself for an unknown keyword or a message too short to be a report, and stores nothing', async () => {
		const before = (await h.db.select().from(mapReport).where(eq(mapReport.spaceId, space.id))).length;
		expect(await receiveSms(h.db, sms('HELLO there'))).toMatch(/^We do not recognise the message/);
		expect(await receiveSms(h.db, sms('NYAMUK kort'))).toBe(
			'Skriv NYAMUK och sedan vad du har sett och var, med minst 10 tecken.'
		);
		expect((await h.db.select().from(mapReport).where(eq(mapReport.spaceId, space.id))).length).toBe(before);
	});
});
