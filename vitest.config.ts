import { configDefaults, defineConfig, type ViteUserConfig } from 'vitest/config';

type TestOptions = NonNullable<ViteUserConfig['test']>;

/**
 * Tests that run processes of their own: the crash tests (SIGKILL mid-write) and the backup
 * scripts' round trip. They run in the operations suite (`npm run test:operations`,
 * vitest.operations.config.ts), which CI runs after `npm test`.
 */
export const processTests = [
	'src/lib/server/app/durability.test.ts',
	'src/lib/server/app/dialogue-durability.test.ts',
	'src/lib/server/kernel/outbox-crash.test.ts',
	'src/lib/server/kernel/backup.test.ts'
];

/** What every run of the server domains' tests shares. */
export const unitOptions = {
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
} satisfies TestOptions;

// Unit and integration tests of the server domains. They run without the SvelteKit plugin;
// browser journeys live in tests/e2e and have their own config.
export default defineConfig({
	test: {
		...unitOptions,
		include: ['src/**/*.test.ts'],
		exclude: [...configDefaults.exclude, ...processTests]
	}
});
