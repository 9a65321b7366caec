import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testDatabases } from '../test/databases.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { localStore } from '../media/store.ts';
import { getPartnership } from '../partnerships/queries.ts';
import { addDemoDocuments } from './demo.ts';

describe.each(testDatabases)('the demo documents on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(async () => {
		await h?.close();
	});

	it('gives each demo partnership an example PDF from the library, once', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'demo-docs-'));
		const store = localStore(dir);
		expect(await addDemoDocuments(h.db, store)).toBe(4);
		expect(await addDemoDocuments(h.db, store)).toBe(0);
		const p = (await getPartnership(h.db, 'en', 'horby-peja'))!;
		expect(p.documents).toHaveLength(1);
		expect(p.documents[0]!.title).toBe('Final report (example)');
		expect(p.documents[0]!.href).toMatch(/^\/media\/[0-9a-f]{32}\/horby-peja\.pdf$/);
		const stored = await store.get(p.documents[0]!.href.split('/')[2] + '/document.pdf');
		expect(stored).not.toBeNull();
	});
});
