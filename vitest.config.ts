import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}'],
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/skip-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most files wait on servers, databases and Chromium rather than compute: one worker more than the
    // cores (vitest's default is one fewer) took the suite from 655 s to 365 s on a 2-core machine.
    maxWorkers: availableParallelism() + 1,
    fileParallelism: true,
  },
});
