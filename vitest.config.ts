import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (src/**/*.test.ts); suites that spawn FFmpeg,
// servers or databases live under test/. Both run in one `npm test`.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits for something the page or a server does; on a busy two-core
    // machine that can take many seconds, so its default deadline is generous (a poll
    // that is met returns at once; one that never is still fails).
    expect: { poll: { timeout: 20_000 } },
    pool: 'forks',
    maxWorkers: 2,
    minWorkers: 1,
  },
});
