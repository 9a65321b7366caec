// Serves the production build (build/handler.js) over plain HTTP: one process, or with
// WEB_CONCURRENCY above 1 a node:cluster primary and that many workers (scripts/server/).
// adapter-node assumes https when it cannot tell the protocol, which makes SvelteKit's origin
// check refuse every form POST over http; so we say which protocol the connection really uses.
// Behind TLS-terminating proxies set TRUST_PROXY to how many there are: the proxy's
// X-Forwarded-Proto is kept, and the client's address is read from X-Forwarded-For that many hops
// from the right (README, "Behind a proxy").
// In production set ORIGIN (https://partnerskap.example.se): every request is then taken to be
// for that origin, so links in pages and feeds never come from a client's Host header.
import cluster from 'node:cluster';
import { config, startupProblem } from '../src/lib/server/kernel/config.ts';
import { applyMemoryDefaults } from './server/memory-defaults.js';

applyMemoryDefaults();

// Checked before anything starts: a bad setting stops here with its name.
const settings = config();
const problem = startupProblem(settings);
if (problem) {
	console.error(problem);
	process.exit(1);
}

if (cluster.isPrimary && settings.webConcurrency > 1) {
	const { runPrimary } = await import('./server/primary.js');
	runPrimary(settings);
} else {
	const { runServer } = await import('./server/worker.js');
	// Not awaited here: a process stopped while it waits for its database must not end on an
	// unsettled top-level await.
	runServer(settings).catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
