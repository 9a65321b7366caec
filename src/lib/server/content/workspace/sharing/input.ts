import { z } from 'zod';

/**
 * The article editor's sharing form: the author a draft is shared with (or no longer shared with),
 * from the form's picker or its list, so anything else is a tampered form.
 */
export const shareForm = {
	user: z.string('cannotShareWith').regex(/^[A-Za-z0-9_-]{1,64}$/, 'cannotShareWith')
};
