import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    setupFiles: ['test/setup/node20-polyfills.ts'],
    // Real servers the tests need, installed from Debian's packages and started if absent.
    globalSetup: ['test/setup/postgres.ts', 'test/setup/chromium.ts'],
  },
});
