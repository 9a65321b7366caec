/**
 * A version of the published content that caches (rendered pages, the filter index) key on.
 * A write in this process bumps it at once. `setSharedVersion` lets the app fold in a version
 * read from the database, so that instances see each other's writes (see app/database.ts).
 */
let local = 0;
let shared = '0';

export function contentVersion(): string {
	return `${shared}:${local}`;
}

export function contentChanged(): void {
	local++;
}

export function setSharedVersion(version: string): void {
	shared = version;
}
