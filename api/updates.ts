/** Runs a workflow update for the API: a refusal becomes 409 with the validator's reason. */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ProblemError } from './problem.js';

/**
 * How long a request waits for the workflow to accept an update. The caller's PostgreSQL
 * transaction stays open meanwhile, so a stopped worker must not hold it (and the pool) for long:
 * past this the request answers 503 and the transaction rolls back.
 */
const UPDATE_DEADLINE_MS = 15_000;

export async function runUpdate<R>(client: Client, handle: WorkflowHandle, update: unknown, input: unknown): Promise<R> {
  try {
    return (await client.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () => handle.executeUpdate(update as never, { args: [input] as never }))) as R;
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === 'ActionRefused') {
      throw new ProblemError(409, 'Action refused', error.cause.message);
    }
    if (error instanceof WorkflowNotFoundError) throw new ProblemError(409, 'Action refused', 'this case is closed; no further actions are possible');
    throw error;
  }
}
