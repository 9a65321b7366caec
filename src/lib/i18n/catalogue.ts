// The message catalogue: one file per module and language under messages/<language>/. The kernel's
// shared texts (site, navigation, errors and fields of the shared inputs) are at the top level;
// each module's texts, error codes and field names under its own key. A module adds one line per
// language here; a language adds a folder and its lines (Swedish is the source).
import svCommon from '../../../messages/sv/common.json' with { type: 'json' };
import svContent from '../../../messages/sv/content.json' with { type: 'json' };
import svTaxonomy from '../../../messages/sv/taxonomy.json' with { type: 'json' };
import svAccounts from '../../../messages/sv/accounts.json' with { type: 'json' };
import svMedia from '../../../messages/sv/media.json' with { type: 'json' };
import svOrganizations from '../../../messages/sv/organizations.json' with { type: 'json' };
import svPartnerships from '../../../messages/sv/partnerships.json' with { type: 'json' };
import svPartnerSearch from '../../../messages/sv/partnerSearch.json' with { type: 'json' };
import svDialogue from '../../../messages/sv/dialogue.json' with { type: 'json' };
import svDialogueSpaces from '../../../messages/sv/dialogue/spaces.json' with { type: 'json' };
import svDialogueProposals from '../../../messages/sv/dialogue/proposals.json' with { type: 'json' };
import svDialogueComments from '../../../messages/sv/dialogue/comments.json' with { type: 'json' };
import svDialogueAnswers from '../../../messages/sv/dialogue/answers.json' with { type: 'json' };
import svDialogueModeration from '../../../messages/sv/dialogue/moderation.json' with { type: 'json' };
import svDialogueOpendata from '../../../messages/sv/dialogue/opendata.json' with { type: 'json' };
import svDialogueVerification from '../../../messages/sv/dialogue/verification.json' with { type: 'json' };
import svDialogueNotifications from '../../../messages/sv/dialogue/notifications.json' with { type: 'json' };
import svDialogueMapReports from '../../../messages/sv/dialogue/mapReports.json' with { type: 'json' };
import svDialogueSurveys from '../../../messages/sv/dialogue/surveys.json' with { type: 'json' };
import svResults from '../../../messages/sv/results.json' with { type: 'json' };
import svResultsReports from '../../../messages/sv/results/reports.json' with { type: 'json' };
import svResultsIati from '../../../messages/sv/results/iati.json' with { type: 'json' };
import svResultsDashboard from '../../../messages/sv/results/dashboard.json' with { type: 'json' };
import svResultsReminders from '../../../messages/sv/results/reminders.json' with { type: 'json' };
import svResultsSpreadsheet from '../../../messages/sv/results/spreadsheet.json' with { type: 'json' };
import svResultsAnalysis from '../../../messages/sv/results/analysis.json' with { type: 'json' };
import svResultsPlanning from '../../../messages/sv/results/planning.json' with { type: 'json' };
import enCommon from '../../../messages/en/common.json' with { type: 'json' };
import enContent from '../../../messages/en/content.json' with { type: 'json' };
import enTaxonomy from '../../../messages/en/taxonomy.json' with { type: 'json' };
import enAccounts from '../../../messages/en/accounts.json' with { type: 'json' };
import enMedia from '../../../messages/en/media.json' with { type: 'json' };
import enOrganizations from '../../../messages/en/organizations.json' with { type: 'json' };
import enPartnerships from '../../../messages/en/partnerships.json' with { type: 'json' };
import enPartnerSearch from '../../../messages/en/partnerSearch.json' with { type: 'json' };
import enDialogue from '../../../messages/en/dialogue.json' with { type: 'json' };
import enDialogueSpaces from '../../../messages/en/dialogue/spaces.json' with { type: 'json' };
import enDialogueProposals from '../../../messages/en/dialogue/proposals.json' with { type: 'json' };
import enDialogueComments from '../../../messages/en/dialogue/comments.json' with { type: 'json' };
import enDialogueAnswers from '../../../messages/en/dialogue/answers.json' with { type: 'json' };
import enDialogueModeration from '../../../messages/en/dialogue/moderation.json' with { type: 'json' };
import enDialogueOpendata from '../../../messages/en/dialogue/opendata.json' with { type: 'json' };
import enDialogueVerification from '../../../messages/en/dialogue/verification.json' with { type: 'json' };
import enDialogueNotifications from '../../../messages/en/dialogue/notifications.json' with { type: 'json' };
import enDialogueMapReports from '../../../messages/en/dialogue/mapReports.json' with { type: 'json' };
import enDialogueSurveys from '../../../messages/en/dialogue/surveys.json' with { type: 'json' };
import enResults from '../../../messages/en/results.json' with { type: 'json' };
import enResultsReports from '../../../messages/en/results/reports.json' with { type: 'json' };
import enResultsIati from '../../../messages/en/results/iati.json' with { type: 'json' };
import enResultsDashboard from '../../../messages/en/results/dashboard.json' with { type: 'json' };
import enResultsReminders from '../../../messages/en/results/reminders.json' with { type: 'json' };
import enResultsSpreadsheet from '../../../messages/en/results/spreadsheet.json' with { type: 'json' };
import enResultsAnalysis from '../../../messages/en/results/analysis.json' with { type: 'json' };
import enResultsPlanning from '../../../messages/en/results/planning.json' with { type: 'json' };

/**
 * A module whose texts are split by concern (messages/<language>/<module>/<part>.json): each part
 * under its own key, and every part's error codes and field names joined under the module's.
 */
function withParts<
	B extends { errors: object; fields: object },
	P extends Record<string, { errors: object; fields: object }>
>(base: B, parts: P) {
	const all = Object.values(parts);
	return {
		...base,
		...parts,
		errors: Object.assign({}, base.errors, ...all.map((p) => p.errors)) as B['errors'] &
			UnionToIntersection<P[keyof P]['errors']>,
		fields: Object.assign({}, base.fields, ...all.map((p) => p.fields)) as B['fields'] &
			UnionToIntersection<P[keyof P]['fields']>
	};
}
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
	? I
	: never;

export const sv = {
	...svCommon,
	content: svContent,
	taxonomy: svTaxonomy,
	accounts: svAccounts,
	media: svMedia,
	organizations: svOrganizations,
	partnerships: svPartnerships,
	partnerSearch: svPartnerSearch,
	dialogue: withParts(svDialogue, {
		spaces: svDialogueSpaces,
		proposals: svDialogueProposals,
		comments: svDialogueComments,
		answers: svDialogueAnswers,
		moderation: svDialogueModeration,
		opendata: svDialogueOpendata,
		verification: svDialogueVerification,
		notifications: svDialogueNotifications,
		mapReports: svDialogueMapReports,
		surveys: svDialogueSurveys
	}),
	results: withParts(svResults, {
		reports: svResultsReports,
		iati: svResultsIati,
		reminders: svResultsReminders,
		dashboard: svResultsDashboard,
		spreadsheet: svResultsSpreadsheet,
		analysis: svResultsAnalysis,
		planning: svResultsPlanning
	})
};

/** The shape every catalogue must have: Swedish is the source. */
export type Messages = typeof sv;

// A catalogue missing a key (or with a key of the wrong shape) fails the type check here.
export const en: Messages = {
	...enCommon,
	content: enContent,
	taxonomy: enTaxonomy,
	accounts: enAccounts,
	media: enMedia,
	organizations: enOrganizations,
	partnerships: enPartnerships,
	partnerSearch: enPartnerSearch,
	dialogue: withParts(enDialogue, {
		spaces: enDialogueSpaces,
		proposals: enDialogueProposals,
		comments: enDialogueComments,
		answers: enDialogueAnswers,
		moderation: enDialogueModeration,
		opendata: enDialogueOpendata,
		verification: enDialogueVerification,
		notifications: enDialogueNotifications,
		mapReports: enDialogueMapReports,
		surveys: enDialogueSurveys
	}),
	results: withParts(enResults, {
		reports: enResultsReports,
		iati: enResultsIati,
		reminders: enResultsReminders,
		dashboard: enResultsDashboard,
		spreadsheet: enResultsSpreadsheet,
		analysis: enResultsAnalysis,
		planning: enResultsPlanning
	})
};
