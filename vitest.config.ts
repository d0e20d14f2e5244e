import { defineConfig } from 'vitest/config';
import { scaled } from './test/support/deadline.ts';

// Unit tests sit beside the code (src/**/*.test.ts); suites that spawn FFmpeg,
// servers or databases live under test/. Both run in one `npm test`.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Deadlines grow with the machine's load when the run starts (test/support/deadline.ts):
    // on a busy two-core machine starting a server or a browser takes many times longer.
    testTimeout: scaled(60_000),
    hookTimeout: scaled(120_000),
    // expect.poll waits for something the page or a server does; on a busy two-core
    // machine that can take many seconds, so its default deadline is generous (a poll
    // that is met returns at once; one that never is still fails).
    expect: { poll: { timeout: 20_000 } },
    pool: 'forks',
    maxWorkers: 2,
    minWorkers: 1,
  },
});
