import sanitizeHtml from 'sanitize-html';

/**
 * The allowlist for stored rich text. Everything else (scripts, event handlers, styles,
 * javascript: and data: URLs) is dropped on save; output never trusts the stored HTML more than this.
 */
const options: sanitizeHtml.IOptions = {
	allowedTags: ['p', 'h2', 'h3', 'h4', 'ul', 'ol', 'li', 'strong', 'em', 'a', 'blockquote', 'br'],
	allowedAttributes: { a: ['href', 'title', 'rel'] },
	allowedSchemes: ['http', 'https', 'mailto'],
	allowProtocolRelative: false,
	transformTags: {
		a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener' })
	}
};

export function sanitizeRichText(html: string): string {
	return sanitizeHtml(html, options);
}
