import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { logger } from './logger.ts';
import { config } from './config.ts';

/** A message to one person, in their language, as plain text (and optionally HTML). */
export interface Mail {
	to: string;
	subject: string;
	text: string;
	html?: string;
	/** Extra headers (List-Unsubscribe, List-Unsubscribe-Post, Auto-Submitted). */
	headers?: Record<string, string>;
	/**
	 * The Message-ID header, `<…@…>`: the outbox gives each row its own, the same on every
	 * attempt, so that a receiver can drop a repeat. Without it nodemailer makes a new one.
	 */
	messageId?: string;
}

/**
 * How long a send may wait on the mail server. nodemailer's own defaults (2 min to connect, 10 min
 * of silence) would hold the outbox worker, and on PostgreSQL the row lock it keeps while sending.
 * Connections are pooled and reused (up to nodemailer's 5, 100 messages each): a new connection
 * for every message costs the greeting each time, and many servers hold the greeting back on
 * purpose (a tenth of a second here, seconds for some). SMTP_URL's query string can set other
 * values (`?socketTimeout=60000`).
 */
const transportOptions = {
	connectionTimeout: 10_000,
	greetingTimeout: 10_000,
	socketTimeout: 30_000,
	pool: true
} as const;

/** The SMTP connection, kept for the address it was made for (a changed SMTP_URL makes a new one). */
let transport: { url: string; connection: Transporter } | undefined;

/** The sender address every message uses. */
export const mailFrom = () => config().mail.from;

/**
 * Sends over SMTP_URL (smtp://user:pass@host:587, smtps://… for TLS); without it, writes the
 * message to OUTBOX_DIR (data/outbox) as an .eml file that a developer can open.
 */
export async function sendMail(mail: Mail): Promise<void> {
	const url = config().mail.smtpUrl;
	if (url) {
		if (transport?.url !== url) {
			transport?.connection.close();
			transport = { url, connection: nodemailer.createTransport({ ...transportOptions, url }) };
		}
		const sent = await transport.connection.sendMail({ from: mailFrom(), ...mail });
		// The message id traces it in the mail server's log; the recipient stays out of ours.
		logger.info({ messageId: sent.messageId, subject: mail.subject }, 'Mail sent');
		return;
	}
	const dir = config().mail.outboxDir;
	await mkdir(dir, { recursive: true });
	// nodemailer builds the same MIME message it would send, so the outbox shows the real thing.
	const built = await nodemailer
		.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
		.sendMail({ from: mailFrom(), ...mail });
	const file = path.join(
		dir,
		`${new Date().toISOString().replace(/[:.]/g, '-')}-${crypto.randomUUID().slice(0, 8)}.eml`
	);
	await writeFile(file, built.message as Buffer);
	logger.info({ subject: mail.subject, file }, 'Mail written to the outbox');
}

/** Forgets the SMTP connection (tests change SMTP_URL between files). */
export function resetMailTransport(): void {
	transport?.connection.close();
	transport = undefined;
}

export interface OutboxMessage {
	file: string;
	date: string;
	to: string;
	subject: string;
	text: string;
}

/**
 * The newest messages in the outbox folder (development without SMTP), for the admin page.
 * Null when mail goes over SMTP: then there is no outbox to show.
 */
export async function readOutbox(limit = 50): Promise<OutboxMessage[] | null> {
	if (config().mail.smtpUrl) return null;
	const dir = config().mail.outboxDir;
	const files = (await readdir(dir).catch(() => [] as string[]))
		.filter((f) => f.endsWith('.eml'))
		.sort()
		.reverse();
	const { simpleParser } = await import('mailparser');
	return Promise.all(
		files.slice(0, limit).map(async (file) => {
			const parsed = await simpleParser(await readFile(path.join(dir, file)));
			return {
				file,
				date: (parsed.date ?? new Date(0)).toISOString(),
				to: [parsed.to]
					.flat()
					.flatMap((a) => a?.value.map((v) => v.address ?? '') ?? [])
					.join(', '),
				subject: parsed.subject ?? '',
				text: parsed.text ?? ''
			};
		})
	);
}
