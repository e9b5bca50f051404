import { defineConfig } from 'vitest/config';

/**
 * Tests that need no server: pure rules, the pieces of use cases and the API that stand alone,
 * configuration and texts. `npm run test:unit` runs these alone, in seconds; `npm test` runs them
 * with the rest, which get a real Temporal, PostgreSQL and SMTP from the global setup.
 */
const unit = [
  'test/domain/**/*.test.ts',
  'test/usecases/**/*.test.ts',
  'test/devstack/running-stack.test.ts',
  'test/devstack/embedded-postgres-folders.test.ts',
  'test/activities/open-gates.test.ts',
  'test/api/unstorable-text.test.ts',
  'test/infra/config.test.ts',
  'test/infra/logger.test.ts',
  'test/infra/mailbox.test.ts',
  'test/infra/payload-codec.test.ts',
  'test/infra/postgres-client.test.ts',
  'test/system/docker-compose.test.ts',
  'test/web/texts.test.ts',
  'test/web/refusal-words.test.ts',
];

export default defineConfig({
  test: {
    // Temporal's native bridge does not survive worker threads; each file gets its own process.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: unit } },
      {
        extends: true,
        test: { name: 'integration', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], exclude: unit, globalSetup: ['test/global-setup.ts'] },
      },
    ],
  },
});
