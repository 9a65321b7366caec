import pino from 'pino';
import { config } from './config.ts';

// An e-mail address anywhere in a text: a domain starting with a letter, so that `pkg@1.2.3` in a
// stack trace is left alone.
const address = /[\p{L}\p{N}._%+-]+@\p{L}[\p{L}\p{N}-]*(?:\.[\p{L}\p{N}-]+)*/gu;
/**
 * Fields that hold a person's address whatever their value looks like, and a failed query's
 * parameters (Drizzle's errors carry them: names, addresses, texts people wrote).
 */
const personal = new Set([
	'to',
	'cc',
	'bcc',
	'email',
	'replyTo',
	'recipient',
	'recipients',
	'address',
	'params'
]);

/** A text with every e-mail address replaced by `[email]`, and a failed query's parameters dropped. */
export function withoutAddresses(text: string): string {
	return text.replace(/^params: .*$/gm, 'params: [redacted]').replace(address, '[email]');
}

/**
 * A copy of what is logged with the personal data taken out: addresses in any text (messages,
 * PostgreSQL's "Key (email)=(a@b.se) already exists" in an error's detail, stack traces) and the
 * values of fields such as `to` and `email`. Errors become pino's plain form first.
 */
function scrub(value: unknown, depth = 0): unknown {
	if (typeof value === 'string') return withoutAddresses(value);
	if (value === null || typeof value !== 'object' || depth > 8) return value;
	// pino's plain form keeps the cause as an object: PostgreSQL's code, constraint and detail.
	if (value instanceof Error) return scrubEntries(pino.stdSerializers.errWithCause(value), depth);
	if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
	const proto = Object.getPrototypeOf(value);
	if (proto !== Object.prototype && proto !== null && !('stack' in value)) return value;
	return scrubEntries(value, depth);
}

function scrubEntries(value: object, depth: number): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(value).map(([k, v]) => [k, personal.has(k) ? '[redacted]' : scrub(v, depth + 1)])
	);
}

/** The logger's options, shared with tests that log to a stream of their own. */
export function loggerOptions(level: string): pino.LoggerOptions {
	return {
		level,
		formatters: { log: (object) => scrub(object) as Record<string, unknown> },
		serializers: {
			msg: (msg: unknown) => scrub(msg),
			// Errors were made plain (and scrubbed) above; this catches any that were not.
			err: (err: unknown) => scrub(err)
		}
	};
}

/** JSON logs on stdout, without e-mail addresses; LOG_LEVEL=debug for more, silent in tests. */
export const logger = pino(loggerOptions(config().logLevel));
