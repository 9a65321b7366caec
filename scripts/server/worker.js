// One server process: loads the build, waits until the app has its database, and only then
// listens, so no client ever waits on a half-started instance. Stops gracefully on SIGTERM/SIGINT.
import cluster from 'node:cluster';
import { appBridge } from '../../src/lib/server/kernel/bridge.ts';
import { logger } from '../../src/lib/server/kernel/logger.ts';
import { addressHeader, createServer, listen } from './http-server.js';
import { processMetrics, workerMetrics } from './metrics.js';

/** @param {import('../../src/lib/server/kernel/config.ts').Config} settings */
export async function runServer(settings) {
	// adapter-node's own variables: the protocol header it trusts, and the body size limit.
	process.env.PROTOCOL_HEADER ??= 'x-forwarded-proto';
	// Media uploads may be 10 MB; the form around a file needs a little more than adapter-node's
	// default of 512K. Bodies over the limit are refused before they are read (set it to change).
	process.env.BODY_SIZE_LIMIT ??= '11M';
	// The client's address as the server works it out, in the header better-auth reads
	// (x-client-ip), replacing whatever a client sent under that name. adapter-node's
	// getClientAddress() reads it too, so the sign-in lockout, better-auth's limits and the addresses
	// of sessions and audit rows all count clients, not the proxy, on every path into the library.
	process.env.ADDRESS_HEADER = addressHeader;

	const bridge = appBridge();
	let ready = false;
	// The primary numbers its workers 1…n (a replacement keeps the number); alone, this is 1.
	const worker = Number(process.env.PARTNERSKAP_WORKER_SLOT ?? '1');
	const metrics = processMetrics({
		worker,
		stats: async () => (ready ? bridge.stats?.() : undefined)
	});
	const metricsText = cluster.isWorker ? workerMetrics(metrics.registry) : () => metrics.registry.metrics();

	// Nothing else holds the process open while it waits for the database (the app's retry timer
	// is unref'd so that it never keeps a stopping process alive).
	const waiting = setInterval(() => {}, 60_000);
	/** @type {ReturnType<typeof createServer> | undefined} */
	let server;
	let stopping = false;
	/** @param {NodeJS.Signals} signal */
	const stop = async (signal) => {
		if (stopping) return;
		stopping = true;
		const deadline = settings.server.shutdownTimeoutMs;
		const started = Date.now();
		logger.info({ signal }, 'Stopping: no new connections; finishing the requests under way');
		const finished = server ? await server.stop(deadline) : true;
		if (!finished)
			logger.warn({ deadlineMs: deadline }, 'Shutdown deadline passed: open connections were cut');
		// The app closes its database on this (hooks.server.ts).
		/** @type {(event: string, reason: string) => boolean} */ (process.emit).call(
			process,
			'sveltekit:shutdown',
			signal
		);
		process.exitCode = finished ? 0 : 1;
		clearInterval(waiting);
		// A worker's channel to the primary would hold it open; the primary sees the exit anyway.
		process.channel?.unref();
		// The process ends by itself once the pool is closed; this bounds the wait.
		setTimeout(() => process.exit(), Math.max(1000, deadline - (Date.now() - started))).unref();
	};
	process.on('SIGTERM', () => void stop('SIGTERM'));
	process.on('SIGINT', () => void stop('SIGINT'));

	// Importing the handler runs hooks.server.ts's top level (adapter-node awaits server.init(),
	// which loads the hooks): the database starts opening here, retried with back-off while away.
	const { handler } = await import(new URL('../../build/handler.js', import.meta.url).href);
	await bridge.ready;
	clearInterval(waiting);
	ready = true;
	if (stopping) return;
	server = createServer({ settings, handler, bridge, record: metrics.record, metricsText });
	try {
		await listen(server.server, settings.port, settings.host);
		metrics.listening();
	} catch (error) {
		logger.fatal({ err: error }, 'Could not listen');
		process.exit(1);
	}
}
