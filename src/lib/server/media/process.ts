import sharp from 'sharp';
import { fileTypeFromBlob } from 'file-type';
import { config } from '../kernel/config.ts';
import { ValidationError, type ErrorCode, type FieldProblem } from '../kernel/errors.ts';
import { maxFileNameLength } from '#lib/media-urls.ts';
import type { MediaKind } from './schema.ts';

/** The largest upload: 10 MB (MiB, as the message says "10 MB" and browsers count so). */
export const maxUploadBytes = 10 * 1024 * 1024;

/** The widths (px) images are served in; an image narrower than one is never enlarged. */
export const variantWidths = [320, 640, 960, 1600] as const;

/**
 * Pixels an image may have before it is decoded (MEDIA_MAX_MEGAPIXELS, 100 million by default). A
 * small file can hold a huge image (a "decompression bomb"); sharp's own limit (268 million) would
 * let one use gigabytes.
 */
export const maxInputPixels = config().media.maxPixels;

// libvips keeps recent operations and their pixels (up to 50 MB) for reuse; an upload is decoded
// once, so that memory would only add to the peak. One libvips thread per image: more did not make
// a 60-megapixel JPEG faster on 2 cores, and each holds its own buffers.
sharp.cache(false);
sharp.concurrency(1);

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

/** How much of an image is read to find its size before it waits for its turn. */
const headerBytes = 512 * 1024;

const fileProblem = (code: ErrorCode<'media'>) => new ValidationError([{ field: 'file', code }], 'media');

/** Too many pixels: the message names the image's size and the limit (`{width}`, `{megapixels}` …). */
function tooManyPixels(width: number, height: number): ValidationError<'media'> {
	const problem: FieldProblem<'media'> = {
		field: 'file',
		code: 'imageTooLarge',
		params: {
			width,
			height,
			// Rounded up, so an image just over the limit never reads as being at it.
			megapixels: Math.ceil((width * height) / 1_000_000),
			limit: Math.floor(maxInputPixels / 1_000_000)
		}
	};
	return new ValidationError([problem], 'media');
}

/**
 * Decoding takes turns: one image at a time in this process, in the order they came, so ten large
 * uploads at once cost the memory of one decode, not ten. What waits is only its bytes.
 */
let queueTail: Promise<void> = Promise.resolve();
let queued = 0;

/** Runs `work` when the decoder's turn comes, after everything queued before it has settled. */
export function inDecoderTurn<T>(work: () => Promise<T>): Promise<T> {
	queued++;
	const run = queueTail.then(work);
	const settled = run.then(
		() => void queued--,
		() => void queued--
	);
	queueTail = settled;
	return run;
}

/** Images being decoded or waiting for their turn in this process. */
export function imagesInQueue(): number {
	return queued;
}

/**
 * Checks an upload by its bytes and makes what is stored from it. Images (JPEG, PNG, WebP) are
 * decoded, turned upright by their EXIF orientation and re-encoded to WebP in the widths of
 * `variantWidths` that they reach, with every piece of metadata (EXIF, GPS, XMP, IPTC, ICC)
 * left behind. PDFs are kept as they are once they look like a whole PDF.
 *
 * Throws a ValidationError on `file`: fileMissing (empty), fileTooLarge (over 10 MB), fileType
 * (anything else, whatever its name says), imageTooLarge (more pixels than MEDIA_MAX_MEGAPIXELS,
 * found in the header before decoding), fileUnreadable (the right type but it does not decode).
 */
export async function processUpload(upload: Uint8Array | Blob): Promise<ProcessedUpload> {
	// A Blob (the form's File) is read whole only when its turn comes: ten uploads waiting for the
	// decoder then hold one copy of their bytes each, not two.
	const file = upload instanceof Blob ? upload : new Blob([upload as Uint8Array<ArrayBuffer>]);
	if (file.size === 0) throw fileProblem('fileMissing');
	if (file.size > maxUploadBytes) throw fileProblem('fileTooLarge');
	const detected = await fileTypeFromBlob(file);
	const mime = detected?.mime as string | undefined;
	if (!mime || !(acceptedTypes as readonly string[]).includes(mime)) throw fileProblem('fileType');
	if (mime === 'application/pdf') return { kind: 'document', mime, bytes: checkPdf(await bytesOf(file)) };
	return {
		kind: 'image',
		mime: mime as Exclude<AcceptedType, 'application/pdf'>,
		...(await reencode(file))
	};
}

const bytesOf = async (file: Blob) => new Uint8Array(await file.arrayBuffer());

/** A PDF starts with `%PDF-` and ends with `%%EOF` in its last kilobyte (a cut-off upload does not). */
function checkPdf(bytes: Uint8Array): Uint8Array {
	const head = Buffer.from(bytes.subarray(0, 5)).toString('latin1');
	if (head !== '%PDF-') throw fileProblem('fileType');
	const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.byteLength - 1024))).toString('latin1');
	if (!tail.includes('%%EOF')) throw fileProblem('fileUnreadable');
	return bytes;
}

async function reencode(file: Blob): Promise<{ width: number; height: number; variants: ImageVariant[] }> {
	// A cut-off file is refused, mere warnings are not (many cameras write slightly odd files).
	// The limit stays on the decode too, so a header that lies about its size cannot get past.
	const options = { failOn: 'truncated', limitInputPixels: maxInputPixels, pages: 1 } as const;
	// The header only (without the limit, which would refuse before saying the size): it is in
	// the first kilobytes, after at most a few 64 KB blocks of EXIF and colour profile in a JPEG.
	const header = (bytes: Uint8Array) => sharp(bytes, { ...options, limitInputPixels: false }).metadata();
	const checkSize = (meta: { width?: number; height?: number }) => {
		if (!meta.width || !meta.height) throw fileProblem('fileUnreadable');
		if (meta.width * meta.height > maxInputPixels) throw tooManyPixels(meta.width, meta.height);
	};
	try {
		const early = await header(await bytesOf(file.slice(0, headerBytes))).catch(() => null);
		if (early) checkSize(early);
		return await inDecoderTurn(async () => {
			const bytes = await bytesOf(file);
			try {
				return await variantsOf(bytes, early);
			} finally {
				// The upload's copy (up to 10 MB) is given back now, not when a collection finds it:
				// ten large photos at once otherwise left up to 60 MB of them waiting (RSS 343–402 MB).
				bytes.buffer.transfer(0);
			}
		});
	} catch (error) {
		if (error instanceof ValidationError) throw error;
		// libvips could not decode it: damaged, cut off, or too many pixels.
		throw fileProblem('fileUnreadable');
	}

	async function variantsOf(bytes: Uint8Array, early: object | null) {
		if (!early) checkSize(await header(bytes));
		// Decoded once, upright and at most as wide as the widest variant (JPEG shrinks while
		// loading); the smaller widths are made from those pixels. About a third faster than
		// decoding the upload once per width, with the same output.
		// No withMetadata()/keepMetadata(): sharp leaves all metadata out and converts to sRGB.
		const widest = variantWidths.at(-1)!;
		const { data, info } = await sharp(bytes, options)
			.autoOrient()
			.resize({ width: widest, withoutEnlargement: true })
			.raw({ depth: 'uchar' })
			.toBuffer({ resolveWithObject: true });
		const pixels = { raw: { width: info.width, height: info.height, channels: info.channels } };
		const byWidth = new Map<number, ImageVariant>();
		for (const wanted of variantWidths) {
			const variant = await sharp(data, pixels)
				.resize({ width: wanted, withoutEnlargement: true })
				.webp({ quality: 80 })
				.toBuffer({ resolveWithObject: true });
			const { width, height } = variant.info;
			if (!byWidth.has(width)) byWidth.set(width, { width, height, bytes: new Uint8Array(variant.data) });
		}
		const variants = [...byWidth.values()].sort((a, b) => a.width - b.width);
		const largest = variants.at(-1)!;
		return { width: largest.width, height: largest.height, variants };
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
