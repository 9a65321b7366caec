// The fixed values of citizen dialogue, shared by server and pages (no server code here).

/** What residents' input can change, shown on every space (the participation ladder). */
export const participationLevels = ['information', 'consultation', 'involvement', 'co-decision'] as const;
export type ParticipationLevel = (typeof participationLevels)[number];

export const spaceStatuses = ['draft', 'open', 'closed', 'archived'] as const;
export type SpaceStatus = (typeof spaceStatuses)[number];

export const phaseKinds = ['information', 'input', 'deliberation', 'decision', 'feedback'] as const;
export type PhaseKind = (typeof phaseKinds)[number];

/** The kinds of input a phase can open. */
export const inputKinds = ['proposals', 'supports', 'comments', 'reports'] as const;
export type InputKind = (typeof inputKinds)[number];

/** Who may give a kind of input: anyone with a verified address, or verified residents only. */
export const participantRequirements = ['verified-email', 'verified-resident'] as const;
export type ParticipantRequirement = (typeof participantRequirements)[number];

/** Screened before it is public, or public at once and moderated afterwards. */
export const moderationModes = ['pre', 'post'] as const;
export type ModerationMode = (typeof moderationModes)[number];

export const spaceTeamRoles = ['moderator', 'answerer'] as const;
export type SpaceTeamRole = (typeof spaceTeamRoles)[number];

/**
 * Where a proposal is on its way: screening (pre-moderation) → collecting supports → to be
 * answered (threshold reached) or did not reach the threshold; answered once an answer is public;
 * the author may withdraw it; a moderator may refuse it in screening.
 */
export const proposalStatuses = [
	'screening',
	'collecting',
	'to-answer',
	'answered',
	'not-reached',
	'withdrawn',
	'refused'
] as const;
export type ProposalStatus = (typeof proposalStatuses)[number];

/** Statuses the public sees; a proposal in screening or refused is its author's and moderators'. */
export const publicProposalStatuses: readonly ProposalStatus[] = [
	'collecting',
	'to-answer',
	'answered',
	'not-reached',
	'withdrawn'
];

/** The official answer's state. */
export const answerStates = ['evaluating', 'accepted', 'rejected', 'done'] as const;
export type AnswerState = (typeof answerStates)[number];

export const stances = ['for', 'against', 'neutral'] as const;
export type Stance = (typeof stances)[number];

export const flagReasons = ['spam', 'offensive', 'personal-data', 'off-topic'] as const;
export type FlagReason = (typeof flagReasons)[number];

/** What happened to a proposal, in order: its public history. */
export const proposalEventKinds = [
	'submitted',
	'published',
	'refused',
	'edited',
	'threshold-reached',
	'not-reached',
	'answer-published',
	'hidden',
	'restored',
	'withdrawn',
	// A partnership took it up in its results framework, and that result's status changed since.
	'result-linked',
	'result-status'
] as const;
export type ProposalEventKind = (typeof proposalEventKinds)[number];

/** Comments nest three levels deep: a comment, a reply, a reply to the reply. */
export const maxCommentDepth = 2;
export const commentMaxLength = 1000;
/** The author may edit a proposal or comment this long after writing it. */
export const editWindowMinutes = 15;

/**
 * A resident's report on a map (standing water, a broken street light): new → verified → in
 * progress → resolved, or rejected; each step with a public note.
 */
export const reportStatuses = ['new', 'verified', 'in-progress', 'resolved', 'rejected'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

/** The steps a team member may take from each status (a resolved report may be opened again). */
export const reportSteps: Record<ReportStatus, readonly ReportStatus[]> = {
	new: ['verified', 'in-progress', 'resolved', 'rejected'],
	verified: ['in-progress', 'resolved', 'rejected'],
	'in-progress': ['resolved', 'rejected'],
	resolved: ['in-progress'],
	rejected: ['verified']
};

/** How sure the reporter is of the point: on the spot, roughly there, or only the district. */
export const reportPrecisions = ['exact', 'approximate', 'district'] as const;
export type ReportPrecision = (typeof reportPrecisions)[number];

/**
 * What the public sees of a report's place: the point moved to the centre of its grid square
 * (about `gridMeters` wide), or only its district. The exact point is for the space's team.
 */
export const locationPrivacies = ['grid', 'district'] as const;
export type LocationPrivacy = (typeof locationPrivacies)[number];

/** Grid squares a space may choose, in metres. */
export const reportGridSizes = [100, 250, 500, 1000] as const;
export const reportDescriptionMax = 2000;

/** How far back the public map and list of reports look, in days. */
export const reportPeriods = ['7', '30', '365'] as const;

/**
 * A survey's kinds of question: one choice, several (up to a maximum), a point on a scale, free
 * text, a ranking of all the options, and a matrix (several statements on one scale).
 */
export const surveyQuestionKinds = ['single', 'multiple', 'scale', 'text', 'ranking', 'matrix'] as const;
export type SurveyQuestionKind = (typeof surveyQuestionKinds)[number];

/**
 * Who may answer a survey: anyone without signing in (answers stored without a name, each form
 * sent once through its one-time token), or signed-in participants once each.
 */
export const surveyRespondents = ['anyone', 'verified-email', 'verified-resident'] as const;
export type SurveyRespondents = (typeof surveyRespondents)[number];

/** A free-text answer is public only once a moderator has shown it. */
export const surveyTextStates = ['pending', 'shown', 'hidden'] as const;
export type SurveyTextState = (typeof surveyTextStates)[number];

export const surveyTextMax = 2000;
/** Enough for a real questionnaire, few enough for one cheap phone's page. */
export const surveyMaxQuestions = 40;
export const surveyMaxOptions = 12;
