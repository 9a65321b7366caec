import { editors, rules } from '../../kernel/policy.ts';

/** The yearly analysis. Published versions are public (no rule to read them). */
export const analysisPolicy = rules({
	editAnalysis: {
		allow: editors,
		why:
			"a published analysis is the programme's own account of a year: its staff choose the quotes, " +
			'see the draft built from the live figures and publish a version'
	}
});
