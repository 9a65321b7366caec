import type { Mail } from '../../kernel/mail.ts';
import { pick, type LocalizedText } from '../../kernel/localized.ts';
import { countryName, format, isLocale, localizePath, messages, type Locale } from '#lib/i18n/index.ts';

// The mails of a contact request, each in its reader's language. The request goes to the
// profile's contact with the one-time answer link (never the sender's address); the sender gets a
// copy (never the contact's address); an answer gives both the other's address.

/**
 * The language of mail to a person: their account's, when the mail goes to someone with an
 * account; else Swedish for a Swedish organization and English for everyone else.
 */
export function mailLocale(
	accountLocale: string | null | undefined,
	country: string | null | undefined
): Locale {
	if (isLocale(accountLocale)) return accountLocale;
	return country === 'SE' ? 'sv' : 'en';
}

/** An organization as a mail names it. */
interface NamedOrganization {
	name: LocalizedText | null;
	country: string | null;
}

/** To the profile's contact: who writes, from where, the message, and the answer link. */
export function requestMail(m: {
	to: string;
	locale: Locale;
	contactName: string;
	senderName: string;
	from: NamedOrganization;
	message: string;
	/** The site's public origin and the link's token. */
	origin: string;
	token: string;
	days: number;
}): Mail {
	const t = messages(m.locale).partnerSearch.mail;
	const org = pick(m.from.name, m.locale);
	return {
		to: m.to,
		subject: format(t.requestSubject, { org }),
		text: format(t.requestText, {
			name: m.contactName,
			sender: m.senderName,
			org,
			country: countryName(m.locale, m.from.country ?? ''),
			message: m.message,
			url: m.origin + localizePath(m.locale, `/find-a-partner/answer/${m.token}`),
			days: m.days
		})
	};
}

/** To the sender: a copy of what went, without the contact's address. */
export function copyMail(m: {
	to: string;
	locale: Locale;
	senderName: string;
	profileOrganization: LocalizedText;
	message: string;
}): Mail {
	const t = messages(m.locale).partnerSearch.mail;
	const org = pick(m.profileOrganization, m.locale);
	return {
		to: m.to,
		subject: format(t.copySubject, { org }),
		text: format(t.copyText, { name: m.senderName, org, message: m.message })
	};
}

/** A request being answered, as the two answer mails need it. */
export interface AnsweredRequest {
	senderName: string | null;
	senderEmail: string;
	senderLocale: Locale;
	fromName: LocalizedText | null;
	contactName: string;
	contactEmail: string;
	contactLocale: Locale;
	profileOrg: LocalizedText;
}

/** The answer: to the contact (with the sender's address) and to the sender (with the contact's). */
export function answeredMails(r: AnsweredRequest, reply: string): [toContact: Mail, toSender: Mail] {
	const toContact = messages(r.contactLocale).partnerSearch.mail;
	const toSender = messages(r.senderLocale).partnerSearch.mail;
	return [
		{
			to: r.contactEmail,
			subject: format(toContact.answeredRecipientSubject, { org: pick(r.fromName, r.contactLocale) }),
			text: format(toContact.answeredRecipientText, {
				name: r.contactName,
				sender: r.senderName ?? '',
				org: pick(r.fromName, r.contactLocale),
				email: r.senderEmail,
				reply
			})
		},
		{
			to: r.senderEmail,
			subject: format(toSender.answeredSenderSubject, { org: pick(r.profileOrg, r.senderLocale) }),
			text: format(toSender.answeredSenderText, {
				name: r.senderName ?? '',
				contact: r.contactName,
				org: pick(r.profileOrg, r.senderLocale),
				email: r.contactEmail,
				reply
			})
		}
	];
}
