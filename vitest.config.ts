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
		testTimeout: 60_000,
		hookTimeout: 120_000,
		pool: 'forks'
	}
});
