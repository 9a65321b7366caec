import { defineConfig } from 'vitest/config';
import { processTests, unitOptions } from './vitest.config.ts';
import { browserOptions, sweeps } from './tests/e2e/vitest.config.ts';

// The operations suite (`npm run test:operations`; CI runs it after `npm test`): kill -9 during
// writes, backup and restore, the database going away, several processes and instances, start and
// stop. Each test starts processes of its own and waits out timeouts, so they are kept out of the
// everyday run; so are the browser suite's sweeps with hostile input, which take a minute of the
// two cores. (`npm run bench:faults` runs the kill -9 tests of the `server` project alone.)
export default defineConfig({
	test: {
		maxWorkers: 2,
		projects: [
			{ test: { ...unitOptions, name: 'server', include: processTests } },
			{ test: { ...browserOptions, name: 'browser', include: ['tests/operations/**/*.spec.ts', ...sweeps] } }
		]
	}
});
