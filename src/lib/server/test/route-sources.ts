import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const routes = path.resolve(import.meta.dirname, '../../../routes');

/** Every route file whose name matches, with its path under src/routes and its source: for guard tests. */
export function routeSources(name: RegExp): { file: string; source: string }[] {
	const found: { file: string; source: string }[] = [];
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (name.test(entry.name))
				found.push({ file: path.relative(routes, full), source: readFileSync(full, 'utf8') });
		}
	};
	walk(routes);
	return found;
}
