/** Runs a workflow update for the API: a refusal becomes 409 with the validator's reason. */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ProblemError } from './problem.js';

export async function runUpdate<R>(handle: WorkflowHandle, update: unknown, input: unknown): Promise<R> {
  try {
    return (await handle.executeUpdate(update as never, { args: [input] as never })) as R;
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === 'ActionRefused') {
      throw new ProblemError(409, 'Action refused', error.cause.message);
    }
    if (error instanceof WorkflowNotFoundError) throw new ProblemError(409, 'Action refused', 'this case is closed; no further actions are possible');
    throw error;
  }
}
