import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '~': new URL('./app', import.meta.url).pathname } },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    setupFiles: ['test/support/fail-on-console-error.ts'],
    // Each file gets its own database; argon2 and PGlite start-up are slow-ish.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
