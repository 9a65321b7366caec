import { editors, rules, signedIn, staff } from '../kernel/policy.ts';

/** The media library. */
export const mediaPolicy = rules({
	upload: { allow: staff, why: 'whoever writes needs images and reports, with their alt texts' },
	keepUpload: {
		allow: signedIn,
		why:
			'a file another module lets someone add (a coordinator’s PDF for their partnership, a ' +
			'participant’s photo with their proposal) is kept in the library under their name; the app ' +
			'asks that module’s rule first (for a photo: the dialogue’s participation gate and its daily ' +
			'allowance), and the bytes get the same checks as any upload'
	},
	dropUpload: {
		allow: signedIn,
		why:
			'a file another module added for someone goes when that module lets them take it away (the ' +
			'author replacing or removing their proposal’s photo within the edit window); the app asks ' +
			'that module’s rule first'
	},
	delete: {
		allow: editors,
		why: 'a deleted file disappears from every article that uses it'
	}
});
