import { editors, rules, staff } from '../kernel/policy.ts';

/** The media library. */
export const mediaPolicy = rules({
	upload: { allow: staff, why: 'whoever writes needs images and reports, with their alt texts' },
	delete: {
		allow: editors,
		why: 'a deleted file disappears from every article that uses it'
	}
});
