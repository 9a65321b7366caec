import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { logger } from '../core/logger.ts';

/** A message to one person, in their language, as plain text (and optionally HTML). */
export interface Mail {
	to: string;
	subject: string;
	text: string;
	html?: string;
}

let transport: Transporter | undefined;

/** The sender address every message uses. */
export const mailFrom = () => process.env.MAIL_FROM ?? 'Partnerskap för lokal demokrati <no-reply@localhost>';

/**
 * Sends over SMTP_URL (smtp://user:pass@host:587, smtps://… for TLS); without it, writes the
 * message to OUTBOX_DIR (data/outbox) as an .eml file that a developer can open.
 */
export async function sendMail(mail: Mail): Promise<void> {
	const url = process.env.SMTP_URL;
	if (url) {
		transport ??= nodemailer.createTransport(url);
		await transport.sendMail({ from: mailFrom(), ...mail });
		logger.info({ to: mail.to, subject: mail.subject }, 'Mail sent');
		return;
	}
	const dir = path.resolve(process.env.OUTBOX_DIR ?? 'data/outbox');
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
	logger.info({ to: mail.to, subject: mail.subject, file }, 'Mail written to the outbox');
}

/** Forgets the SMTP connection (tests change SMTP_URL between files). */
export function resetMailTransport(): void {
	transport?.close();
	transport = undefined;
}
