import { SMTPServer } from 'smtp-server';

/** A message as the server received it: its headers (lower-case names, unfolded) and raw text. */
export interface CountedMail {
	to: string[];
	headers: Map<string, string>;
	raw: string;
}

export interface CountingMailServer {
	url: string;
	/** Every message accepted, in order (a message is counted once its data has arrived). */
	received: CountedMail[];
	/** How many times each Message-ID arrived. */
	perMessageId(): Map<string, number>;
	/** Refuses the next `times` messages at RCPT TO with `code` (451: try later; 550: never). */
	refuse(times: number, code?: number): void;
	/** Messages refused so far. */
	refused: number;
	/** Holds each message's reply (after its data has arrived) this long: a slow mail server. */
	slowness: number;
	/** Resolves once `n` messages have arrived (rejects after `ms`). */
	until(n: number, ms?: number): Promise<void>;
	close(): Promise<void>;
}

/** The header block of a raw message, unfolded, names in lower case. */
function headersOf(raw: string): Map<string, string> {
	const block = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
	const headers = new Map<string, string>();
	for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
		const colon = line.indexOf(':');
		if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
	}
	return headers;
}

/**
 * A real SMTP server on a free local port that counts what it receives, for the outbox's tests:
 * it can refuse messages (temporarily or for good), and counts every arrival, repeats included.
 */
export async function startCountingMailServer(): Promise<CountingMailServer> {
	const received: CountedMail[] = [];
	let refusals: { left: number; code: number } = { left: 0, code: 451 };
	const waiting: { n: number; resolve: () => void }[] = [];
	const state = { refused: 0, slowness: 0 };
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		// No reverse DNS per connection: it costs tens of milliseconds a message here.
		disableReverseLookup: true,
		onRcptTo(_address, _session, callback) {
			if (refusals.left > 0) {
				refusals.left--;
				state.refused++;
				const error = new Error(refusals.code >= 500 ? 'Mailbox unavailable' : 'Try again later') as Error & {
					responseCode: number;
				};
				error.responseCode = refusals.code;
				return callback(error);
			}
			callback();
		},
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('end', () => {
				const raw = Buffer.concat(chunks).toString('utf8');
				received.push({
					to: session.envelope.rcptTo.map((r) => r.address),
					headers: headersOf(raw),
					raw
				});
				for (const w of waiting.filter((w) => received.length >= w.n)) {
					waiting.splice(waiting.indexOf(w), 1);
					w.resolve();
				}
				if (state.slowness) setTimeout(() => callback(), state.slowness);
				else callback();
			});
		}
	});
	// A client that dies mid-session (the crash test's SIGKILL) resets its connection: expected here.
	server.on('error', () => {});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.server.address() as { port: number };
	return {
		url: `smtp://127.0.0.1:${port}`,
		received,
		perMessageId() {
			const counts = new Map<string, number>();
			for (const m of received) {
				const id = m.headers.get('message-id') ?? '';
				counts.set(id, (counts.get(id) ?? 0) + 1);
			}
			return counts;
		},
		refuse(times, code = 451) {
			refusals = { left: times, code };
		},
		get refused() {
			return state.refused;
		},
		get slowness() {
			return state.slowness;
		},
		set slowness(ms: number) {
			state.slowness = ms;
		},
		until(n, ms = 10_000) {
			if (received.length >= n) return Promise.resolve();
			return new Promise((resolve, reject) => {
				const timer = setTimeout(
					() => reject(new Error(`${received.length} of ${n} messages within ${ms} ms`)),
					ms
				);
				waiting.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
			});
		},
		close: () => new Promise((resolve) => server.close(() => resolve()))
	};
}
