// WEB_CONCURRENCY above 1: this process forks that many workers (each runs worker.js and shares
// the port through node:cluster), replaces one that dies (waiting longer each time they die
// young, so a broken start does not spin), and on SIGTERM/SIGINT lets them drain and exits when
// they have. It never opens the database.
import cluster from 'node:cluster';
import client from 'prom-client';
import { logger } from '../../src/lib/server/kernel/logger.ts';
import { primaryMetrics } from './metrics.js';

/** A worker that dies sooner than this after its start counts as a crash in a loop. */
const youngMs = 10_000;
const maxPauseMs = 30_000;

/** @param {import('../../src/lib/server/kernel/config.ts').Config} settings */
export function runPrimary(settings) {
	const count = settings.webConcurrency;
	const registry = new client.Registry();
	new client.Gauge({
		name: 'partnerskap_workers',
		help: 'Worker processes running.',
		registers: [registry],
		collect() {
			this.set(Object.keys(cluster.workers ?? {}).length);
		}
	});
	const restarts = new client.Counter({
		name: 'partnerskap_worker_restarts_total',
		help: 'Workers started again after one died.',
		registers: [registry]
	});
	primaryMetrics(cluster, registry);

	let stopping = false;
	let exitCode = 0;
	/** @type {Map<number, { crashes: number, timer?: NodeJS.Timeout }>} */
	const slots = new Map();

	/** @param {number} slot */
	const fork = (slot) => {
		const state = slots.get(slot) ?? { crashes: 0 };
		slots.set(slot, state);
		state.timer = undefined;
		const startedAt = Date.now();
		const worker = cluster.fork({ PARTNERSKAP_WORKER_SLOT: String(slot) });
		worker.once('exit', (code, signal) => {
			if (stopping) {
				if (code !== 0) exitCode = 1;
				if (Object.keys(cluster.workers ?? {}).length === 0) finish();
				return;
			}
			state.crashes = Date.now() - startedAt < youngMs ? state.crashes + 1 : 0;
			const pauseMs = state.crashes === 0 ? 0 : Math.min(1000 * 2 ** (state.crashes - 1), maxPauseMs);
			logger[state.crashes > 1 ? 'error' : 'warn'](
				{ worker: slot, workerPid: worker.process.pid, code, signal, restartInMs: pauseMs },
				'A worker exited; starting another'
			);
			restarts.inc();
			state.timer = setTimeout(() => fork(slot), pauseMs);
		});
	};

	const finish = () => {
		logger.info({ exitCode }, 'All workers have stopped');
		process.exit(exitCode);
	};

	/** @param {NodeJS.Signals} signal */
	const stop = (signal) => {
		if (stopping) return;
		stopping = true;
		for (const state of slots.values()) clearTimeout(state.timer);
		const workers = Object.values(cluster.workers ?? {});
		logger.info({ signal, workers: workers.length }, 'Stopping: the workers finish the requests under way');
		if (workers.length === 0) finish();
		// A terminal's Ctrl-C reaches the workers too; a second signal changes nothing for them.
		for (const w of workers) w?.process.kill('SIGTERM');
		// Each worker bounds its own drain; this is for one that hangs past it.
		setTimeout(() => {
			logger.error('Workers still running after the shutdown deadline: killing them');
			for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
			exitCode = 1;
		}, settings.server.shutdownTimeoutMs + 5000).unref();
	};
	process.on('SIGTERM', () => stop('SIGTERM'));
	process.on('SIGINT', () => stop('SIGINT'));

	logger.info({ workers: count }, 'Starting workers');
	for (let slot = 1; slot <= count; slot++) fork(slot);
}
