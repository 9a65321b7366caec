import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequest } from '@sveltejs/kit/node';
import { inUploadTurn, textFieldsOf, uploadCounts, uploadsAtOnce, type TextOnly } from './admission.ts';

// A real HTTP server turning requests into web Requests as adapter-node does, so "the body waits
// in the connection" is measured on a real socket.
const bodyBytes = 4 * 1024 * 1024;
const gates = new Map<string, () => void>();
const arrived = new Map<string, http.IncomingMessage>();
const started: string[] = [];
let server: http.Server;
let base: string;

function hold(id: string): Promise<void> {
	return new Promise((resolve) => gates.set(id, resolve));
}

async function until(check: () => boolean) {
	while (!check()) await new Promise((r) => setTimeout(r, 2));
}

beforeAll(async () => {
	server = http.createServer(async (req, res) => {
		const url = new URL(req.url!, 'http://test');
		const id = url.searchParams.get('id')!;
		arrived.set(id, req);
		const request = await getRequest({ request: req, base: 'http://test', bodySizeLimit: 16 * 1024 * 1024 });
		const answer = await inUploadTurn(
			request,
			async () => {
				started.push(id);
				const body = await request.arrayBuffer();
				if (url.searchParams.has('fail')) throw new Error('the upload failed');
				if (url.searchParams.has('hold')) await hold(id);
				return `read ${body.byteLength}`;
			},
			async (sent) => `busy ${shown(sent)}`,
			Number(url.searchParams.get('wait') ?? 60_000)
		).catch((e: Error) => e.message);
		res.end(answer);
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

/** A form read without its files, as text: its fields and the file fields that carried bytes. */
const shown = (sent: TextOnly) =>
	JSON.stringify({ fields: Object.fromEntries(sent.form), files: [...sent.files] });

const post = (query: string) =>
	fetch(`${base}/?${query}`, { method: 'POST', body: new Uint8Array(bodyBytes).fill(7) }).then(async (r) => ({
		status: r.status,
		text: await r.text()
	}));

describe('upload turns', () => {
	it('reads two upload bodies at once; a third waits with its body unread, then gets its turn whole', async () => {
		expect(uploadsAtOnce).toBe(2);
		const first = post('id=a&hold');
		const second = post('id=b&hold');
		await until(() => gates.has('a') && gates.has('b'));
		const third = post('id=c');
		await until(() => uploadCounts().waiting === 1 || started.length > 2);
		expect(uploadCounts()).toEqual({ active: 2, waiting: 1 });
		expect(started).toEqual(['a', 'b']);
		// Of the 4 MB the client is sending, the process has taken in at most one read's worth: the
		// rest waits in the socket buffers, not in memory.
		expect(arrived.get('c')!.socket.bytesRead).toBeLessThan(1024 * 1024);

		gates.get('a')!();
		expect(await third).toEqual({ status: 200, text: `read ${bodyBytes}` });
		gates.get('b')!();
		expect(await first).toEqual({ status: 200, text: `read ${bodyBytes}` });
		expect(await second).toEqual({ status: 200, text: `read ${bodyBytes}` });
		expect(started).toEqual(['a', 'b', 'c']);
		expect(uploadCounts()).toEqual({ active: 0, waiting: 0 });
	});

	it('answers busy when no turn comes within the wait, after taking the whole body, and the line moves on', async () => {
		started.length = 0;
		const first = post('id=d&hold');
		const second = post('id=e&hold');
		await until(() => gates.has('d') && gates.has('e'));
		// The client gets the answer (it has sent its whole form), and no work was started for it.
		expect(await post('id=f&wait=50')).toEqual({ status: 200, text: 'busy {"fields":{},"files":[]}' });
		expect(arrived.get('f')!.socket.bytesRead).toBeGreaterThan(bodyBytes);
		expect(uploadCounts()).toEqual({ active: 2, waiting: 0 });
		gates.get('d')!();
		gates.get('e')!();
		await Promise.all([first, second]);
		expect(await post('id=g')).toEqual({ status: 200, text: `read ${bodyBytes}` });
		expect(started).toEqual(['d', 'e', 'g']);
	});

	it('keeps a busy form’s text fields, typed around a 4 MB photo, and drops the photo unread', async () => {
		const first = post('id=l&hold');
		const second = post('id=m&hold');
		await until(() => gates.has('l') && gates.has('m'));
		const busy = await fetch(`${base}/?id=n&wait=50`, { method: 'POST', body: proposalForm(bodyBytes) });
		expect(await busy.text()).toBe(`busy ${JSON.stringify(typed)}`);
		gates.get('l')!();
		gates.get('m')!();
		await Promise.all([first, second]);
	});

	it('gives the turn back when the upload fails', async () => {
		const failures = await Promise.all([post('id=h&fail'), post('id=i&fail'), post('id=j&fail')]);
		expect(failures.map((f) => f.text)).toEqual([
			'the upload failed',
			'the upload failed',
			'the upload failed'
		]);
		expect(uploadCounts()).toEqual({ active: 0, waiting: 0 });
		expect(await post('id=k')).toEqual({ status: 200, text: `read ${bodyBytes}` });
	});
});

/** What a participant typed, as the busy answer shows it. */
const typed = {
	fields: {
		proposalTitle: 'Tak över cykelställen',
		proposalBody: 'Rad ett\r\nRad två – med å, ä och ö; "citat" och --gränser-- i texten.',
		proposalPlace: '',
		proposalPhotoAlt: 'Cyklar i regn'
	},
	files: ['proposalPhoto']
};

/** The proposal form as a browser sends it: text, a photo of `size` bytes, its alt text, an empty file field. */
function proposalForm(size: number): FormData {
	const form = new FormData();
	form.set('proposalTitle', typed.fields.proposalTitle);
	form.set('proposalBody', typed.fields.proposalBody);
	form.set('proposalPlace', '');
	form.set(
		'proposalPhoto',
		new File([new Uint8Array(size).fill(45)], 'stor "bild".jpg', { type: 'image/jpeg' })
	);
	form.set('proposalPhotoAlt', typed.fields.proposalPhotoAlt);
	form.set('other', new File([], ''));
	return form;
}

describe('a form read without its files', () => {
	it('finds every text field wherever the chunks split the boundaries', async () => {
		const sent = new Request('http://test/', { method: 'POST', body: proposalForm(70_000) });
		const bytes = new Uint8Array(await sent.arrayBuffer());
		for (const size of [1, 7, 64, 4096, bytes.length]) {
			const body = new ReadableStream<Uint8Array>({
				start(controller) {
					for (let at = 0; at < bytes.length; at += size) controller.enqueue(bytes.slice(at, at + size));
					controller.close();
				}
			});
			const request = new Request('http://test/', {
				method: 'POST',
				headers: { 'content-type': sent.headers.get('content-type')! },
				body,
				duplex: 'half'
			} as RequestInit);
			expect(shown(await textFieldsOf(request)), `chunks of ${size}`).toBe(JSON.stringify(typed));
		}
	});

	it('keeps nothing of a body that is no multipart form, and reads it to its end', async () => {
		const request = new Request('http://test/', { method: 'POST', body: 'proposalTitle=Hej' });
		expect(shown(await textFieldsOf(request))).toBe('{"fields":{},"files":[]}');
		expect(request.bodyUsed).toBe(true);
	});
});
