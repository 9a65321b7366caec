import { expect, test } from 'vitest';
import twilio from 'twilio';
import { baseUrl } from './browser.ts';
import { twilioAuthToken } from './gateways.ts';

// Issue 11, reports by SMS: requests shaped and signed as Twilio sends them reach the running
// server; a message with the Yogyakarta space's keyword becomes a report waiting for review and
// the TwiML answer gives its number; the same message sent twice is one report; STATUS answers the
// phone that reported; an unsigned or wrongly signed request is refused and stores nothing.

const address = () => `${baseUrl()}/sms/twilio`;

/** Posts an incoming message as Twilio does: the form body and the signature over address and parameters. */
async function incoming(params: Record<string, string>, signature?: string) {
	return fetch(address(), {
		method: 'POST',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			'x-twilio-signature':
				signature ?? twilio.getExpectedTwilioSignature(twilioAuthToken, address(), params),
			'user-agent': 'TwilioProxy/1.1'
		},
		body: new URLSearchParams(params)
	});
}
const message = (Body: string, From = '+6281398765432') => ({
	ToCountry: 'ID',
	SmsMessageSid: 'SM' + crypto.randomUUID().replace(/-/g, ''),
	NumMedia: '0',
	FromCountry: 'ID',
	To: '+6285700000000',
	NumSegments: '1',
	AccountSid: 'AC00000000000000000000000000000000',
	ApiVersion: '2010-04-01',
	MessageSid: 'SM' + crypto.randomUUID().replace(/-/g, ''),
	From,
	Body
});
const reportsPage = async () =>
	(await fetch(`${baseUrl()}/dialogue/yogyakarta-rapportera-vatten-och-myggor/reports.csv`)).text();

test('a signed message with the keyword becomes one report waiting for review, and its number comes back', async () => {
	const sms = message('DENGUE 2 Banyak jentik nyamuk di ember bekas di belakang sekolah, Gondokusuman');
	const first = await incoming(sms);
	expect(first.status).toBe(200);
	expect(first.headers.get('content-type')).toBe('text/xml; charset=utf-8');
	const body = await first.text();
	const number =
		/<Message>Thank you! Your report is number (\d+) \(Mosquito breeding site\)\. It is reviewed before it is shown\. Reply STATUS \1 to hear how it goes\.<\/Message>/.exec(
			body
		)?.[1];
	expect(number, body).toBeDefined();
	// Twilio sends again when it did not get the answer: the same report.
	expect(await (await incoming(sms)).text()).toBe(body);
	// Waiting for review: not in the public file.
	expect(await reportsPage()).not.toContain('ember bekas');

	const status = await incoming(message(`STATUS ${number}`));
	expect(await status.text()).toContain(`<Message>Report ${number}: New.</Message>`);
	const stranger = await incoming(message(`STATUS ${number}`, '+6281200000001'));
	expect(await stranger.text()).toContain(`There is no report ${number} from this number.`);
});

test('a request without Twilio’s signature, or signed with another token, is refused', async () => {
	const sms = message('DENGUE Ember terbuka di gang belakang nomor 403 tanpa tutup');
	expect((await incoming(sms, 'bm90IGEgc2lnbmF0dXJl')).status).toBe(403);
	expect(
		(await incoming(sms, twilio.getExpectedTwilioSignature('another-token-entirely', address(), sms))).status
	).toBe(403);
	expect(await reportsPage()).not.toContain('gang belakang nomor 403');
});
