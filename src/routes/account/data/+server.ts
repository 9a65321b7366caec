import type { RequestHandler } from './$types';
import { exportUserData } from '#lib/server/accounts/own-account/queries.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { db } from '#lib/server/app/database.ts';

/** Everything stored about the signed-in user, as a JSON download. */
export const GET: RequestHandler = ({ locals }) =>
	forApi(locals.locale, async () => {
		const data = await exportUserData(await db(), locals.user);
		return new Response(JSON.stringify(data, null, 2), {
			headers: {
				'content-type': 'application/json; charset=utf-8',
				'content-disposition': 'attachment; filename="mina-uppgifter.json"',
				'cache-control': 'no-store'
			}
		});
	});
