import { rules, signedIn, staff } from '../kernel/policy.ts';

/** Staff accounts, the workspace's door, and what everyone may do with their own account. */
export const accountsPolicy = rules({
	enterWorkspace: {
		allow: staff,
		why: 'the workspace is for programme staff; readers and participants have no use for it'
	},
	manageUsers: { allow: ['admin'], why: 'roles give power over content and people' },
	inviteReader: {
		allow: signedIn,
		why:
			'a coordinator invites a colleague into their partnership: the account made is a reader, ' +
			'which gives no power; the app asks the partnership rule first, and only admins give other roles'
	},
	readAuditLog: { allow: ['admin'], why: 'the log holds addresses and security events' },
	readOutbox: { allow: ['admin'], why: 'unsent mail holds sign-in links for other people' },
	resendMail: {
		allow: ['admin'],
		why: 'sending again mails another person; the queue holds their addresses and links'
	},
	manageOwnAccount: {
		allow: signedIn,
		why: 'everyone sees and ends their own sessions, downloads and deletes their data'
	}
});
