import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small reverse proxy for the multi-instance tests, behaving as the nginx set-up in the
 * operations guide does: round robin over the upstreams, a new connection for each request, the
 * request body buffered first, and on a connection failure (refused, or reset before any byte of
 * the answer) the same request sent to the next upstream (nginx's `proxy_next_upstream error`).
 * It appends the client's address to X-Forwarded-For and sets X-Forwarded-Proto.
 */

export interface ReverseProxy {
	port: number;
	/** http://127.0.0.1:<port> */
	url: string;
	/** Answers delivered from each upstream, by index. */
	hits: number[];
	/** Pins every request to upstream `index` (no fall-over); undefined goes back to round robin. */
	use(index: number | undefined): void;
	close(): Promise<void>;
}

// Hop-by-hop headers belong to one connection, not to the message (RFC 9110, 7.6.1).
const hopByHop = new Set([
	'connection',
	'keep-alive',
	'proxy-connection',
	'transfer-encoding',
	'te',
	'trailer',
	'upgrade'
]);

export async function startReverseProxy(upstreams: string[]): Promise<ReverseProxy> {
	if (upstreams.length === 0) throw new Error('startReverseProxy needs at least one upstream');
	const targets = upstreams.map((u) => new URL(u));
	const hits = upstreams.map(() => 0);
	let next = 0;
	let pinned: number | undefined;
	const open = new Set<import('node:net').Socket>();

	/** Sends one buffered request to one upstream: resolves with its answer, rejects if none came. */
	const forward = (
		index: number,
		req: http.IncomingMessage,
		headers: http.OutgoingHttpHeaders,
		body: Buffer
	) =>
		new Promise<http.IncomingMessage>((resolve, reject) => {
			const target = targets[index]!;
			const out = http.request({
				host: target.hostname,
				port: target.port,
				method: req.method,
				path: req.url,
				headers,
				agent: false
			});
			out.once('response', resolve);
			out.once('error', reject);
			out.end(body);
		});

	const server = http.createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		try {
			for await (const c of req) chunks.push(c as Buffer);
		} catch {
			// The client went away while sending: there is no one to answer.
			res.destroy();
			return;
		}
		const body = Buffer.concat(chunks);
		const headers: http.OutgoingHttpHeaders = {};
		for (const [name, value] of Object.entries(req.headers)) {
			if (!hopByHop.has(name) && value !== undefined) headers[name] = value;
		}
		const previous = req.headers['x-forwarded-for'];
		const client = req.socket.remoteAddress ?? '';
		headers['x-forwarded-for'] = previous ? `${previous}, ${client}` : client;
		headers['x-forwarded-proto'] = 'http';
		headers['content-length'] = String(body.length);
		headers.connection = 'close';

		const order = pinned !== undefined ? [pinned] : targets.map((_, i) => (next + i) % targets.length);
		if (pinned === undefined) next = (next + 1) % targets.length;
		for (const index of order) {
			let answer: http.IncomingMessage;
			try {
				answer = await forward(index, req, headers, body);
			} catch {
				// Nothing of an answer came back: the request may go to the next upstream.
				continue;
			}
			hits[index]!++;
			const out: http.OutgoingHttpHeaders = {};
			for (const [name, value] of Object.entries(answer.headers)) {
				if (!hopByHop.has(name) && value !== undefined) out[name] = value;
			}
			res.writeHead(answer.statusCode ?? 502, answer.statusMessage, out);
			answer.pipe(res);
			answer.once('error', () => res.destroy());
			return;
		}
		res.writeHead(502, { 'content-type': 'text/plain' });
		res.end('Bad gateway: no upstream answered');
	});
	server.on('connection', (s) => {
		open.add(s);
		s.once('close', () => open.delete(s));
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const port = (server.address() as AddressInfo).port;
	return {
		port,
		url: `http://127.0.0.1:${port}`,
		hits,
		use(index) {
			if (index !== undefined && !(index >= 0 && index < targets.length)) {
				throw new Error(`No upstream ${index}`);
			}
			pinned = index;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				for (const s of open) s.destroy();
			})
	};
}
