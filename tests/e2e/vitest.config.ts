import { defineConfig } from 'vitest/config';

// Browser journeys against a production build served on a fresh database (see setup.ts).
export default defineConfig({
	test: {
		include: ['tests/e2e/**/*.spec.ts'],
		globalSetup: ['tests/e2e/setup.ts'],
		testTimeout: 60_000,
		hookTimeout: 120_000,
		// One Chromium per file; two files at a time fit the two cores.
		maxWorkers: 2,
		pool: 'forks'
	}
});
