/**
 * The retention run, started every day by a Temporal Schedule (worker/schedules.ts): erases the
 * personal data of cases closed longer ago than the retention (activities/retention.ts), a batch
 * per activity, a bounded number of batches per run, then continues as new while more are due.
 * Deterministic, and nothing personal in its history: months, a time and counts.
 */
import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';

/** What the schedule passes (worker/schedules.ts): RETENTION_MONTHS; and the moment to measure from (ms since the epoch), the run's start when absent. */
export interface RetentionRunInput {
  months: number;
  now?: number;
}

const { eraseExpiredCases } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Cases per activity call, and calls per run before it continues as new (a short history). */
const BATCH = 50;
const BATCHES_PER_RUN = 20;

export async function retentionWorkflow(input: RetentionRunInput, erasedBefore = 0): Promise<{ erased: number }> {
  const now = input.now ?? workflowInfo().runStartTime.getTime();
  let erased = erasedBefore;
  for (let i = 0; i < BATCHES_PER_RUN; i++) {
    const batch = await eraseExpiredCases({ months: input.months, now, limit: BATCH });
    erased += batch.erased;
    if (!batch.more) return { erased };
  }
  // The same moment on: a case that closed meanwhile waits for tomorrow's run.
  return continueAsNew<typeof retentionWorkflow>({ months: input.months, now }, erased);
}
