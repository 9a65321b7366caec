// Serves the production build (build/handler.js) over plain HTTP.
// adapter-node assumes https when it cannot tell the protocol, which makes SvelteKit's origin
// check refuse every form POST over http; so we say which protocol the connection really uses.
// Behind TLS-terminating proxies set TRUST_PROXY to how many there are: the proxy's
// X-Forwarded-Proto is kept, and the client's address is read from X-Forwarded-For that many hops
// from the right (README, "Behind a proxy").
// In production set ORIGIN (https://partnerskap.example.se): every request is then taken to be
// for that origin, so links in pages and feeds never come from a client's Host header.
import http from 'node:http';
import { clientAddress, config, startupProblem } from '../src/lib/server/kernel/config.ts';

// Checked before anything starts: a bad setting stops here with its name.
const settings = config();
const problem = startupProblem(settings);
if (problem) {
	console.error(problem);
	process.exit(1);
}
// adapter-node's own variables: the protocol header it trusts, and the body size limit.
process.env.PROTOCOL_HEADER ??= 'x-forwarded-proto';
// Media uploads may be 10 MB; the form around a file needs a little more than adapter-node's
// default of 512K. Bodies over the limit are refused before they are read (set it to change).
process.env.BODY_SIZE_LIMIT ??= '11M';
// The client's address as this server works it out (below), in the header better-auth reads
// (x-client-ip), replacing whatever a client sent under that name. adapter-node's
// getClientAddress() reads it too, so the sign-in lockout, better-auth's limits and the addresses
// of sessions and audit rows all count clients, not the proxy, on every path into the library.
const addressHeader = 'x-client-ip';
process.env.ADDRESS_HEADER = addressHeader;
const trustProxy = settings.trustProxy;
const origin = settings.origin ? new URL(settings.origin) : undefined;
// Resolved at run time: build/ exists only after `vite build`.
const { handler } = await import(new URL('../build/handler.js', import.meta.url).href);

const { port, host } = settings;

const server = http.createServer((req, res) => {
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
	handler(req, res, () => {
		res.statusCode = 404;
		res.end('Not found');
	});
});
server.keepAliveTimeout = 65_000;
server.listen(port, host, () => {
	console.log(
		JSON.stringify({
			level: 30,
			msg: `Listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`
		})
	);
});

let stopping = false;
function stop() {
	if (stopping) return;
	stopping = true;
	server.close(() => {
		// Lets the app close its database (hooks.server.ts listens for this).
		/** @type {(event: string, reason: string) => boolean} */ (process.emit).call(
			process,
			'sveltekit:shutdown',
			'SIGTERM'
		);
		setTimeout(() => process.exit(0), 500).unref();
	});
	server.closeIdleConnections();
	setTimeout(() => process.exit(0), 10_000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
