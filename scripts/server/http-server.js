// The HTTP server of one process: the client's real address and protocol, /metrics, the render
// cache's fast path, SvelteKit's handler; request timeouts; a graceful stop.
import http from 'node:http';
import { clientAddress } from '../../src/lib/server/kernel/config.ts';
import { answerMetrics } from './metrics.js';
import { logger } from '../../src/lib/server/kernel/logger.ts';

/** The header better-auth and adapter-node's getClientAddress() read (see serve.js). */
export const addressHeader = 'x-client-ip';

/**
 * @typedef {object} ServerParts
 * @property {import('../../src/lib/server/kernel/config.ts').Config} settings
 * @property {(req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void} handler
 * @property {import('../../src/lib/server/kernel/bridge.ts').AppBridge} bridge
 * @property {(method: string, status: number, seconds: number, cached: boolean) => void} record
 * @property {() => Promise<string>} metricsText
 */

/** @param {ServerParts} parts */
export function createServer({ settings, handler, bridge, record, metricsText }) {
	const { trustProxy, metricsToken } = settings;
	const origin = settings.origin ? new URL(settings.origin) : undefined;
	const fixedOrigin = origin?.origin;
	// Node throws when the header limit exceeds the whole-request limit.
	const requestTimeout = settings.server.requestTimeoutMs;
	const headersTimeout = Math.min(settings.server.headersTimeoutMs, requestTimeout);
	/** Answers being written: on stop each is told to close its connection. */
	const inFlight = new Set();
	let stopping = false;

	const server = http.createServer(
		{
			headersTimeout,
			requestTimeout,
			// How often Node looks for connections past those limits (its default, 30 s, would let a
			// slow client hold a socket half a minute past the limit).
			connectionsCheckingInterval: Math.max(100, Math.min(1000, headersTimeout / 2))
		},
		(req, res) => {
			const started = performance.now();
			const url = req.url ?? '/';
			// A scrape is not traffic: it is left out of the counts.
			const scrape = metricsToken !== undefined && (url === '/metrics' || url.startsWith('/metrics?'));
			let cached = false;
			inFlight.add(res);
			res.once('finish', () => {
				inFlight.delete(res);
				if (!scrape)
					record(req.method ?? 'GET', res.statusCode, (performance.now() - started) / 1000, cached);
				// Its connection is idle now: let it go rather than wait for the client.
				if (stopping) setImmediate(() => server.closeIdleConnections());
			});
			res.once('close', () => inFlight.delete(res));
			if (stopping) res.setHeader('connection', 'close');

			const forwardedFor = req.headers['x-forwarded-for'];
			req.headers[addressHeader] = clientAddress(
				req.socket.remoteAddress ?? '',
				Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor,
				trustProxy
			);
			if (origin) {
				req.headers.host = origin.host;
				req.headers['x-forwarded-proto'] = origin.protocol.slice(0, -1);
			} else if (!trustProxy) {
				req.headers['x-forwarded-proto'] = 'encrypted' in req.socket ? 'https' : 'http';
			}

			if (scrape) {
				void answerMetrics(req, res, metricsToken, metricsText);
				return;
			}

			const at = fixedOrigin ?? originOf(req.headers);
			const answer = at ? bridge.cachedAnswer?.(req.method ?? 'GET', at, url, req.headers) : undefined;
			if (answer) {
				cached = true;
				res.writeHead(answer.status, answer.headers);
				res.end(answer.body ?? undefined);
				return;
			}
			handler(req, res, () => {
				res.statusCode = 404;
				res.end('Not found');
			});
		}
	);
	server.keepAliveTimeout = 65_000;

	/**
	 * Stops accepting, lets the answers being written finish, closes idle connections (and each busy
	 * one after its answer); resolves true when all are done, false when the deadline cut them.
	 * @param {number} deadlineMs
	 * @returns {Promise<boolean>}
	 */
	function stop(deadlineMs) {
		stopping = true;
		return new Promise((resolve) => {
			// A connection accepted just before the port closed may not have sent its request yet;
			// it counts as idle, so asking again lets it go instead of holding the exit to the deadline.
			const sweep = setInterval(() => server.closeIdleConnections(), 250);
			const timer = setTimeout(() => {
				clearInterval(sweep);
				server.closeAllConnections();
				resolve(false);
			}, deadlineMs);
			server.close(() => {
				clearTimeout(timer);
				clearInterval(sweep);
				resolve(true);
			});
			for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
			server.closeIdleConnections();
		});
	}

	return { server, stop };
}

/**
 * The origin adapter-node works out from the headers (protocol header, Host), or undefined when
 * it would refuse them: then the handler answers.
 * @param {http.IncomingHttpHeaders} headers
 */
function originOf(headers) {
	const protocol = headers['x-forwarded-proto'] ?? 'https';
	const host = headers.host;
	if (typeof protocol !== 'string' || !host || /[:%]/.test(protocol)) return undefined;
	return `${protocol}://${host}`;
}

/**
 * Listens once the app says it is ready; resolves when the port is open.
 * @param {http.Server} server
 * @param {number} port
 * @param {string} host
 */
export function listen(server, port, host) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			logger.info(`Listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`);
			resolve(undefined);
		});
	});
}
