import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The permission journey's lists: every route and form action, the address it is tried at, and
 * who may use it. permissions.spec.ts walks them with every role; bad-input.spec.ts sends bad
 * input to every one of them. Here, not in the journey, so that another spec can import them
 * without running the journey's tests.
 */

export type Who = 'anonymous' | 'reader' | 'author' | 'editor' | 'admin';
/** allow: the page or answer; deny: 403; sign-in: sent to sign in. */
export type Outcome = 'allow' | 'deny' | 'sign-in' | 'not-found';

const everyone = {
	anonymous: 'allow',
	reader: 'allow',
	author: 'allow',
	editor: 'allow',
	admin: 'allow'
} as const;
const signedIn = {
	anonymous: 'sign-in',
	reader: 'allow',
	author: 'allow',
	editor: 'allow',
	admin: 'allow'
} as const;
const staff = {
	anonymous: 'sign-in',
	reader: 'deny',
	author: 'allow',
	editor: 'allow',
	admin: 'allow'
} as const;
const editors = {
	anonymous: 'sign-in',
	reader: 'deny',
	author: 'deny',
	editor: 'allow',
	admin: 'allow'
} as const;
/** A planning item that is not there: who may plan learns it is not; nobody else learns anything. */
const unknownItem = {
	anonymous: 'sign-in',
	reader: 'deny',
	author: 'deny',
	editor: 'not-found',
	admin: 'not-found'
} as const;
/**
 * One article in the workspace: editors and admins, and authors on their own articles and those
 * shared with them. Article 1 is the demo's, nobody's own: authors are refused (the draft-sharing
 * journey walks an author's own and shared drafts).
 */
const oneArticle = editors;
const admins = {
	anonymous: 'sign-in',
	reader: 'deny',
	author: 'deny',
	editor: 'deny',
	admin: 'allow'
} as const;

/** The demo's dialogue spaces, and proposals in the Ale one: collecting supports, and to be answered. */
const ale = 'unga-i-ale-vara-med-och-paverka';
const debate = 'torget-i-horby-och-peja';
const collecting = 3;
const toAnswer = 2;
/** The demo's Yogyakarta reporting space, and a public report in it (resolved). */
const reports = 'yogyakarta-rapportera-vatten-och-myggor';
/** The demo's survey in the Ale space. */
const survey = 'hur-vill-du-vara-med';
const publicReport = 1;
const badToken = `a.bm9ib2R5.${'x'.repeat(43)}`;
const nobody = {
	anonymous: 'not-found',
	reader: 'not-found',
	author: 'not-found',
	editor: 'not-found',
	admin: 'not-found'
} as const;

/**
 * Every route under /admin, /account and /api, with who may use it. A route that is added
 * without a line here fails the first test: access is decided on purpose, not by accident.
 */
export const table: Record<string, { path: string; expect: Record<Who, Outcome> }> = {
	'/admin': { path: '/admin', expect: staff },
	'/admin/users': { path: '/admin/users', expect: admins },
	'/admin/articles': { path: '/admin/articles', expect: staff },
	'/admin/articles/new': { path: '/admin/articles/new', expect: staff },
	'/admin/articles/[id=id]': { path: '/admin/articles/1', expect: oneArticle },
	'/admin/articles/[id=id]/preview': { path: '/en/admin/articles/1/preview', expect: oneArticle },
	'/admin/articles/[id=id]/revisions': { path: '/admin/articles/1/revisions', expect: oneArticle },
	'/admin/media': { path: '/admin/media', expect: staff },
	'/admin/topics': { path: '/admin/topics', expect: editors },
	'/admin/organizations': { path: '/admin/organizations', expect: editors },
	'/admin/partner-search': { path: '/admin/partner-search', expect: editors },
	'/find-a-partner': { path: '/find-a-partner', expect: everyone },
	'/find-a-partner/[id=id]': { path: '/find-a-partner/1', expect: everyone },
	// Staff of an organization edit its profile; anyone signed in sees what they may do there.
	'/find-a-partner/profile': { path: '/find-a-partner/profile', expect: signedIn },
	// The token is the credential: an unknown one is a 404 for everyone.
	'/find-a-partner/answer/[token]': {
		path: '/find-a-partner/answer/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
		expect: {
			anonymous: 'not-found',
			reader: 'not-found',
			author: 'not-found',
			editor: 'not-found',
			admin: 'not-found'
		}
	},
	'/partnerships': { path: '/partnerships', expect: everyone },
	'/partnerships/new': { path: '/partnerships/new', expect: editors },
	'/partnerships/[slug=slug]': { path: '/partnerships/ale-ghanzi', expect: everyone },
	// Coordinators of this partnership may too (the partnership journey covers them).
	'/partnerships/[slug=slug]/edit': { path: '/partnerships/horby-peja/edit', expect: editors },
	'/organizations/[slug=slug]': { path: '/organizations/ale-kommun', expect: everyone },
	'/organizations/[slug=slug]/members': { path: '/organizations/ale-kommun/members', expect: editors },
	'/organizations/request-access': { path: '/organizations/request-access', expect: everyone },
	'/admin/access-requests': { path: '/admin/access-requests', expect: editors },
	'/api/v1/partnerships': { path: '/api/v1/partnerships?format=csv', expect: everyone },
	'/api/v1/partnerships/[slug=slug]': { path: '/api/v1/partnerships/ale-ghanzi', expect: everyone },
	'/api/v1/partnerships/[slug=slug]/iati.xml': {
		path: '/api/v1/partnerships/ale-ghanzi/iati.xml',
		expect: everyone
	},
	'/api/v1/iati.xml': { path: '/api/v1/iati.xml', expect: everyone },
	'/partnerships/[slug=slug]/results': { path: '/partnerships/ale-ghanzi/results', expect: everyone },
	'/partnerships/[slug=slug]/results/spreadsheet.csv': {
		path: '/partnerships/ale-ghanzi/results/spreadsheet.csv',
		expect: everyone
	},
	'/partnerships/[slug=slug]/results/spreadsheet.xlsx': {
		path: '/partnerships/ale-ghanzi/results/spreadsheet.xlsx',
		expect: everyone
	},
	'/partnerships/[slug=slug]/results/import': {
		path: '/partnerships/horby-peja/results/import',
		expect: editors
	},
	'/partnerships/[slug=slug]/results/plan': {
		path: '/partnerships/horby-peja/results/plan',
		expect: editors
	},
	// An item that is not there: asked of who may plan first, so others never learn whether it is.
	...Object.fromEntries(
		['result', 'indicator', 'activity'].map((kind) => [
			`/partnerships/[slug=slug]/results/plan/${kind}/[id=id]`,
			{
				path: `/partnerships/horby-peja/results/plan/${kind}/999999999`,
				expect: unknownItem
			}
		])
	),
	// The yearly reports: the partnership's people and the programme's staff (2099: a year no demo has).
	'/partnerships/[slug=slug]/reports': { path: '/partnerships/horby-peja/reports', expect: staff },
	'/partnerships/[slug=slug]/reports/[year]': {
		path: '/partnerships/horby-peja/reports/2099',
		expect: staff
	},
	'/api/v1/organizations': { path: '/api/v1/organizations?county=14', expect: everyone },
	'/admin/audit': { path: '/admin/audit', expect: admins },
	'/admin/outbox': { path: '/admin/outbox', expect: admins },
	'/admin/report-deadlines': { path: '/admin/report-deadlines', expect: editors },
	'/account': { path: '/account', expect: signedIn },
	'/account/two-factor': { path: '/account/two-factor', expect: signedIn },
	'/account/data': { path: '/account/data', expect: signedIn },
	// Public files; an unknown key is a 404 for everyone (the media journey serves real ones).
	'/media/[key]/[file]': {
		path: '/media/00000000000000000000000000000000/320.webp',
		expect: {
			anonymous: 'not-found',
			reader: 'not-found',
			author: 'not-found',
			editor: 'not-found',
			admin: 'not-found'
		}
	},
	'/api/v1/articles': { path: '/api/v1/articles', expect: everyone },
	'/api/v1/articles/[slug=slug]': { path: '/api/v1/articles/tidsresemetodiken', expect: everyone },
	'/api/v1/goals': { path: '/api/v1/goals', expect: everyone },
	'/api/v1/goals/[n]': { path: '/api/v1/goals/16', expect: everyone },
	'/api/v1/openapi.json': { path: '/api/v1/openapi.json', expect: everyone },
	// Citizen dialogue. The demo's Ale consultation and Hörby–Peja debate.
	'/dialogue': { path: '/dialogue', expect: everyone },
	'/dialogue/new': { path: '/dialogue/new', expect: signedIn },
	'/dialogue/[space=slug]': { path: `/dialogue/${ale}`, expect: everyone },
	// Whoever runs the space may too (its owner's people: the spaces journey covers them).
	'/dialogue/[space=slug]/edit': { path: `/dialogue/${debate}/edit`, expect: editors },
	'/dialogue/[space=slug]/debate': { path: `/dialogue/${debate}/debate`, expect: everyone },
	'/dialogue/[space=slug]/proposals/new': { path: `/dialogue/${ale}/proposals/new`, expect: everyone },
	'/dialogue/[space=slug]/proposals/[id=id]': {
		path: `/dialogue/${ale}/proposals/${collecting}`,
		expect: everyone
	},
	// Only its author, within the edit window: nobody here wrote it.
	'/dialogue/[space=slug]/proposals/[id=id]/edit': {
		path: `/dialogue/${ale}/proposals/${collecting}/edit`,
		expect: { anonymous: 'sign-in', reader: 'deny', author: 'deny', editor: 'deny', admin: 'deny' }
	},
	'/dialogue/[space=slug]/flag': { path: `/dialogue/${ale}/flag?proposal=${collecting}`, expect: signedIn },
	// The space's moderators and answerers may too (the answers and moderation tests cover them).
	'/dialogue/[space=slug]/manage': { path: `/dialogue/${ale}/manage`, expect: editors },
	'/dialogue/[space=slug]/manage/answer/[id=id]': {
		path: `/dialogue/${ale}/manage/answer/${toAnswer}`,
		expect: editors
	},
	'/dialogue/[space=slug]/manage/templates': { path: `/dialogue/${ale}/manage/templates`, expect: editors },
	'/dialogue/[space=slug]/manage/moderation': { path: `/dialogue/${ale}/manage/moderation`, expect: editors },
	'/admin/dialogue': { path: '/admin/dialogue', expect: editors },
	'/api/v1/dialogues': { path: '/api/v1/dialogues?format=csv', expect: everyone },
	'/api/v1/dialogues/[slug=slug]': { path: `/api/v1/dialogues/${ale}`, expect: everyone },
	'/api/v1/proposals': { path: `/api/v1/proposals?space=${ale}&format=csv`, expect: everyone },
	'/api/v1/proposals/[id=id]': { path: '/api/v1/proposals/1', expect: everyone },
	'/api/v1/comments': { path: `/api/v1/comments?space=${debate}`, expect: everyone },
	'/dialogue/[space=slug]/data.zip': { path: `/dialogue/${ale}/data.zip`, expect: everyone },
	'/dialogue/[space=slug]/feed.xml': { path: `/dialogue/${ale}/feed.xml`, expect: everyone },
	// Resident verification: a participant's own; census lists are their organization's staff's too.
	'/dialogue/verify': { path: `/dialogue/verify?space=${ale}`, expect: signedIn },
	// It always redirects: signed out to sign in, signed in back to the verify page.
	'/dialogue/verify/oidc/callback': { path: '/dialogue/verify/oidc/callback', expect: signedIn },
	'/dialogue/census/[organization=slug]': { path: '/dialogue/census/ale-kommun', expect: editors },
	// A GET leads back to the page; the POST is walked with the actions.
	'/dialogue/[space=slug]/follow': { path: `/dialogue/${ale}/follow`, expect: everyone },
	// The signed token is the credential: an altered one is a 404 for everyone.
	'/dialogue/unsubscribe/[token]': { path: `/dialogue/unsubscribe/${badToken}`, expect: nobody },
	// Reports on a map: public map, list and downloads; the form says who may report.
	'/dialogue/[space=slug]/reports': { path: `/dialogue/${reports}/reports`, expect: everyone },
	'/dialogue/[space=slug]/reports/new': { path: `/dialogue/${reports}/reports/new`, expect: everyone },
	'/dialogue/[space=slug]/reports/[id=id]': {
		path: `/dialogue/${reports}/reports/${publicReport}`,
		expect: everyone
	},
	'/dialogue/[space=slug]/reports.csv': { path: `/dialogue/${reports}/reports.csv`, expect: everyone },
	'/dialogue/[space=slug]/reports.geojson': {
		path: `/dialogue/${reports}/reports.geojson`,
		expect: everyone
	},
	// The space's team may too (the reports journey covers a moderator).
	'/dialogue/[space=slug]/manage/reports': { path: `/dialogue/${reports}/manage/reports`, expect: editors },
	// Open311 GeoReport v2: the same public reports, for Open311 clients (in JSON or XML).
	'/open311/v2/services.[format=open311]': {
		path: `/open311/v2/services.json?jurisdiction_id=${reports}`,
		expect: everyone
	},
	'/open311/v2/services/[code].[format=open311]': {
		path: `/open311/v2/services/waste.xml?jurisdiction_id=${reports}`,
		expect: everyone
	},
	'/open311/v2/requests.[format=open311]': {
		path: `/open311/v2/requests.json?jurisdiction_id=${reports}`,
		expect: everyone
	},
	'/open311/v2/requests/[id=id].[format=open311]': {
		path: `/open311/v2/requests/${publicReport}.xml?jurisdiction_id=${reports}`,
		expect: everyone
	},
	// Whoever runs the space may too (the set-up's unit tests cover them).
	'/dialogue/[space=slug]/edit/reports': { path: `/dialogue/${reports}/edit/reports`, expect: editors },
	// Surveys: answering and published results for everyone; building and the full file for whoever
	// runs the space, reviewing free text for its moderators (editors here).
	'/dialogue/[space=slug]/surveys/[survey=slug]': {
		path: `/dialogue/${ale}/surveys/${survey}`,
		expect: everyone
	},
	'/dialogue/[space=slug]/surveys/[survey=slug]/results': {
		path: `/dialogue/${ale}/surveys/${survey}/results`,
		expect: everyone
	},
	'/dialogue/[space=slug]/surveys/[survey=slug]/responses.csv': {
		path: `/dialogue/${ale}/surveys/${survey}/responses.csv`,
		expect: everyone
	},
	'/dialogue/[space=slug]/edit/surveys': { path: `/dialogue/${ale}/edit/surveys`, expect: editors },
	'/dialogue/[space=slug]/edit/surveys/[survey=slug]': {
		path: `/dialogue/${ale}/edit/surveys/${survey}`,
		expect: editors
	},
	'/dialogue/[space=slug]/manage/surveys/[survey=slug]': {
		path: `/dialogue/${ale}/manage/surveys/${survey}`,
		expect: editors
	},
	'/dialogue/[space=slug]/manage/surveys/[survey=slug]/responses.csv': {
		path: `/dialogue/${ale}/manage/surveys/${survey}/responses.csv`,
		expect: editors
	}
};

/** Route ids of every page and endpoint file under the given folders of src/routes. */
export function routeIds(...roots: string[]): string[] {
	const base = path.resolve(import.meta.dirname, '../../src/routes');
	const ids = new Set<string>();
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir)) {
			const full = path.join(dir, entry);
			if (statSync(full).isDirectory()) walk(full);
			else if (/^\+(page\.svelte|page\.server\.ts|server\.ts)$/.test(entry)) {
				ids.add('/' + path.relative(base, dir).split(path.sep).join('/'));
			}
		}
	};
	for (const root of roots) walk(path.join(base, root));
	return [...ids].sort();
}

/**
 * Every form action, posted as a browser without JavaScript would (an empty form: nothing is
 * written; a form that passes the gate is sent back with messages). Form actions do not run the
 * layouts' checks, so each action must ask the permission module itself: this walk proves it.
 * An action added without a line here fails the first test.
 */
export const actionTable: Record<string, { path: string; expect: Record<Who, Outcome> }> = {
	'/admin/users?/invite': { path: '/admin/users?/invite', expect: admins },
	'/admin/users?/role': { path: '/admin/users?/role', expect: admins },
	'/admin/users?/disable': { path: '/admin/users?/disable', expect: admins },
	'/admin/partner-search?/hide': { path: '/admin/partner-search?/hide', expect: editors },
	'/admin/partner-search?/show': { path: '/admin/partner-search?/show', expect: editors },
	'/admin/articles/new?/create': { path: '/admin/articles/new?/create', expect: staff },
	...Object.fromEntries(
		['save', 'step', 'share', 'unshare'].map((action) => [
			`/admin/articles/[id=id]?/${action}`,
			{ path: `/admin/articles/1?/${action}`, expect: oneArticle }
		])
	),
	'/admin/articles/[id=id]/revisions?/restore': {
		path: '/admin/articles/1/revisions?/restore',
		expect: oneArticle
	},
	'/admin/topics?/add': { path: '/admin/topics?/add', expect: editors },
	'/admin/topics?/rename': { path: '/admin/topics?/rename', expect: editors },
	'/admin/topics?/merge': { path: '/admin/topics?/merge', expect: editors },
	'/admin/media?/upload': { path: '/admin/media?/upload', expect: staff },
	'/admin/media?/alt': { path: '/admin/media?/alt', expect: staff },
	'/admin/media?/delete': { path: '/admin/media?/delete', expect: editors },
	'/admin/organizations?/create': { path: '/admin/organizations?/create', expect: editors },
	'/admin/organizations?/update': { path: '/admin/organizations?/update', expect: editors },
	'/admin/access-requests?/approve': { path: '/admin/access-requests?/approve', expect: editors },
	'/admin/access-requests?/refuse': { path: '/admin/access-requests?/refuse', expect: editors },
	'/organizations/request-access?/default': { path: '/organizations/request-access', expect: signedIn },
	...Object.fromEntries(
		['invite', 'remove', 'admin'].map((action) => [
			`/organizations/[slug=slug]/members?/${action}`,
			{ path: `/organizations/ale-kommun/members?/${action}`, expect: editors }
		])
	),
	'/account?/end': { path: '/account?/end', expect: signedIn },
	'/account?/endOthers': { path: '/account?/endOthers', expect: signedIn },
	'/account?/delete': { path: '/account?/delete', expect: signedIn },
	'/account/two-factor?/start': { path: '/account/two-factor?/start', expect: signedIn },
	'/account/two-factor?/confirm': { path: '/account/two-factor?/confirm', expect: signedIn },
	'/partnerships/new?/create': { path: '/partnerships/new?/create', expect: editors },
	...Object.fromEntries(
		['save', 'invite', 'coordinator', 'revoke', 'attach', 'upload', 'detach'].map((action) => [
			`/partnerships/[slug=slug]/edit?/${action}`,
			{ path: `/partnerships/horby-peja/edit?/${action}`, expect: editors }
		])
	),
	...Object.fromEntries(
		['start', 'save', 'submit', 'approve', 'reopen', 'return', 'attach', 'removeAttachment'].map((action) => [
			`/partnerships/[slug=slug]/reports/[year]?/${action}`,
			// Returning is asked with the report: an author passes the role and gets the form back.
			{
				path: `/partnerships/horby-peja/reports/2099?/${action}`,
				expect: action === 'return' ? staff : editors
			}
		])
	),
	...Object.fromEntries(
		['save', 'publish'].map((action) => [
			`/results/analysis/[year=id]/edit?/${action}`,
			{ path: `/results/analysis/2024/edit?/${action}`, expect: editors }
		])
	),
	...Object.fromEntries(
		['savePlan', 'addResult', 'addIndicator', 'addActivity'].map((action) => [
			`/partnerships/[slug=slug]/results/plan?/${action}`,
			{ path: `/partnerships/horby-peja/results/plan?/${action}`, expect: editors }
		])
	),
	...Object.fromEntries(
		(
			[
				['result', ['save', 'remove']],
				['activity', ['save', 'remove']],
				['indicator', ['save', 'remove', 'addPeriod', 'savePeriod', 'removePeriod']]
			] as const
		).flatMap(([kind, actions]) =>
			actions.map((action) => [
				`/partnerships/[slug=slug]/results/plan/${kind}/[id=id]?/${action}`,
				{ path: `/partnerships/horby-peja/results/plan/${kind}/999999999?/${action}`, expect: unknownItem }
			])
		)
	),
	...Object.fromEntries(
		['setStatus', 'linkProposal', 'unlinkProposal'].map((action) => [
			`/partnerships/[slug=slug]/results?/${action}`,
			{ path: `/partnerships/horby-peja/results?/${action}`, expect: editors }
		])
	),
	...Object.fromEntries(
		['preview', 'apply'].map((action) => [
			`/partnerships/[slug=slug]/results/import?/${action}`,
			{ path: `/partnerships/horby-peja/results/import?/${action}`, expect: editors }
		])
	),
	'/find-a-partner/[id=id]?/contact': { path: '/find-a-partner/1?/contact', expect: signedIn },
	'/find-a-partner/profile?/save': { path: '/find-a-partner/profile?/save', expect: signedIn },
	'/find-a-partner/profile?/renew': { path: '/find-a-partner/profile?/renew', expect: signedIn },
	// The token is the credential: an unknown one is a 404 for everyone.
	...Object.fromEntries(
		['answer', 'report'].map((action) => [
			`/find-a-partner/answer/[token]?/${action}`,
			{
				path: `/find-a-partner/answer/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa?/${action}`,
				expect: {
					anonymous: 'not-found',
					reader: 'not-found',
					author: 'not-found',
					editor: 'not-found',
					admin: 'not-found'
				} as const
			}
		])
	),
	// Public forms: anyone may send them (and gets messages back for an empty one).
	'/sign-in?/default': { path: '/sign-in', expect: everyone },
	'/reset-password?/default': { path: '/reset-password', expect: everyone },
	'/reset-password/new?/default': { path: '/reset-password/new', expect: everyone },
	'/sign-up?/default': { path: '/sign-up', expect: everyone },
	'/admin/outbox?/resend': { path: '/admin/outbox?/resend', expect: admins },
	'/admin/report-deadlines?/default': { path: '/admin/report-deadlines', expect: editors },
	'/account?/settings': { path: '/account?/settings', expect: signedIn },
	// Citizen dialogue: an empty form from anyone signed in comes back with messages.
	'/dialogue/new?/create': { path: '/dialogue/new?/create', expect: signedIn },
	'/dialogue/unsubscribe/[token]?/default': { path: `/dialogue/unsubscribe/${badToken}`, expect: nobody },
	'/dialogue/verify?/census': { path: `/dialogue/verify?/census&space=${ale}`, expect: signedIn },
	'/dialogue/verify?/oidc': { path: `/dialogue/verify?/oidc&space=${ale}`, expect: signedIn },
	'/dialogue/census/[organization=slug]?/default': { path: '/dialogue/census/ale-kommun', expect: editors },
	'/dialogue/[space=slug]/edit?/save': { path: `/dialogue/${debate}/edit?/save`, expect: editors },
	'/dialogue/[space=slug]/proposals/new?/default': {
		path: `/dialogue/${ale}/proposals/new`,
		expect: signedIn
	},
	...Object.fromEntries(
		['support', 'withdraw', 'comment', 'reply', 'editComment', 'deleteComment'].map((action) => [
			`/dialogue/[space=slug]/proposals/[id=id]?/${action}`,
			{ path: `/dialogue/${ale}/proposals/${collecting}?/${action}`, expect: signedIn }
		])
	),
	// Only its author, within the edit window: nobody here wrote it.
	'/dialogue/[space=slug]/proposals/[id=id]/edit?/default': {
		path: `/dialogue/${ale}/proposals/${collecting}/edit`,
		expect: { anonymous: 'sign-in', reader: 'deny', author: 'deny', editor: 'deny', admin: 'deny' }
	},
	...Object.fromEntries(
		['comment', 'reply', 'editComment', 'deleteComment'].map((action) => [
			`/dialogue/[space=slug]/debate?/${action}`,
			{ path: `/dialogue/${debate}/debate?/${action}`, expect: signedIn }
		])
	),
	'/dialogue/[space=slug]/reports/new?/default': {
		path: `/dialogue/${reports}/reports/new`,
		expect: signedIn
	},
	...Object.fromEntries(
		['save', 'createKey', 'revokeKey'].map((action) => [
			`/dialogue/[space=slug]/edit/reports?/${action}`,
			{ path: `/dialogue/${reports}/edit/reports?/${action}`, expect: editors }
		])
	),
	'/dialogue/[space=slug]/surveys/[survey=slug]?/default': {
		path: `/dialogue/${ale}/surveys/${survey}`,
		expect: everyone
	},
	'/dialogue/[space=slug]/edit/surveys?/create': {
		path: `/dialogue/${ale}/edit/surveys?/create`,
		expect: editors
	},
	'/dialogue/[space=slug]/edit/surveys/[survey=slug]?/save': {
		path: `/dialogue/${ale}/edit/surveys/${survey}?/save`,
		expect: editors
	},
	'/dialogue/[space=slug]/manage/surveys/[survey=slug]?/decide': {
		path: `/dialogue/${ale}/manage/surveys/${survey}?/decide`,
		expect: editors
	},
	'/dialogue/[space=slug]/reports/[id=id]?/follow': {
		path: `/dialogue/${reports}/reports/${publicReport}?/follow`,
		expect: signedIn
	},
	'/dialogue/[space=slug]/reports/[id=id]?/status': {
		path: `/dialogue/${reports}/reports/${publicReport}?/status`,
		expect: editors
	},
	'/dialogue/[space=slug]/flag?/default': {
		path: `/dialogue/${ale}/flag?proposal=${collecting}`,
		expect: signedIn
	},
	...Object.fromEntries(
		[
			['manage', ['publish', 'deleteDraft']],
			[`manage/answer/[id=id]`, ['save', 'delete']],
			['manage/templates', ['save', 'delete']],
			['manage/moderation', ['hide', 'restore', 'block', 'unblock', 'publish', 'refuse']]
		].flatMap(([route, names]) =>
			(names as string[]).map((action) => [
				`/dialogue/[space=slug]/${route}?/${action}`,
				{
					path: `/dialogue/${ale}/${(route as string).replace('[id=id]', String(toAnswer))}?/${action}`,
					expect: editors
				}
			])
		)
	),
	...Object.fromEntries(
		['hide', 'restore', 'block', 'unblock'].map((action) => [
			`/admin/dialogue?/${action}`,
			{ path: `/admin/dialogue?/${action}`, expect: editors }
		])
	)
};

/** Every `actions` key of every +page.server.ts under src/routes, as "<route id>?/<name>". */
export function actionIds(): string[] {
	const base = path.resolve(import.meta.dirname, '../../src/routes');
	const ids: string[] = [];
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir)) {
			const full = path.join(dir, entry);
			if (statSync(full).isDirectory()) walk(full);
			else if (entry === '+page.server.ts') {
				const source = readFileSync(full, 'utf8');
				const start = source.indexOf('export const actions');
				if (start < 0) continue;
				const id = '/' + path.relative(base, dir).split(path.sep).join('/');
				for (const [, name] of source.slice(start).matchAll(/^\t([A-Za-z]+)(?::|\()/gm)) {
					ids.push(`${id === '/' ? '' : id}?/${name}`);
				}
			}
		}
	};
	walk(base);
	return ids.sort();
}
