// A suite of one failing test, with the same PostgreSQL module loaded in its global setup as
// `npm test` has: run by exit-code.test.ts, which holds that vitest then exits non-zero.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['test/system/exit-code/*.check.ts'], globalSetup: ['test/system/exit-code/setup.ts'], reporters: ['dot'] },
});
