import sharp from 'sharp';
import { fileTypeFromBuffer } from 'file-type';
import { ValidationError, type ErrorCode } from '../kernel/errors.ts';
import { maxFileNameLength } from '#lib/media-urls.ts';
import type { MediaKind } from './schema.ts';

/** The largest upload: 10 MB (MiB, as the message says "10 MB" and browsers count so). */
export const maxUploadBytes = 10 * 1024 * 1024;

/** The widths (px) images are served in; an image narrower than one is never enlarged. */
export const variantWidths = [320, 640, 960, 1600] as const;

/**
 * Pixels an image may have before it is decoded (about 8000 × 8000). A small file can hold a huge
 * image (a "decompression bomb"); sharp's own limit (268 million) would let one use gigabytes.
 */
export const maxInputPixels = 64_000_000;

/** The types accepted, as found in the bytes. */
export const acceptedTypes = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export type AcceptedType = (typeof acceptedTypes)[number];

export interface ImageVariant {
	width: number;
	height: number;
	/** WebP, with no metadata. */
	bytes: Uint8Array;
}

export type ProcessedUpload =
	| {
			kind: Extract<MediaKind, 'image'>;
			mime: Exclude<AcceptedType, 'application/pdf'>;
			/** Of the largest variant (after turning the image the way its EXIF says). */
			width: number;
			height: number;
			/** Widest last; one per width that exists. */
			variants: ImageVariant[];
	  }
	| {
			kind: Extract<MediaKind, 'document'>;
			mime: 'application/pdf';
			/** The PDF as uploaded. */
			bytes: Uint8Array;
	  };

const fileProblem = (code: ErrorCode<'media'>) => new ValidationError([{ field: 'file', code }], 'media');

/**
 * Checks an upload by its bytes and makes what is stored from it. Images (JPEG, PNG, WebP) are
 * decoded, turned upright by their EXIF orientation and re-encoded to WebP in the widths of
 * `variantWidths` that they reach, with every piece of metadata (EXIF, GPS, XMP, IPTC, ICC)
 * left behind. PDFs are kept as they are once they look like a whole PDF.
 *
 * Throws a ValidationError on `file`: fileMissing (empty), fileTooLarge (over 10 MB), fileType
 * (anything else, whatever its name says), fileUnreadable (the right type but it does not decode).
 */
export async function processUpload(bytes: Uint8Array): Promise<ProcessedUpload> {
	if (bytes.byteLength === 0) throw fileProblem('fileMissing');
	if (bytes.byteLength > maxUploadBytes) throw fileProblem('fileTooLarge');
	const detected = await fileTypeFromBuffer(bytes);
	const mime = detected?.mime as string | undefined;
	if (!mime || !(acceptedTypes as readonly string[]).includes(mime)) throw fileProblem('fileType');
	if (mime === 'application/pdf') return { kind: 'document', mime, bytes: checkPdf(bytes) };
	return {
		kind: 'image',
		mime: mime as Exclude<AcceptedType, 'application/pdf'>,
		...(await reencode(bytes))
	};
}

/** A PDF starts with `%PDF-` and ends with `%%EOF` in its last kilobyte (a cut-off upload does not). */
function checkPdf(bytes: Uint8Array): Uint8Array {
	const head = Buffer.from(bytes.subarray(0, 5)).toString('latin1');
	if (head !== '%PDF-') throw fileProblem('fileType');
	const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.byteLength - 1024))).toString('latin1');
	if (!tail.includes('%%EOF')) throw fileProblem('fileUnreadable');
	return bytes;
}

async function reencode(
	bytes: Uint8Array
): Promise<{ width: number; height: number; variants: ImageVariant[] }> {
	// A cut-off file is refused, mere warnings are not (many cameras write slightly odd files).
	const input = () => sharp(bytes, { failOn: 'truncated', limitInputPixels: maxInputPixels, pages: 1 });
	try {
		const meta = await input().metadata();
		if (!meta.width || !meta.height) throw fileProblem('fileUnreadable');
		if (meta.width * meta.height > maxInputPixels) throw fileProblem('fileUnreadable');
		const byWidth = new Map<number, ImageVariant>();
		for (const wanted of variantWidths) {
			const { data, info } = await input()
				.autoOrient()
				.resize({ width: wanted, withoutEnlargement: true })
				// No withMetadata()/keepMetadata(): sharp leaves all metadata out and converts to sRGB.
				.webp({ quality: 80 })
				.toBuffer({ resolveWithObject: true });
			if (!byWidth.has(info.width)) {
				byWidth.set(info.width, { width: info.width, height: info.height, bytes: new Uint8Array(data) });
			}
		}
		const variants = [...byWidth.values()].sort((a, b) => a.width - b.width);
		const largest = variants.at(-1)!;
		return { width: largest.width, height: largest.height, variants };
	} catch (error) {
		if (error instanceof ValidationError) throw error;
		// libvips could not decode it: damaged, cut off, or too many pixels.
		throw fileProblem('fileUnreadable');
	}
}

const extensions: Record<AcceptedType, string> = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/webp': 'webp',
	'application/pdf': 'pdf'
};

/**
 * A safe download name from what the uploader called the file: the last path part, letters
 * without accents (å → a), lowercase, runs of anything else made one hyphen, the extension of
 * the type found in the bytes, at most 100 characters. "../Årsrapport 2024 (slutlig).PDF" →
 * "arsrapport-2024-slutlig.pdf". A name with nothing left becomes "file.<ext>".
 */
export function safeFileName(original: string, mime: AcceptedType): string {
	const ext = extensions[mime];
	const last = original.split(/[/\\]/).pop() ?? '';
	const stem = last.includes('.') ? last.slice(0, last.lastIndexOf('.')) : last;
	const cleaned = stem
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/æ/gi, 'ae')
		.replace(/[øØ]/g, 'o')
		.replace(/ß/g, 'ss')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, maxFileNameLength - ext.length - 1)
		.replace(/-+$/, '');
	return `${cleaned || 'file'}.${ext}`;
}
