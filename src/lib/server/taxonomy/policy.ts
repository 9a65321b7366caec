import { editors, rules } from '../kernel/policy.ts';

/** Themes: the four principles are fixed; topics are the editors'. */
export const topicsPolicy = rules({
	manage: {
		allow: editors,
		why: 'topics shape the whole bank; the four principles stay fixed'
	}
});
