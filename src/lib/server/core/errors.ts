/**
 * Errors a domain throws; routes turn them into responses with one helper each
 * (pages: `error()`; API: JSON), so no route invents its own status codes.
 */
export class NotFoundError extends Error {
	constructor(what: string) {
		super(`${what} not found`);
		this.name = 'NotFoundError';
	}
}

/** The actor may not do this; `signInRequired` when nobody is signed in (a 401 rather than a 403). */
export class ForbiddenError extends Error {
	readonly signInRequired: boolean;
	constructor(signInRequired = false) {
		super(signInRequired ? 'Sign-in required' : 'Forbidden');
		this.name = 'ForbiddenError';
		this.signInRequired = signInRequired;
	}
}

/** A problem with one input field. `code` is a message key under `errors.` in the catalogue. */
export interface FieldProblem {
	field: string;
	code: InputErrorCode;
}

export type InputErrorCode =
	| 'repeated'
	| 'invalidPage'
	| 'invalidPerPage'
	| 'invalidTheme'
	| 'invalidKind'
	| 'invalidSdg'
	| 'unknownTarget'
	| 'invalidCountry'
	| 'queryTooLong'
	| 'invalidLang'
	| 'invalidGoal'
	| 'invalidArticle'
	| 'invalidAccount'
	| 'emailTaken'
	| 'password-tooShort'
	| 'password-tooLong'
	| 'password-common'
	| 'password-context'
	| 'lastAdmin'
	| 'disableSelf'
	| 'wrongPassword'
	| 'required'
	| 'tooLong'
	| 'invalidSlug'
	| 'slugTaken'
	| 'translationMissing'
	| 'imageAltMissing'
	| 'unknownMedia'
	| 'invalidTransition'
	| 'staleEdit'
	| 'invalidDate'
	| 'scheduleInPast'
	| 'unknownOrganization'
	| 'unknownPartnership'
	| 'fileMissing'
	| 'fileTooLarge'
	| 'fileType'
	| 'fileUnreadable'
	| 'altRequired'
	| 'topicExists'
	| 'principleFixed'
	| 'unknownTopic'
	| 'sameTopic'
	| 'invalidStatus'
	| 'invalidCounty'
	| 'invalidLatitude'
	| 'invalidLongitude'
	| 'duplicateMember'
	| 'membersRequired'
	| 'invalidYear'
	| 'yearOrder'
	| 'invalidEmail'
	| 'unknownUser'
	| 'notCoordinator'
	| 'invalidFormat'
	| 'invalidOrganizationKind'
	| 'invalidRegion'
	| 'invalidLanguage'
	| 'textInOneLanguage'
	| 'profileTextTooLong'
	| 'contactMessageLength'
	| 'notOrganizationMember'
	| 'ownProfile'
	| 'requestClosed'
	| 'invalidTeamRow';

export class ValidationError extends Error {
	readonly problems: FieldProblem[];
	constructor(problems: FieldProblem[]) {
		super(problems.map((p) => `${p.field}: ${p.code}`).join(', '));
		this.problems = problems;
		this.name = 'ValidationError';
	}
}
