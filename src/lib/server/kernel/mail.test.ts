import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMailServer, type TestMailServer } from '../test/mail-server.ts';
import { readOutbox, resetMailTransport, sendMail } from './mail.ts';

describe('mail', () => {
	let server: TestMailServer;
	beforeAll(async () => {
		server = await startTestMailServer();
	});
	afterAll(async () => {
		resetMailTransport();
		delete process.env.SMTP_URL;
		await server.close();
	});

	it('goes over real SMTP when SMTP_URL is set, with Swedish letters intact', async () => {
		process.env.SMTP_URL = server.url;
		resetMailTransport();
		await sendMail({
			to: 'anna@example.se',
			subject: 'Välkommen – bekräfta din adress',
			text: 'Hej Åsa!\nhttps://x/verify?token=abc'
		});
		const mail = await server.next('anna@example.se');
		expect(mail.subject).toBe('Välkommen – bekräfta din adress');
		expect(mail.text).toContain('Hej Åsa!');
		expect(mail.links).toEqual(['https://x/verify?token=abc']);
	});

	it('without SMTP_URL, writes the message to the outbox folder', async () => {
		delete process.env.SMTP_URL;
		resetMailTransport();
		const dir = mkdtempSync(path.join(tmpdir(), 'outbox-'));
		process.env.OUTBOX_DIR = dir;
		try {
			await sendMail({ to: 'bo@example.se', subject: 'Återställ lösenord', text: 'Länk: https://x/reset' });
			const files = readdirSync(dir);
			expect(files).toHaveLength(1);
			const eml = readFileSync(path.join(dir, files[0]!), 'utf8');
			expect(eml).toMatch(/^To: bo@example.se$/m);
			expect(eml).toContain('Subject: =?UTF-8?');
			// The admin page reads it back, decoded.
			const outbox = await readOutbox();
			expect(outbox).toEqual([
				expect.objectContaining({
					to: 'bo@example.se',
					subject: 'Återställ lösenord',
					text: 'Länk: https://x/reset\n'
				})
			]);
			process.env.SMTP_URL = server.url;
			expect(await readOutbox()).toBeNull();
			delete process.env.SMTP_URL;
		} finally {
			delete process.env.OUTBOX_DIR;
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
