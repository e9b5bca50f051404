/**
 * One bulk action: the coordinator's action carried out over many cases in the background. The
 * items and their results live in PostgreSQL; this workflow only walks through them, a page per
 * activity, in passes: a case that did not answer stays pending and is tried again on the next
 * pass, after a pause. Its history holds ids and positions only, and stays bounded: it continues
 * as new after a number of pages, resuming where it was.
 */
import { continueAsNew, sleep, workflowInfo } from '@temporalio/workflow';
import { runBulkPage } from './activities.js';
import type { BulkActionWorkflowInput } from './contract.js';

/** Pages per run before continuing as new: a few hundred events. */
const PAGES_PER_RUN = 100;
/** Between passes over items whose cases did not answer. */
const PASS_PAUSE = '30 seconds';

export async function bulkActionWorkflow(input: BulkActionWorkflowInput): Promise<void> {
  let after = input.after ?? -1;
  for (let pages = 0; ; pages++) {
    if (pages >= PAGES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof bulkActionWorkflow>({ bulkId: input.bulkId, after });
    }
    const { last, remaining } = await runBulkPage({ bulkId: input.bulkId, after });
    if (last !== null) {
      after = last;
      continue;
    }
    if (remaining === 0) return;
    // The pass is over, and some cases did not answer: once more from the start, a little later.
    await sleep(PASS_PAUSE);
    after = -1;
  }
}
