import { defineConfig } from 'vitest/config';

// Unit and integration tests of the server domains. They run without the SvelteKit plugin;
// browser journeys live in tests/e2e and have their own config.
export default defineConfig({
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'node',
		testTimeout: 60_000,
		hookTimeout: 120_000,
		pool: 'forks'
	}
});
