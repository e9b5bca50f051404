// A suite of one test file (CHECK names it: fails or passes), with the same PostgreSQL module loaded
// in its global setup as `npm test` has: run by exit-code.test.ts, which holds that vitest's exit
// code is the verdict.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: [`test/system/exit-code/${process.env.CHECK}.check.ts`], globalSetup: ['test/system/exit-code/setup.ts'], reporters: ['dot'] },
});
