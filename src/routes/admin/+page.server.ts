import type { PageServerLoad } from './$types';
import { db } from '#lib/server/db/app.ts';
import { articleStatusCounts } from '#lib/server/content/queries.ts';

export const load: PageServerLoad = async () => ({ counts: await articleStatusCounts(await db()) });
