import { configDefaults, defineConfig, type ViteUserConfig } from 'vitest/config';

type TestOptions = NonNullable<ViteUserConfig['test']>;

/** What every run against the built app shares (here and in vitest.operations.config.ts). */
export const browserOptions = {
	globalSetup: ['tests/e2e/setup.ts'],
	testTimeout: 60_000,
	hookTimeout: 120_000,
	// Two files at a time fit the two cores. A worker keeps its modules, and so its Chromium
	// (browser.ts), from one file to the next: each file still starts from fresh contexts.
	maxWorkers: 2,
	isolate: false,
	pool: 'forks'
} satisfies TestOptions;

/**
 * The sweeps of every form action and route: with every role (the permission table), with hostile
 * input (bad bytes, over-long fields, broken bodies) and with stored XSS vectors on every page that
 * shows them. They run with the operations suite, which CI runs after `npm test` on every landing,
 * to keep the everyday run under eight minutes.
 */
export const sweeps = [
	'tests/e2e/permissions.spec.ts',
	'tests/e2e/bad-input.spec.ts',
	'tests/e2e/xss.spec.ts'
];

// Browser journeys against a production build served on a fresh database (see setup.ts).
export default defineConfig({
	test: {
		...browserOptions,
		include: ['tests/e2e/**/*.spec.ts'],
		exclude: [...configDefaults.exclude, ...sweeps]
	}
});
