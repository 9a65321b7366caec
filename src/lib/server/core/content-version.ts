/**
 * A counter that every content write bumps. Caches of rendered pages key on it, so publishing
 * shows at once. It is per process: with several app instances, each one's cache also expires
 * after its time to live (see core/render-cache.ts).
 */
let version = 0;

export function contentVersion(): number {
	return version;
}

export function contentChanged(): void {
	version++;
}
