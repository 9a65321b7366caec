import { editors, rules } from '../kernel/policy.ts';

/** Organizations: the 311 Swedish reference rows come from data/geo; partners abroad from editors. */
export const organizationsPolicy = rules({
	manage: {
		allow: editors,
		why: 'international partners are created and placed on the map by editors'
	}
});
