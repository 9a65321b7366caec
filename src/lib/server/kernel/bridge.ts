/**
 * What the built app offers the process that serves it. scripts/serve.js loads the build as a
 * separate bundle, so the two share no module instances: they meet on one object kept on
 * globalThis under a registered symbol.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface CachedAnswer {
	status: number;
	headers: [string, string][];
	body: Uint8Array | null;
}

export interface AppStats {
	/** PostgreSQL pool connections (absent on PGlite). */
	pool?: { total: number; idle: number; waiting: number };
	renderCache: { entries: number; bytes: number; hits: number; misses: number };
	/** Mail messages written to the outbox folder (no SMTP configured). */
	outbox: number;
	/** The mail outbox table (kernel/outbox.ts); absent when it could not be read. */
	mailQueue?: { pending: number; failed: number; oldestPendingSeconds: number };
}

export interface AppBridge {
	/** Settles when the database is open, migrated and prepared: only then may requests come in. */
	ready: Promise<void>;
	markReady(): void;
	/**
	 * A stored public page for an anonymous GET or HEAD, answered without entering SvelteKit; undefined
	 * when the request must go through the app.
	 */
	cachedAnswer?: (
		method: string,
		/** The request's origin as the app sees it (ORIGIN, or the protocol and Host). */
		origin: string,
		/** req.url: the path and query as the client sent them. */
		target: string,
		headers: IncomingHttpHeaders
	) => CachedAnswer | undefined;
	stats?: () => Promise<AppStats>;
}

const key = Symbol.for('partnerskap.app-bridge');

export function appBridge(): AppBridge {
	const global = globalThis as { [key]?: AppBridge };
	if (!global[key]) {
		let markReady!: () => void;
		const ready = new Promise<void>((resolve) => (markReady = resolve));
		global[key] = { ready, markReady };
	}
	return global[key];
}
