// XML 1.0's `Char`: anything else (control characters but tab and line breaks, lone surrogates,
// U+FFFE, U+FFFF) makes the document not well-formed, escaped or not, and a feed reader then
// drops the whole feed for one pasted character.
const notXml = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const entities: Record<string, string> = {
	'<': '&lt;',
	'>': '&gt;',
	'&': '&amp;',
	"'": '&apos;',
	'"': '&quot;'
};

/** Text for XML content or a quoted attribute value: markup escaped, characters XML forbids left out. */
export const escapeXml = (text: string): string =>
	text.replace(notXml, '').replace(/[<>&'"]/g, (c) => entities[c]!);
