import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequest } from '@sveltejs/kit/node';
import { inUploadTurn, uploadCounts, uploadsAtOnce } from './admission.ts';

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
			async () => 'busy',
			Number(url.searchParams.get('wait') ?? 60_000)
		).catch((e: Error) => e.message);
		res.end(answer);
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

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
		expect(await post('id=f&wait=50')).toEqual({ status: 200, text: 'busy' });
		expect(arrived.get('f')!.socket.bytesRead).toBeGreaterThan(bodyBytes);
		expect(uploadCounts()).toEqual({ active: 2, waiting: 0 });
		gates.get('d')!();
		gates.get('e')!();
		await Promise.all([first, second]);
		expect(await post('id=g')).toEqual({ status: 200, text: `read ${bodyBytes}` });
		expect(started).toEqual(['d', 'e', 'g']);
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
