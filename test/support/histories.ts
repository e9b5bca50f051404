/**
 * Recorded workflow histories for the replay tests. `RECORD_HISTORIES=1 npx vitest run <file>`
 * rewrites them from a real run (as JSON, the format replay reads); every test run replays the
 * committed ones against today's code.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { projectRoot } from '../../infra/paths.js';

export const HISTORIES_DIR = join(projectRoot, 'test', 'histories');

/** Records the history of `handle`'s run (or of run `runId` of its workflow) as `name`.json. */
export async function recordHistory(handle: WorkflowHandle, name: string, runId?: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await (runId ? handle.client.getHandle(handle.workflowId, runId) : handle).fetchHistory();
  writeFileSync(join(HISTORIES_DIR, `${name}.json`), historyToJSON(history));
}
