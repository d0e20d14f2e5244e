import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (src/**/*.test.ts); suites that spawn FFmpeg,
// servers or databases live under test/. Both run in one `npm test`.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    minWorkers: 1,
  },
});
