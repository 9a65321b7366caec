/**
 * Addresses of files in the media library, shared by the server, the pages and the HTML
 * sanitiser (which lets `<img src>` and `<a href>` through only when they match the patterns
 * below). No server imports here: the browser may use it too.
 *
 *   /media/<key>/<width>.webp   a responsive WebP version of an image (320, 640, 960, 1600 or less)
 *   /media/<key>/<name>.pdf     a PDF, served as a download under that safe name
 *
 * `<key>` is the storage key the server made: 32 lowercase hex characters from random bytes.
 */

/** A storage key: 32 lowercase hex characters (16 random bytes). */
export const storageKeyPattern = /^[0-9a-f]{32}$/;

/** A variant's file: a width of 1–4 digits without a leading zero, then `.webp`. */
export const variantFilePattern = /^([1-9][0-9]{0,3})\.webp$/;

/**
 * A document's safe file name: lowercase ASCII letters and digits in runs joined by single
 * dots, hyphens or underscores, ending in `.pdf`, at most 100 characters (checked apart).
 */
export const documentFilePattern = /^[a-z0-9]+(?:[._-][a-z0-9]+)*\.pdf$/;

/** The longest file name a document may have. */
export const maxFileNameLength = 100;

/** The exact address of an image variant: `/media/<key>/<width>.webp`. Groups: key, width. */
export const imagePathPattern = /^\/media\/([0-9a-f]{32})\/([1-9][0-9]{0,3})\.webp$/;

/** The exact address of a document: `/media/<key>/<name>.pdf`. Groups: key, file name. */
export const documentPathPattern = /^\/media\/([0-9a-f]{32})\/([a-z0-9]+(?:[._-][a-z0-9]+)*\.pdf)$/;

/** True for a storage key the server could have made. */
export function isStorageKey(value: unknown): value is string {
	return typeof value === 'string' && storageKeyPattern.test(value);
}

/** True for a document file name the server could have made. */
export function isDocumentFileName(value: unknown): value is string {
	return typeof value === 'string' && value.length <= maxFileNameLength && documentFilePattern.test(value);
}

/** The address of an image in one width: imageSrc(key, 640) → "/media/<key>/640.webp". */
export function imageSrc(key: string, width: number): string {
	return `/media/${key}/${width}.webp`;
}

/**
 * A `srcset` with every width that exists: "/media/<key>/320.webp 320w, /media/<key>/640.webp 640w".
 * Widths are sorted and repeated ones dropped.
 */
export function imageSrcset(key: string, variants: readonly number[]): string {
	return [...new Set(variants)]
		.sort((a, b) => a - b)
		.map((width) => `${imageSrc(key, width)} ${width}w`)
		.join(', ');
}

/**
 * The smallest variant at least `wanted` pixels wide, else the widest there is (for `src`,
 * where a browser without srcset support takes one file). Undefined when there are none.
 */
export function pickWidth(variants: readonly number[], wanted: number): number | undefined {
	const sorted = [...variants].sort((a, b) => a - b);
	return sorted.find((w) => w >= wanted) ?? sorted.at(-1);
}

/** The download address of a document: documentHref(key, "rapport.pdf") → "/media/<key>/rapport.pdf". */
export function documentHref(key: string, fileName: string): string {
	return `/media/${key}/${fileName}`;
}

/** A picture to choose as an article's or a partnership's lead image. */
export interface LeadImageChoice {
	id: number;
	thumb: string;
	/** Its description in each language it has one in. */
	alt: Partial<Record<string, string>>;
}

/** The library's pictures with a description and sizes, for a lead image picker (the newest 48). */
export function leadImageChoices(
	files: { id: number; kind: string; key: string; alt: Partial<Record<string, string>>; variants: number[] }[]
): LeadImageChoice[] {
	return files
		.filter((f) => f.kind === 'image' && f.variants.length && Object.values(f.alt).some((a) => a?.trim()))
		.slice(0, 48)
		.map((f) => ({ id: f.id, thumb: imageSrc(f.key, Math.min(...f.variants)), alt: f.alt }));
}

/** A lead image as pages show it: its sizes and its description in the page's language. */
export interface LeadImage {
	src: string;
	srcset: string;
	alt: string;
	width: number | null;
	height: number | null;
}

/** A stored picture as a lead image, or null without one (or without a description in the language). */
export function leadImage(
	key: string | null,
	variants: number[] | null,
	alt: string | null | undefined,
	width: number | null,
	height: number | null
): LeadImage | null {
	if (!key || !variants?.length || !alt?.trim()) return null;
	return {
		src: imageSrc(key, pickWidth(variants, 960)!),
		srcset: imageSrcset(key, variants),
		alt: alt.trim(),
		width,
		height
	};
}
