/** Accounts the journeys sign in with (made with `npm run admin:create`, as an operator would). */
export const people = {
	admin: { email: 'admin@example.se', password: 'administratörens långa lösenord' },
	editor: { email: 'redaktor@example.se', password: 'redaktörens långa lösenord' },
	author: { email: 'skribent@example.se', password: 'skribentens långa lösenord' },
	reader: { email: 'lasare@example.se', password: 'läsarens långa lösenord' }
} as const;
