/** Starting a case's or programme's workflow, which may have started already (a retry, the watchdog). */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { isOutcomeUnknown } from '../infra/temporal-errors.js';

/** 'started' (now or before), or 'unknown' when Temporal could not be reached; other errors are thrown. */
export async function startOnce(start: () => Promise<unknown>): Promise<'started' | 'unknown'> {
  try {
    await start();
    return 'started';
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return 'started';
    if (isOutcomeUnknown(error)) return 'unknown';
    throw error;
  }
}
