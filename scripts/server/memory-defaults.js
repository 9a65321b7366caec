// Memory settings that a process reads only as it starts: V8's young generation, and the size
// from which glibc's malloc gives a block its own mapping (returned to the system when freed)
// instead of a place in its heaps. Unset, V8 grows the young generation to 128 MB during start-up
// and keeps it, and glibc raises its threshold to each large block freed (up to 32 MB), so the
// buffers of uploaded photos stay in fragmented heaps. Ten simultaneous 60-megapixel uploads then
// peaked at 544 MB RSS; with these, at 350–375 MB (docs/operations.md, "Memory").
// A fixed mmap threshold also fixes glibc's trim threshold at its 128 KB default (glibc otherwise
// keeps it at twice the mmap threshold): then every block between 128 KB and 4 MB freed at the
// heap's top is given back and faulted in again by the next. Brotli's tables are such blocks:
// compressing the search page took 5.2 ms instead of 0.2. So the trim threshold is set with it,
// at twice the mmap threshold, as glibc's own rule would set it.
// The server starts itself again with them when the environment sets neither NODE_OPTIONS'
// young generation nor MALLOC_MMAP_THRESHOLD_: through execve, so it stays the same process (same
// pid, no parent left waiting). An operator's own settings are kept as they are.

export const semiSpaceFlag = '--max-semi-space-size=32';
export const mmapThreshold = String(4 * 1024 * 1024);
export const trimThreshold = String(8 * 1024 * 1024);

/** Restarts this process with the defaults it lacks; returns when nothing is missing. */
export function applyMemoryDefaults() {
	// process.execve: Node 22.15 and later, on POSIX systems.
	if (typeof process.execve !== 'function') return;
	const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
	const addFlag = !flags.some((f) => f.startsWith('--max-semi-space-size'));
	const addMalloc = process.env.MALLOC_MMAP_THRESHOLD_ === undefined;
	if (!addFlag && !addMalloc) return;
	const env = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined));
	if (addMalloc) {
		env.MALLOC_MMAP_THRESHOLD_ = mmapThreshold;
		env.MALLOC_TRIM_THRESHOLD_ ??= trimThreshold;
	}
	process.execve(
		process.execPath,
		[process.execPath, ...(addFlag ? [semiSpaceFlag] : []), ...process.execArgv, ...process.argv.slice(1)],
		env
	);
}
