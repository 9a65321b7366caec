import { defineConfig } from 'vitest/config';

// Unit and integration tests of the server domains. They run without the SvelteKit plugin;
// browser journeys live in tests/e2e and have their own config.
export default defineConfig({
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'node',
		// One database of each kind is prepared once; every test file starts from a copy of it.
		globalSetup: ['src/lib/server/test/global-setup.ts'],
		// Vitest's default is one worker fewer than the cores: on two cores, a single worker.
		maxWorkers: 2,
		// Test files in a worker share loaded modules (a second each, forty times over): each
		// file opens databases of its own, and nothing else is kept between files.
		isolate: false,
		testTimeout: 60_000,
		hookTimeout: 120_000,
		pool: 'forks'
	}
});
