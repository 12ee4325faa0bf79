import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Browser tests against the built portal (`npm run test:e2e`). Each test file
// starts its own portal (embedded database, temporary DATA_DIR, free port) and
// one Chromium; files run one after another so two cores are enough.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  resolve: { alias: { '~': fileURLToPath(new URL('../../app', import.meta.url)) } },
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 60_000,
    // Starting a portal (PGlite, migrations, seeding with argon2) takes a while.
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
