import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serverSecret } from './secrets.ts';

describe('a server secret', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'partnerskap-secret-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('is made once in its file, readable by the server’s user only, and the same on every call', () => {
		const file = path.join(dir, 'data', 'auth-secret');
		const first = serverSecret({ file });
		expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(serverSecret({ file })).toBe(first);
		expect(readFileSync(file, 'utf8')).toBe(first);
		expect(statSync(file).mode & 0o777).toBe(0o600);
	});

	it('keeps a file already there (another process wrote it first), and the configured value wins', () => {
		const file = path.join(dir, 'written-before');
		writeFileSync(file, 'a-secret-someone-else-wrote\n');
		expect(serverSecret({ file })).toBe('a-secret-someone-else-wrote');
		expect(serverSecret({ value: 'from-the-environment', file })).toBe('from-the-environment');
		const untouched = path.join(dir, 'never-made');
		serverSecret({ value: 'from-the-environment', file: untouched });
		expect(() => statSync(untouched)).toThrow();
	});
});
