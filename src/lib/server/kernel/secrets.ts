import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A server secret: the configured value, else a random one kept in `file`, made on first use
 * (mode 0600), so that the app runs without configuration and what it signs survives a restart.
 * The file is never overwritten: processes starting at once all read the one written first.
 */
export function serverSecret({ value, file }: { value?: string; file: string }): string {
	if (value) return value;
	if (!existsSync(file)) {
		mkdirSync(path.dirname(file), { recursive: true });
		try {
			writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
		}
	}
	return readFileSync(file, 'utf8').trim();
}
