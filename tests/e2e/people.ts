/** Accounts the journeys sign in with (made with `npm run admin:create`, as an operator would). */
export const people = {
	admin: { email: 'admin@example.se', password: 'administratörens långa lösenord', role: 'admin' },
	editor: { email: 'redaktor@example.se', password: 'redaktörens långa lösenord', role: 'editor' },
	author: { email: 'skribent@example.se', password: 'skribentens långa lösenord', role: 'author' },
	reader: { email: 'lasare@example.se', password: 'läsarens långa lösenord', role: 'reader' },
	/** Locked out on purpose by the lockout journey; nobody else signs in with it. */
	lockedOut: { email: 'sparrad@example.se', password: 'den spärrades långa lösenord', role: 'author' },
	/** Downloads their data and deletes their account. */
	leaving: { email: 'lamnar@example.se', password: 'den som lämnar har ett långt lösen', role: 'reader' },
	/** The admin of the user-management journey. */
	usersAdmin: {
		email: 'personal-admin@example.se',
		password: 'personaladminens långa lösenord',
		role: 'admin'
	},
	/** The editorial journey: an author writes, an editor publishes. */
	writer: { email: 'skribent-artikel@example.se', password: 'skribentens artikellösenord', role: 'author' },
	publisher: {
		email: 'redaktor-artikel@example.se',
		password: 'redaktörens artikellösenord',
		role: 'editor'
	},
	/** Each journey that needs an editor has its own: the two-step set-up happens once per account. */
	mediaEditor: {
		email: 'media-redaktor@example.se',
		password: 'mediaredaktörens långa lösen',
		role: 'editor'
	},
	topicsEditor: {
		email: 'amnes-redaktor@example.se',
		password: 'ämnesredaktörens långa lösen',
		role: 'editor'
	},
	xssEditor: { email: 'xss-redaktor@example.se', password: 'xss-redaktörens långa lösenord', role: 'editor' },
	/** Asks for access for Kiruna kommun, is approved, signs in and invites a colleague. */
	asker: {
		email: 'internationell-samordnare@example.se',
		password: 'samordnarens eget långa lösenord',
		role: 'reader'
	},
	/** The partnership journey: an editor appoints a coordinator, who edits their partnership. */
	registryEditor: {
		email: 'register-redaktor@example.se',
		password: 'registerredaktörens lösen',
		role: 'editor'
	},
	coordinator: { email: 'samordnare@example.se', password: 'samordnarens långa lösenord', role: 'reader' },
	/** One of each role for the permission table, signed in over HTTP only. */
	tableAdmin: { email: 'tabell-admin@example.se', password: 'tabellens långa lösenord 1', role: 'admin' },
	tableEditor: {
		email: 'tabell-redaktor@example.se',
		password: 'tabellens långa lösenord 2',
		role: 'editor'
	},
	tableAuthor: {
		email: 'tabell-skribent@example.se',
		password: 'tabellens långa lösenord 3',
		role: 'author'
	},
	tableReader: { email: 'tabell-lasare@example.se', password: 'tabellens långa lösenord 4', role: 'reader' },
	/** The find-a-partner journey: staff of Hörby and of Peja (`organization`: made members), and its editor. */
	partnerHorby: {
		email: 'partner-horby@example.se',
		password: 'hörbys långa partnerlösenord',
		role: 'reader',
		organization: 'horby-kommun'
	},
	partnerPeja: {
		email: 'partner-peja@example.org',
		password: 'pejas långa partnerlösenord',
		role: 'reader',
		organization: 'peja-municipality'
	},
	partnerEditor: {
		email: 'partner-redaktor@example.se',
		password: 'partnerredaktörens långa lösen',
		role: 'editor'
	},
	/**
	 * The auth seams journey: an editor and an admin who never set up two-step verification (they
	 * sign in over HTTP themselves), a reader made an editor while signed in, a reader whose
	 * address is checked, and the admin (with two-step verification) who looks and promotes.
	 */
	unenrolledEditor: {
		email: 'utan-tvasteg-redaktor@example.se',
		password: 'redaktören utan tvåsteg har ett långt lösen',
		role: 'editor'
	},
	unenrolledAdmin: {
		email: 'utan-tvasteg-admin@example.se',
		password: 'administratören utan tvåsteg har ett långt lösen',
		role: 'admin'
	},
	promotedReader: {
		email: 'befordrad@example.se',
		password: 'läsaren som blir redaktör har ett långt lösen',
		role: 'reader'
	},
	addressReader: {
		email: 'adressen@example.se',
		password: 'läsaren vars adress syns har ett lösen',
		role: 'reader'
	},
	seamsAdmin: {
		email: 'somsadmin@example.se',
		password: 'sömmarnas administratör har ett långt lösen',
		role: 'admin'
	},
	/**
	 * The XSS journey: staff of an organization whose display name is a break-out vector (it shows
	 * to whoever answers their contact request).
	 */
	xssSender: {
		email: 'xss-avsandare@example.se',
		password: 'avsändaren med det farliga namnet',
		role: 'reader',
		organization: 'kalmar-lans-museum',
		name: `"><img src=x onerror=alert('visningsnamn')><script>alert('visningsnamn')</script>`
	},
	/**
	 * The yearly report journey on Kalmar–Cape Winelands: a coordinator on each side (members of
	 * their organization, so each approves for its side) and the programme's officer.
	 */
	reportStaff: {
		email: 'rapport-redaktor@example.se',
		password: 'rapportredaktörens långa lösen',
		role: 'editor',
		name: 'Programhandläggare'
	},
	reportSwedish: {
		email: 'rapport-kalmar@example.se',
		password: 'kalmars rapportsamordnare har ett långt lösen',
		role: 'reader',
		organization: 'regionforbundet-kalmar-lan',
		name: 'Samordnare Kalmar'
	},
	reportPartner: {
		email: 'rapport-winelands@example.org',
		password: 'the winelands coordinator has a long password',
		role: 'reader',
		organization: 'cape-winelands-district',
		name: 'Coordinator Winelands'
	}
} as const;

export type Person = keyof typeof people;

/**
 * The people whose journeys are not about signing in: the global set-up signs each in once (with
 * two-step verification for editors and admins), and their journeys start from that session.
 * The sign-in journeys (editor, author, reader, lockedOut) sign in themselves.
 */
export const preparedPeople = [
	'admin',
	'leaving',
	'usersAdmin',
	'writer',
	'publisher',
	'mediaEditor',
	'topicsEditor',
	'xssEditor',
	'registryEditor',
	'coordinator',
	'tableAdmin',
	'tableEditor',
	'tableAuthor',
	'tableReader',
	'partnerHorby',
	'partnerPeja',
	'partnerEditor',
	'seamsAdmin',
	'reportStaff',
	'reportSwedish',
	'reportPartner'
] as const satisfies readonly Person[];

export type PreparedPerson = (typeof preparedPeople)[number];
