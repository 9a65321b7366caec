import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { config } from '#lib/server/kernel/config.ts';
import { requestForm } from '#lib/server/kernel/input.ts';
import { logger } from '#lib/server/kernel/logger.ts';
import { incomingShape, receiveSms, signedByTwilio, twiml } from '#lib/server/dialogue/map-reports/sms.ts';

/**
 * POST /sms/twilio: Twilio's webhook for incoming SMS (decision 21). Only requests signed with the
 * configured auth token over the public address are read; the answer is TwiML, sent back to the phone.
 */
export const POST: RequestHandler = async ({ request, url }) => {
	const token = config().sms.twilioAuthToken;
	if (!token) error(404, 'SMS is not set up here');
	const form = await requestForm(request);
	const params: Record<string, string> = {};
	for (const [name, value] of form?.entries() ?? []) if (typeof value === 'string') params[name] = value;
	// Twilio signs the address it posted to: the public one, which a proxy may not pass on as it was.
	const signed = `${config().publicOrigin}${url.pathname}${url.search}`;
	if (!signedByTwilio(token, signed, params, request.headers.get('x-twilio-signature') ?? '')) {
		logger.warn(
			{ event: 'security.sms-signature' },
			'Refused an SMS request without a valid Twilio signature'
		);
		error(403, 'Not signed by the SMS gateway');
	}
	const sms = incomingShape.safeParse(params);
	if (!sms.success) error(400, 'Not an incoming message');
	return new Response(twiml(await receiveSms(await db(), sms.data)), {
		headers: { 'content-type': 'text/xml; charset=utf-8', 'cache-control': 'no-store' }
	});
};
