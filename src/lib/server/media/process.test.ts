import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { ValidationError } from '../kernel/errors.ts';
import { problemsIn } from '../kernel/http.ts';
import {
	imagesInQueue,
	inDecoderTurn,
	maxInputPixels,
	maxUploadBytes,
	processUpload,
	safeFileName
} from './process.ts';
import { blackAndWhitePng, gif, jpegWithGps, png, textNamedJpg, tinyPdf, webp } from './test-files.ts';

async function refusal(bytes: Uint8Array): Promise<string> {
	try {
		await processUpload(bytes);
	} catch (error) {
		expect(error).toBeInstanceOf(ValidationError);
		const { problems } = error as ValidationError;
		expect(problems).toHaveLength(1);
		expect(problems[0]!.field).toBe('file');
		return problems[0]!.code;
	}
	throw new Error('The upload was accepted');
}

describe('processing an upload', () => {
	it('turns a photo upright, strips its EXIF and GPS, and makes every width it reaches', async () => {
		const photo = await jpegWithGps(1200, 800);
		const before = await sharp(photo).metadata();
		// The fixture really carries what must go: a camera make, an owner, a GPS block (tag 0x8825).
		expect(before.orientation).toBe(6);
		expect(before.exif?.includes('Testkamera')).toBe(true);
		expect(before.exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true);

		const result = await processUpload(photo);
		if (result.kind !== 'image') throw new Error('not an image');
		expect(result.mime).toBe('image/jpeg');
		// 1200 × 800 turned 90°: 800 wide, so 1600 would be an enlargement and 800 is the largest.
		expect(result.variants.map((v) => v.width)).toEqual([320, 640, 800]);
		expect([result.width, result.height]).toEqual([800, 1200]);
		for (const variant of result.variants) {
			const meta = await sharp(variant.bytes).metadata();
			expect(meta.format).toBe('webp');
			expect([meta.width, meta.height]).toEqual([variant.width, variant.height]);
			expect(meta.height).toBeGreaterThan(meta.width!);
			expect(meta.exif).toBeUndefined();
			expect(meta.xmp).toBeUndefined();
			expect(meta.iptc).toBeUndefined();
			expect(meta.icc).toBeUndefined();
			expect(meta.orientation).toBeUndefined();
			expect(Buffer.from(variant.bytes).includes('Testkamera')).toBe(false);
			expect(Buffer.from(variant.bytes).includes('Hemlig')).toBe(false);
		}
	});

	it('makes all four widths of a large image and never enlarges a small one', async () => {
		const large = await processUpload(await png(2400, 1200));
		expect(large.kind === 'image' && large.variants.map((v) => v.width)).toEqual([320, 640, 960, 1600]);
		expect(large.kind === 'image' && [large.width, large.height]).toEqual([1600, 800]);
		const small = await processUpload(await png(150, 90));
		expect(small.kind === 'image' && small.variants.map((v) => v.width)).toEqual([150]);
		expect(small.kind === 'image' && [small.width, small.height]).toEqual([150, 90]);
		const exact = await processUpload(await webp(640, 480));
		expect(exact.kind === 'image' && exact.mime).toBe('image/webp');
		expect(exact.kind === 'image' && exact.variants.map((v) => v.width)).toEqual([320, 640]);
	});

	it('keeps a PDF byte for byte', async () => {
		const pdf = tinyPdf();
		const result = await processUpload(pdf);
		expect(result.kind).toBe('document');
		expect(result.kind === 'document' && Buffer.from(result.bytes).equals(pdf)).toBe(true);
	});

	it('decides the type by the bytes: text called .jpg, a GIF, an SVG and an HTML page are refused', async () => {
		expect(await refusal(textNamedJpg)).toBe('fileType');
		expect(await refusal(await gif())).toBe('fileType');
		expect(
			await refusal(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))
		).toBe('fileType');
		expect(await refusal(Buffer.from('<!doctype html><html><body>hej</body></html>'))).toBe('fileType');
	});

	it('refuses an empty file, and one over 10 MB before looking inside', async () => {
		expect(await refusal(new Uint8Array(0))).toBe('fileMissing');
		const big = Buffer.alloc(maxUploadBytes + 1);
		tinyPdf().copy(big);
		expect(await refusal(big)).toBe('fileTooLarge');
		// Exactly 10 MB is allowed: a PDF padded to the limit still ends in %%EOF.
		const pdf = tinyPdf();
		const atLimit = Buffer.alloc(maxUploadBytes, 0x20);
		pdf.copy(atLimit);
		Buffer.from('\n%%EOF\n').copy(atLimit, maxUploadBytes - 7);
		expect((await processUpload(atLimit)).kind).toBe('document');
	});

	it('calls a file of the right type that does not decode unreadable', async () => {
		const photo = await jpegWithGps(600, 400);
		expect(await refusal(photo.subarray(0, Math.floor(photo.length / 2)))).toBe('fileUnreadable');
		const image = await png(300, 300);
		expect(await refusal(image.subarray(0, 60))).toBe('fileUnreadable');
		// A PDF cut off before its end.
		const pdf = tinyPdf();
		expect(await refusal(pdf.subarray(0, pdf.length - 40))).toBe('fileUnreadable');
	});

	it('refuses an image with more pixels than the limit from its header, naming its size and the limit', async () => {
		// 120 megapixels in 64 KB: a decompression bomb.
		const bomb = blackAndWhitePng(12000, 10000);
		expect(bomb.length).toBeLessThan(maxUploadBytes);
		expect(maxInputPixels).toBe(100_000_000);
		// Refused from the header, without waiting for the decoder (decoding 120 million pixels would
		// take seconds and 360 MB): it is answered while another image holds the decoder's turn.
		let release!: () => void;
		const held = inDecoderTurn(() => new Promise<void>((r) => (release = r)));
		const error = await processUpload(bomb).then(
			() => null,
			(e: unknown) => e
		);
		expect(imagesInQueue()).toBe(1);
		release();
		await held;
		expect(error).toBeInstanceOf(ValidationError);
		const [problem] = (error as ValidationError).problems;
		expect(problem).toEqual({
			field: 'file',
			code: 'imageTooLarge',
			params: { width: 12000, height: 10000, megapixels: 120, limit: 100 }
		});
		// As the upload form shows it, with the numbers written the reader's way.
		expect(problemsIn(error as ValidationError, 'en')[0]!.message).toBe(
			'File: The image is 12,000 × 10,000 pixels (120 megapixels); the limit is 100 megapixels. Make it smaller and upload it again.'
		);
		expect(problemsIn(error as ValidationError, 'sv')[0]!.message).toBe(
			'Fil: Bilden är 12\u00a0000 × 10\u00a0000 pixlar (120 megapixlar); gränsen är 100 megapixlar. Gör den mindre och ladda upp den igen.'
		);
	});

	it('decodes one image at a time: a small upload waits for the large one before it', async () => {
		// Proved by the order of events, not by timing: the turn is held while both uploads queue up.
		const large = blackAndWhitePng(4000, 3000);
		const small = await png(200, 100);
		const events: string[] = [];
		const waitForQueue = async (length: number) => {
			// (Something finished while the turn was held: the queue is broken, the check below says so.)
			while (imagesInQueue() < length && events.length === 0) await new Promise((r) => setTimeout(r, 1));
		};
		let releaseFirst!: () => void;
		const first = inDecoderTurn(() => new Promise<void>((r) => (releaseFirst = r)));
		const largeDone = processUpload(large).then(() => events.push('large done'));
		await waitForQueue(2);
		// A turn between the two: it runs only once the large one has left the queue (2 left: itself
		// and the small one), and the small one's turn comes only after it.
		const between = inDecoderTurn(async () => void events.push(`between: ${imagesInQueue()} in queue`));
		const smallDone = processUpload(small).then(() => events.push('small done'));
		await waitForQueue(4);
		// Both have read their headers and wait: neither has been decoded while the turn is held.
		expect(events).toEqual([]);
		releaseFirst();
		await Promise.all([first, largeDone, between, smallDone]);
		// Which of the first two is written first depends only on promise bookkeeping, not on speed.
		expect(events.slice(0, 2).sort()).toEqual(['between: 2 in queue', 'large done']);
		expect(events[2]).toBe('small done');
		expect(imagesInQueue()).toBe(0);
	});
});

describe('safe file names', () => {
	it.each([
		['Årsrapport 2024 (slutlig).PDF', 'application/pdf', 'arsrapport-2024-slutlig.pdf'],
		['../../etc/passwd', 'application/pdf', 'passwd.pdf'],
		['C:\\Users\\Öberg\\Mötesanteckningar.pdf', 'application/pdf', 'motesanteckningar.pdf'],
		['semester.jpg', 'image/png', 'semester.png'],
		['.htaccess', 'application/pdf', 'file.pdf'],
		['ÆØß—„“', 'image/jpeg', 'aeoss.jpg'],
		['', 'image/webp', 'file.webp'],
		['rapport.pdf.exe', 'application/pdf', 'rapport-pdf.pdf'],
		['rapport<script>alert(1)<script>.pdf', 'application/pdf', 'rapport-script-alert-1-script.pdf'],
		['<b>x</b>.pdf', 'application/pdf', 'b.pdf']
	] as const)('%s → %s', (original, mime, expected) => {
		expect(safeFileName(original, mime)).toBe(expected);
	});

	it('is at most 100 characters and still ends in the type', () => {
		const name = safeFileName(`${'lång-'.repeat(60)}.pdf`, 'application/pdf');
		expect(name.length).toBeLessThanOrEqual(100);
		expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*\.pdf$/);
	});
});
