// node bench/memory.js: memory under simultaneous large image uploads.
// Starts the production build on a new database (BENCH_DATABASE: postgres, the default, on a new
// database made through BENCH_DATABASE_URL, or pglite, whose WASM engine alone holds ~600 MB in
// the same process), signs in as an editor (with two-step
// verification, as an editor must), posts BENCH_UPLOADS (10) photos of BENCH_WIDTH × BENCH_HEIGHT
// (9000 × 6700, 60.3 megapixels; JPEG with fine random detail, each just under the 10 MB limit)
// all at once to the media library's upload form, and samples the server's RSS (VmRSS of it and
// any workers, from /proc) every 50 ms. Prints and writes bench/memory-results.json: the RSS
// before, the peak, and the time until the last upload was answered.
// BENCH_BUILD=0|1 (default: build when a source is newer than the build; served from a copy, as
// bench/measure.js says); BENCH_APP_DIR measures another checkout's build (an older version with
// /readyz, for a before/after figure); BENCH_LABEL names the run in the results file.
// The server inherits this environment: NODE_OPTIONS and glibc's MALLOC_* settings set here apply
// to it, and are written with the results.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { prepareSession } from '../tests/e2e/sessions.ts';
import { benchDatabase, processTree, root, servedBuild, startServer } from './measure.js';

const app = path.resolve(process.env.BENCH_APP_DIR ?? root);
const uploads = Number(process.env.BENCH_UPLOADS ?? 10);
const width = Number(process.env.BENCH_WIDTH ?? 9000);
const height = Number(process.env.BENCH_HEIGHT ?? 6700);
const database = process.env.BENCH_DATABASE ?? 'postgres';
const label = `${process.env.BENCH_LABEL ?? (app === root ? 'current' : path.basename(app))} (${database})`;
const maxUploadBytes = 10 * 1024 * 1024;
const sampleMs = 50;

/** A photo-like JPEG: random detail at 1/16 scale, smoothly enlarged (pure noise would be ~20 MB). */
async function photo() {
	const w = Math.round(width / 16);
	const h = Math.round(height / 16);
	return sharp(randomBytes(w * h * 3), { raw: { width: w, height: h, channels: 3 } })
		.resize(width, height, { kernel: 'cubic' })
		.jpeg({ quality: 85 })
		.toBuffer();
}

/** Resident memory of a process and all its descendants (cluster workers), in bytes. */
const treeRss = (pid) =>
	processTree(pid).reduce((bytes, p) => {
		try {
			return (
				bytes + Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) * 1024
			);
		} catch {
			return bytes; // it ended between the reads
		}
	}, 0);

const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;

console.log(
	`Making ${uploads} JPEGs of ${width} × ${height} (${((width * height) / 1e6).toFixed(1)} megapixels)…`
);
const photos = [];
for (let i = 0; i < uploads; i += 2)
	photos.push(...(await Promise.all([photo(), photo()].slice(0, uploads - i))));
const sizes = photos.map((p) => p.length);
console.log(`JPEG sizes: ${sizes.map((s) => (s / 1048576).toFixed(2)).join(', ')} MiB`);
if (sizes.some((s) => s > maxUploadBytes))
	throw new Error('A photo is over the 10 MB upload limit: lower the size');

const tmp = mkdtempSync(path.join(tmpdir(), 'bench-memory-'));
let server;
let postgres;
try {
	const served = await servedBuild(tmp, app);
	if (database === 'postgres') postgres = await benchDatabase('bench_memory');
	const env = {
		...process.env,
		DATABASE_URL: postgres?.url ?? '',
		DATA_DIR: path.join(tmp, 'db'),
		MEDIA_DIR: path.join(tmp, 'media'),
		AUTH_SECRET_FILE: path.join(tmp, 'auth-secret'),
		BETTER_AUTH_SECRET: randomBytes(32).toString('hex'),
		OUTBOX_DIR: path.join(tmp, 'outbox'),
		SEED_DEMO: 'false',
		WEB_CONCURRENCY: '1',
		LOG_LEVEL: 'warn'
	};
	const editor = { email: 'bench-editor@example.se', password: 'bench-memory-L0sen-2026', role: 'editor' };
	execFileSync(
		process.execPath,
		[
			'scripts/admin-create.js',
			'--email',
			editor.email,
			'--role',
			editor.role,
			'--password',
			editor.password
		],
		{ cwd: served, env, stdio: 'ignore' }
	);

	server = await startServer(env, served);
	const base = server.url;
	const { cookie } = await prepareSession(base, editor);

	// Settle, then the baseline: the signed-in server before any upload.
	await new Promise((r) => setTimeout(r, 1000));
	const before = treeRss(server.pid);
	let peak = before;
	const sampler = setInterval(() => (peak = Math.max(peak, treeRss(server.pid))), sampleMs);

	const started = performance.now();
	const finished = [];
	const answers = await Promise.all(
		photos.map(async (bytes, i) => {
			const form = new FormData();
			form.set('file', new Blob([bytes], { type: 'image/jpeg' }), `foto-${i + 1}.jpg`);
			form.set('alt_sv', `Testfoto ${i + 1}`);
			form.set('alt_en', `Test photo ${i + 1}`);
			const res = await fetch(`${base}/admin/media?/upload`, {
				method: 'POST',
				headers: { origin: base, cookie, accept: 'application/json', 'x-sveltekit-action': 'true' },
				body: form
			});
			const body = await res.json().catch(() => ({}));
			finished.push(Math.round(performance.now() - started));
			return { status: res.status, type: body.type };
		})
	);
	const totalMs = Math.round(performance.now() - started);
	await new Promise((r) => setTimeout(r, 500));
	clearInterval(sampler);
	const after = treeRss(server.pid);

	const ok = answers.filter((a) => a.status === 200 && a.type === 'success').length;
	const result = {
		label,
		date: new Date().toISOString(),
		uploads,
		imageWidth: width,
		imageHeight: height,
		megapixels: Math.round((width * height) / 1e5) / 10,
		jpegMiB: sizes.map((s) => Math.round((s / 1048576) * 100) / 100),
		accepted: ok,
		answers: answers.map((a) => `${a.status} ${a.type ?? ''}`.trim()),
		rssBeforeMB: mb(before),
		peakRssMB: mb(peak),
		rssAfterMB: mb(after),
		totalMs,
		answeredAtMs: finished,
		sampleMs,
		database,
		environment: Object.fromEntries(
			Object.entries(process.env).filter(([k]) => k === 'NODE_OPTIONS' || k.startsWith('MALLOC_'))
		),
		node: process.version,
		cores: (await import('node:os')).availableParallelism()
	};
	console.log(JSON.stringify(result, null, 2));
	console.log(
		`\n${label}: ${ok}/${uploads} uploads accepted in ${(totalMs / 1000).toFixed(1)} s; RSS ${result.rssBeforeMB} MB before, peak ${result.peakRssMB} MB (target: under about 400 MB)`
	);
	const file = path.join(root, 'bench/memory-results.json');
	const previous = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
	writeFileSync(file, `${JSON.stringify({ ...previous, [label]: result }, null, 2)}\n`);
	if (ok !== uploads) process.exitCode = 1;
} finally {
	await server?.stop();
	await postgres?.drop();
	rmSync(tmp, { recursive: true, force: true });
}
