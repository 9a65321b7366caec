import sanitizeHtml from 'sanitize-html';
import { imagePathPattern } from '#lib/media-urls.ts';

/** An image variant in the media library: /media/<key>/<width>.webp. */
const mediaImage = imagePathPattern;
/** A srcset made only of media-library variants. */
const mediaSrcset =
	/^\/media\/[0-9a-f]{32}\/[1-9]\d{0,3}\.webp [1-9]\d{0,3}w(, \/media\/[0-9a-f]{32}\/[1-9]\d{0,3}\.webp [1-9]\d{0,3}w)*$/;

/** How wide an image in an article is shown: the text column is at most 42rem. */
export const articleImageSizes = '(min-width: 44rem) 42rem, 100vw';

/**
 * The allowlist for stored rich text. Everything else (scripts, event handlers, styles,
 * javascript: and data: URLs, images from anywhere but the media library) is dropped on save.
 */
const options: sanitizeHtml.IOptions = {
	allowedTags: ['p', 'h2', 'h3', 'h4', 'ul', 'ol', 'li', 'strong', 'em', 'a', 'blockquote', 'br', 'img'],
	allowedAttributes: {
		a: ['href', 'title', 'rel'],
		img: ['src', 'srcset', 'sizes', 'alt', 'width', 'height', 'loading', 'decoding']
	},
	allowedSchemes: ['http', 'https', 'mailto'],
	allowedSchemesByTag: { img: [] },
	allowProtocolRelative: false,
	transformTags: {
		a: (tagName, attribs) => {
			const { href, title } = attribs;
			return {
				tagName,
				attribs: {
					...(href && safeHref(href) ? { href } : {}),
					...(title ? { title } : {}),
					rel: 'nofollow noopener'
				}
			};
		},
		img: (tagName, attribs) => ({ tagName, attribs: imageAttributes(attribs) })
	},
	exclusiveFilter: (frame) => frame.tag === 'img' && !mediaImage.test(frame.attribs.src ?? '')
};

/**
 * A link target kept as it is: an absolute http, https or mailto address, or a path on this site
 * (/…) or an anchor (#…). Anything with quotes, spaces, backticks or angle brackets goes.
 */
function safeHref(href: string): boolean {
	if (/[\s"'`<>\\]/.test(href)) return false;
	if (href.startsWith('#') || (href.startsWith('/') && !href.startsWith('//'))) return true;
	try {
		return ['http:', 'https:', 'mailto:'].includes(new URL(href).protocol);
	} catch {
		return false;
	}
}

function imageAttributes(a: Record<string, string>): Record<string, string> {
	const out: Record<string, string> = { src: a.src ?? '', alt: a.alt ?? '' };
	if (a.srcset && mediaSrcset.test(a.srcset)) {
		out.srcset = a.srcset;
		out.sizes = articleImageSizes;
	}
	for (const name of ['width', 'height'] as const) {
		if (/^\d{1,5}$/.test(a[name] ?? '')) out[name] = a[name]!;
	}
	out.loading = 'lazy';
	out.decoding = 'async';
	return out;
}

export function sanitizeRichText(html: string): string {
	return sanitizeHtml(html, options);
}

/** The plain text of stored rich text, a paragraph a line (for diffs). */
export function richTextToPlain(html: string): string {
	const text = sanitizeHtml(html.replace(/<\/(p|h[1-6]|li|blockquote)>|<br\s*\/?>/gi, '$&\n'), {
		allowedTags: [],
		allowedAttributes: {}
	});
	return text
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, '&')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}
