import sharp from 'sharp';
import { crc32, deflateSync } from 'node:zlib';

/** Bytes the tests upload, made for real: images by sharp itself, a PDF written by hand. */

/** A JPEG photo with a camera's metadata: make, owner, GPS position, and "turn 90°" (EXIF 6). */
export async function jpegWithGps(width = 1200, height = 800): Promise<Buffer> {
	return sharp({ create: { width, height, channels: 3, background: { r: 180, g: 40, b: 40 } } })
		.jpeg({ quality: 90 })
		.withMetadata({ orientation: 6 })
		.withExif({
			IFD0: { Make: 'Testkamera', Copyright: 'Hemlig fotograf' },
			IFD3: {
				GPSLatitudeRef: 'N',
				GPSLatitude: '59/1 19/1 4500/100',
				GPSLongitudeRef: 'E',
				GPSLongitude: '18/1 4/1 0/1'
			}
		})
		.toBuffer();
}

export async function png(width: number, height: number): Promise<Buffer> {
	return sharp({ create: { width, height, channels: 4, background: { r: 10, g: 90, b: 160, alpha: 0.5 } } })
		.png()
		.toBuffer();
}

export async function webp(width: number, height: number): Promise<Buffer> {
	return sharp({ create: { width, height, channels: 3, background: '#2a7' } })
		.webp()
		.toBuffer();
}

export async function gif(): Promise<Buffer> {
	return sharp({ create: { width: 20, height: 20, channels: 3, background: '#fff' } })
		.gif()
		.toBuffer();
}

/**
 * A real one-page PDF ("Årsrapport"), with a correct cross-reference table: opens in any reader.
 */
export function tinyPdf(text = 'Arsrapport 2024'): Buffer {
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		null,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
	];
	const stream = `BT /F1 18 Tf 20 70 Td (${text}) Tj ET`;
	objects[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
	let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
	const offsets: number[] = [];
	objects.forEach((object, i) => {
		offsets.push(Buffer.byteLength(body, 'latin1'));
		body += `${i + 1} 0 obj\n${object}\nendobj\n`;
	});
	const xref = Buffer.byteLength(body, 'latin1');
	body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
	body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(body, 'latin1');
}

/** Plain text that someone named "semester.jpg". */
export const textNamedJpg = Buffer.from('Det här är ingen bild, bara text med fel filändelse.\n'.repeat(20));

/**
 * A whole, valid black-and-white PNG of any size, written by hand: one bit a pixel compresses to
 * almost nothing, so a 120-megapixel "decompression bomb" is made in milliseconds (sharp takes
 * seconds to encode one).
 */
export function blackAndWhitePng(width: number, height: number): Buffer {
	const chunk = (type: string, data: Buffer) => {
		const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
		const length = Buffer.alloc(4);
		length.writeUInt32BE(data.length);
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(typed));
		return Buffer.concat([length, typed, crc]);
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter method, no interlace
	// Each row: filter byte 0, then the bits (all zero: black).
	const rows = Buffer.alloc((1 + Math.ceil(width / 8)) * height);
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(rows, { level: 1 })),
		chunk('IEND', Buffer.alloc(0))
	]);
}
