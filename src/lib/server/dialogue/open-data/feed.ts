import { format, localizePath, messages, type Locale } from '#lib/i18n/index.ts';
import { pick } from '../../kernel/localized.ts';
import { escapeXml } from '../../kernel/xml.ts';
import type { FeedData } from './space.ts';
import { pages } from './views.ts';

/**
 * A space's Atom feed (RFC 4287): its newest public proposals and published answers, newest
 * first, in the reader's language (a proposal in the language it was written in, marked so).
 * Hidden proposals, and answers to them, are not in it.
 */

interface Entry {
	id: string;
	title: string;
	link: string;
	at: string;
	updated: string;
	summary: string;
	lang?: string;
	category: string;
}

/** How many entries the feed holds. */
export const feedEntries = 50;

export function spaceFeedXml(origin: string, locale: Locale, data: FeedData, selfPath: string): string {
	const m = messages(locale).dialogue;
	const at = pages(origin, locale);
	const space = pick(data.space.title, locale);
	const entries: Entry[] = [
		...data.proposals.map((p) => ({
			id: at.proposal(data.space.slug, p.id),
			title: format(m.opendata.feed.proposal, { title: p.title ?? '' }),
			link: at.proposal(data.space.slug, p.id),
			at: p.createdAt.toISOString(),
			updated: (p.editedAt ?? p.createdAt).toISOString(),
			summary: p.body ?? '',
			lang: p.language,
			category: 'proposal'
		})),
		...data.answers.map((a) => {
			const decidedBy = pick(a.decidedBy, locale);
			const text = pick(a.text, locale);
			return {
				id: `${at.proposal(data.space.slug, a.proposalId)}#answer-${a.id}`,
				title: format(m.opendata.feed.answer, { state: m.answerStates[a.state], title: a.proposalTitle }),
				link: `${at.proposal(data.space.slug, a.proposalId)}#answers-heading`,
				at: a.publishedAt.toISOString(),
				updated: a.publishedAt.toISOString(),
				summary: decidedBy ? `${text}\n\n${format(m.opendata.feed.decidedBy, { body: decidedBy })}` : text,
				category: 'answer'
			};
		})
	]
		.sort((a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id))
		.slice(0, feedEntries);
	// The newest entry's time; a feed without entries is as new as the space.
	const updated = entries.length
		? entries.reduce((latest, e) => (e.updated > latest ? e.updated : latest), '')
		: data.space.updatedAt.toISOString();
	const self = origin + selfPath;
	const body = entries
		.map(
			(e) => `	<entry>
		<title>${escapeXml(e.title)}</title>
		<link href="${escapeXml(e.link)}"/>
		<id>${escapeXml(e.id)}</id>
		<published>${e.at}</published>
		<updated>${e.updated}</updated>
		<summary${e.lang ? ` xml:lang="${escapeXml(e.lang)}"` : ''}>${escapeXml(e.summary)}</summary>
		<category term="${e.category}"/>
	</entry>`
		)
		.join('\n');
	return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">
	<title>${escapeXml(format(m.opendata.feed.title, { space }))}</title>
	<subtitle>${escapeXml(format(m.opendata.feed.subtitle, { space }))}</subtitle>
	<link href="${escapeXml(at.space(data.space.slug))}"/>
	<link rel="self" type="application/atom+xml" href="${escapeXml(self)}"/>
	<id>${escapeXml(self)}</id>
	<updated>${updated}</updated>
	<author><name>${escapeXml(messages(locale).site.name)}</name></author>
${body}
</feed>
`;
}

/** The feed's address for a space in a language (for the page's `<link rel="alternate">`). */
export const spaceFeedPath = (locale: Locale, slug: string) =>
	localizePath(locale, `/dialogue/${slug}/feed.xml`);
