import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export interface ReceivedMail {
	to: string[];
	subject: string;
	text: string;
	/** Every http(s) link in the text, in order: tests follow them like a person would. */
	links: string[];
}

export interface TestMailServer {
	url: string;
	/** The next message to `address` (waits up to 10 s). */
	next(address: string): Promise<ReceivedMail>;
	close(): Promise<void>;
}

/** A real SMTP server on a free local port that keeps what it receives. */
export async function startTestMailServer(): Promise<TestMailServer> {
	const inbox: ReceivedMail[] = [];
	const waiting: { address: string; resolve: (m: ReceivedMail) => void }[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		onData(stream, _session, callback) {
			simpleParser(stream)
				.then((parsed) => {
					const to = [parsed.to].flat().flatMap((a) => a?.value.map((v) => v.address ?? '') ?? []);
					const text = parsed.text ?? '';
					const mail = {
						to,
						subject: parsed.subject ?? '',
						text,
						links: text.match(/https?:\/\/\S+/g) ?? []
					};
					const i = waiting.findIndex((w) => to.includes(w.address));
					if (i >= 0) waiting.splice(i, 1)[0]!.resolve(mail);
					else inbox.push(mail);
					callback();
				})
				.catch(callback);
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.server.address() as { port: number };
	return {
		url: `smtp://127.0.0.1:${port}`,
		next(address) {
			const i = inbox.findIndex((m) => m.to.includes(address));
			if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0]!);
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`No mail to ${address} within 10 s`)), 10_000);
				waiting.push({ address, resolve: (m) => (clearTimeout(timer), resolve(m)) });
			});
		},
		close: () => new Promise((resolve) => server.close(() => resolve()))
	};
}
