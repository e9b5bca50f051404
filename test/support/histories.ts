/**
 * Recorded workflow histories for the replay tests. `RECORD_HISTORIES=1 npx vitest run <file>`
 * rewrites them from a real run (exported by the Temporal CLI as JSON, the format replay reads);
 * every test run replays the committed ones against today's code.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { inject } from 'vitest';
import { findTool } from '../../devstack/tools.js';
import { projectRoot } from '../../infra/paths.js';

export const HISTORIES_DIR = join(projectRoot, 'test', 'histories');

export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const json = execFileSync(findTool('temporal'), ['workflow', 'show', '--workflow-id', handle.workflowId, '--address', inject('temporalAddress'), '--output', 'json'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  writeFileSync(join(HISTORIES_DIR, `${name}.json`), json);
}
