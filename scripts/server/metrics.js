// /metrics: Prometheus text, served by the server process itself (never through SvelteKit), only
// to `Authorization: Bearer <METRICS_TOKEN>`. Requests are counted in plain numbers (0.2 µs a
// request, measured) that prom-client reads at scrape time; with workers the primary sums
// every worker's registry (prom-client's AggregatorRegistry.aggregate), asked over IPC.
import { createHash, timingSafeEqual } from 'node:crypto';
import client from 'prom-client';

const { Registry, Counter, Gauge, AggregatorRegistry, collectDefaultMetrics } = client;

/** @typedef {import('../../src/lib/server/kernel/bridge.ts').AppStats} AppStats */

const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * This process's registry and the function that records one finished request.
 * @param {{ worker: number, stats: () => Promise<AppStats | undefined> }} options
 */
export function processMetrics({ worker, stats }) {
	const registry = new Registry();
	collectDefaultMetrics({ register: registry });

	/** @type {Map<string, number>} "METHOD 2xx" → count */
	const counts = new Map();
	let workerCount = 0;
	new Counter({
		name: 'partnerskap_http_requests_total',
		help: 'Requests answered, by method and status class (/metrics itself not counted).',
		labelNames: ['method', 'status_class'],
		registers: [registry],
		collect() {
			this.reset();
			for (const [key, n] of counts) {
				const [method, statusClass] = key.split(' ');
				this.inc({ method, status_class: statusClass }, n);
			}
		}
	});
	new Counter({
		name: 'partnerskap_worker_requests_total',
		help: 'Requests answered by each server process (its worker number; 1 without workers).',
		labelNames: ['worker'],
		registers: [registry],
		collect() {
			this.reset();
			this.inc({ worker: String(worker) }, workerCount);
		}
	});
	const fromCache = timings();
	const fromApp = timings();
	registry.registerMetric(
		histogram(
			'partnerskap_http_request_duration_seconds',
			'Time from the request to the end of its answer; source: the render cache fast path or the app.',
			{ cache: fromCache, app: fromApp }
		)
	);
	const listening = new Gauge({
		name: 'partnerskap_workers_listening',
		help: 'Server processes that have their database and take requests.',
		registers: [registry]
	});

	// One snapshot of the app's numbers per scrape, shared by the gauges below.
	/** @type {Promise<AppStats | undefined> | undefined} */
	let snapshot;
	const current = () => {
		if (!snapshot) {
			snapshot = stats().catch(() => undefined);
			// Every gauge of one scrape asks in the same turn; the next scrape reads afresh.
			setImmediate(() => (snapshot = undefined));
		}
		return snapshot;
	};
	/**
	 * @param {string} name
	 * @param {string} help
	 * @param {(s: AppStats) => number | undefined} read
	 * @param {'sum' | 'max'} [aggregator]
	 */
	const appGauge = (name, help, read, aggregator = 'sum') =>
		new Gauge({
			name,
			help,
			aggregator,
			registers: [registry],
			async collect() {
				const s = await current();
				const value = s && read(s);
				if (value === undefined) this.reset();
				else this.set(value);
			}
		});
	/**
	 * Counters whose running total the app keeps.
	 * @param {string} name
	 * @param {string} help
	 * @param {(s: AppStats) => number} read
	 */
	const appCounter = (name, help, read) =>
		new Counter({
			name,
			help,
			registers: [registry],
			async collect() {
				const s = await current();
				this.reset();
				if (s) this.inc(read(s));
			}
		});
	appGauge(
		'partnerskap_database_pool_connections',
		'PostgreSQL connections open in the pool.',
		(s) => s.pool?.total
	);
	appGauge('partnerskap_database_pool_idle', 'PostgreSQL pool connections not in use.', (s) => s.pool?.idle);
	appGauge(
		'partnerskap_database_pool_waiting',
		'Queries waiting for a pool connection.',
		(s) => s.pool?.waiting
	);
	appCounter(
		'partnerskap_render_cache_hits_total',
		'Anonymous page requests answered from the render cache.',
		(s) => s.renderCache.hits
	);
	appCounter(
		'partnerskap_render_cache_misses_total',
		'Cacheable requests the render cache did not hold.',
		(s) => s.renderCache.misses
	);
	appGauge(
		'partnerskap_render_cache_entries',
		'Pages held in the render cache.',
		(s) => s.renderCache.entries
	);
	appGauge('partnerskap_render_cache_bytes', 'Bytes held in the render cache.', (s) => s.renderCache.bytes);
	// Every worker sees the same folder: the largest count, not the sum.
	appGauge(
		'partnerskap_mail_outbox_messages',
		'Mail messages in the outbox folder (0 with SMTP).',
		(s) => s.outbox,
		'max'
	);
	// The outbox table is shared by every worker and instance: each reports the same figures.
	appGauge(
		'partnerskap_mail_queue_pending',
		'Mail messages waiting in the outbox table (due now or waiting for a retry).',
		(s) => s.mailQueue?.pending,
		'max'
	);
	appGauge(
		'partnerskap_mail_queue_failed',
		'Mail messages given up after their attempts (an admin can send them again).',
		(s) => s.mailQueue?.failed,
		'max'
	);
	appGauge(
		'partnerskap_mail_queue_oldest_pending_seconds',
		'Age of the oldest message still waiting in the outbox table (0 when none waits).',
		(s) => s.mailQueue?.oldestPendingSeconds,
		'max'
	);

	return {
		registry,
		/** Called once the port is open. */
		listening: () => listening.set(1),
		/**
		 * @param {string} method
		 * @param {number} status
		 * @param {number} seconds
		 * @param {boolean} cached
		 */
		record(method, status, seconds, cached) {
			const key = `${knownMethods.has(method) ? method : 'OTHER'} ${Math.floor(status / 100)}xx`;
			counts.set(key, (counts.get(key) ?? 0) + 1);
			workerCount++;
			observe(cached ? fromCache : fromApp, seconds);
		}
	};
}

const bounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** @typedef {{ buckets: Float64Array, sum: number, count: number }} Timings */

/** @returns {Timings} */
const timings = () => ({ buckets: new Float64Array(bounds.length), sum: 0, count: 0 });

/**
 * One observation: tens of nanoseconds, where prom-client's Histogram took 0.5–0.85 µs (it hashes
 * the labels each time): felt by a cached page answered in tens of microseconds.
 * @param {Timings} t
 * @param {number} seconds
 */
function observe(t, seconds) {
	let i = 0;
	while (i < bounds.length && seconds > /** @type {number} */ (bounds[i])) i++;
	// Above the last bound it counts only in +Inf (the count).
	if (i < bounds.length) t.buckets[i] = /** @type {number} */ (t.buckets[i]) + 1;
	t.sum += seconds;
	t.count++;
}

/**
 * A histogram in prom-client's own shape (what its Histogram's get() returns), so its registry
 * prints it and AggregatorRegistry sums it across workers.
 * @param {string} name
 * @param {string} help
 * @param {Record<string, Timings>} bySource
 * @returns {any}
 */
function histogram(name, help, bySource) {
	const get = async () => ({
		name,
		help,
		type: 'histogram',
		aggregator: 'sum',
		values: Object.entries(bySource).flatMap(([source, t]) => {
			let cumulative = 0;
			return [
				...bounds.map((le, i) => ({
					metricName: `${name}_bucket`,
					labels: { le, source },
					value: (cumulative += /** @type {number} */ (t.buckets[i]))
				})),
				{ metricName: `${name}_bucket`, labels: { le: '+Inf', source }, value: t.count },
				{ metricName: `${name}_sum`, labels: { source }, value: t.sum },
				{ metricName: `${name}_count`, labels: { source }, value: t.count }
			];
		})
	});
	return { name, help, type: 'histogram', aggregator: 'sum', get };
}

/**
 * Whether the request carries the token. Both sides are hashed first, so the comparison takes the
 * same time whatever the length or content of what was sent.
 * @param {string | undefined} authorization
 * @param {string} token
 */
export function tokenMatches(authorization, token) {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
	const digest = (/** @type {string} */ s) => createHash('sha256').update(s).digest();
	// Compared even without a Bearer value, so a missing header costs the same as a wrong one.
	const equal = timingSafeEqual(digest(match?.[1] ?? ''), digest(token));
	return equal && match !== null;
}

/**
 * Answers /metrics. `text()` gives this process's numbers or, in a worker, everyone's.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string} token
 * @param {() => Promise<string>} text
 */
export async function answerMetrics(req, res, token, text) {
	if (!tokenMatches(req.headers.authorization, token)) {
		res.writeHead(401, { 'www-authenticate': 'Bearer', 'content-length': '0', 'cache-control': 'no-store' });
		res.end();
		return;
	}
	try {
		const body = await text();
		res.writeHead(200, { 'content-type': Registry.PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' });
		res.end(req.method === 'HEAD' ? undefined : body);
	} catch {
		// The primary did not answer in time (a worker being replaced): the scraper tries again.
		res.writeHead(503, { 'retry-after': '1', 'content-length': '0', 'cache-control': 'no-store' });
		res.end();
	}
}

// Messages between a worker and the primary.
const ASK = 'partnerskap:metrics-ask';
const ANSWER = 'partnerskap:metrics-answer';
const COLLECT = 'partnerskap:metrics-collect';
const PART = 'partnerskap:metrics-part';
const READY = 'partnerskap:metrics-ready';

/**
 * In a worker: answers the primary's requests for this registry, and asks the primary for the sum.
 * @param {import('prom-client').Registry} registry
 */
export function workerMetrics(registry) {
	let next = 0;
	/** @type {Map<number, (text: string) => void>} */
	const waiting = new Map();
	process.on('message', (/** @type {any} */ message) => {
		if (message?.type === COLLECT) {
			registry.getMetricsAsJSON().then(
				(metrics) => process.send?.({ type: PART, id: message.id, metrics }),
				() => process.send?.({ type: PART, id: message.id, metrics: [] })
			);
		} else if (message?.type === ANSWER) {
			waiting.get(message.id)?.(message.text);
		}
	});
	process.send?.({ type: READY });
	/** @returns {Promise<string>} */
	return () =>
		new Promise((resolve, reject) => {
			const id = next++;
			const timer = setTimeout(() => {
				waiting.delete(id);
				reject(new Error('The primary did not answer'));
			}, 5000);
			waiting.set(id, (text) => {
				clearTimeout(timer);
				waiting.delete(id);
				resolve(text);
			});
			process.send?.({ type: ASK, id });
		});
}

/**
 * In the primary: sums the workers' registries (and its own) for the worker that asked.
 * @param {import('node:cluster').Cluster} cluster
 * @param {import('prom-client').Registry} own
 */
export function primaryMetrics(cluster, own) {
	/** Workers that listen for COLLECT (a worker just forked does not yet). */
	const ready = new WeakSet();
	let next = 0;
	/** @type {Map<number, { parts: any[][], pending: number, done: () => void }>} */
	const rounds = new Map();

	const collect = () =>
		new Promise((/** @type {(parts: any[][]) => void} */ resolve) => {
			const id = next++;
			const workers = Object.values(cluster.workers ?? {}).filter(
				(w) => w && ready.has(w) && w.isConnected()
			);
			/** @type {any[][]} */
			const parts = [];
			const done = () => {
				clearTimeout(timer);
				rounds.delete(id);
				resolve(parts);
			};
			// A worker that does not answer within 2 s (stuck, dying) is left out of this scrape.
			const timer = setTimeout(done, 2000);
			rounds.set(id, { parts, pending: workers.length, done });
			if (workers.length === 0) done();
			for (const w of workers) w?.send({ type: COLLECT, id });
		});

	cluster.on('message', (worker, /** @type {any} */ message) => {
		if (message?.type === READY) ready.add(worker);
		else if (message?.type === PART) {
			const round = rounds.get(message.id);
			if (!round) return;
			round.parts.push(message.metrics);
			if (--round.pending === 0) round.done();
		} else if (message?.type === ASK) {
			void (async () => {
				const parts = await collect();
				parts.push(await own.getMetricsAsJSON());
				const text = await AggregatorRegistry.aggregate(parts).metrics();
				if (worker.isConnected()) worker.send({ type: ANSWER, id: message.id, text });
			})();
		}
	});
}
