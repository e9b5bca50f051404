/**
 * Sends an update to a workflow and says honestly what happened: applied (with the workflow's
 * answer), refused (with its refusal), the workflow is gone, or the outcome is not known yet.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { isOutcomeUnknown, isWorkflowGone, refusalOf, type RefusalReceived } from '../infra/temporal-errors.js';
import { actionsTotal, refusalsTotal } from '../infra/metrics.js';
import { ProblemError } from './problem.js';

/** How long a person waits for the workflow to answer before being told to retry. */
export const UPDATE_DEADLINE_MS = 10_000;
export const RETRY_AFTER_SECONDS = 5;

export type UpdateOutcome<R> = { kind: 'applied'; result: R } | ({ kind: 'refused' } & RefusalReceived) | { kind: 'gone' } | { kind: 'unknown' };

export async function sendUpdate<R>(client: Client, handle: WorkflowHandle, update: unknown, input: unknown, updateId: string): Promise<UpdateOutcome<R>> {
  const outcome = await send<R>(client, handle, update, input, updateId);
  const action = (update as { name?: string }).name ?? 'unknown';
  actionsTotal.inc({ action, outcome: outcome.kind });
  // By code only: what a caller sent (a gate id, a date) never becomes a label.
  if (outcome.kind === 'refused') refusalsTotal.inc({ code: outcome.refusal?.code ?? 'unknown' });
  return outcome;
}

async function send<R>(client: Client, handle: WorkflowHandle, update: unknown, input: unknown, updateId: string): Promise<UpdateOutcome<R>> {
  try {
    const result = (await client.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () =>
      handle.executeUpdate(update as never, { args: [input] as never, updateId }),
    )) as R;
    return { kind: 'applied', result };
  } catch (error) {
    const refused = refusalOf(error);
    if (refused) return { kind: 'refused', ...refused };
    if (isWorkflowGone(error)) return { kind: 'gone' };
    if (isOutcomeUnknown(error)) return { kind: 'unknown' };
    throw error;
  }
}

/**
 * 503 when we cannot tell whether the action applied (no worker answered in time, Temporal is
 * down): it may apply later, once. With a key, sending it again is safe; without, it is not.
 */
export function outcomeUnknown(withKey: boolean): ProblemError {
  return new ProblemError(
    503,
    'Outcome not known yet',
    withKey
      ? 'SafeRoutes could not confirm the action in time; it may still be applied. Send the same request again with the same Idempotency-Key: it will not be applied twice.'
      : 'SafeRoutes could not confirm the action in time; it may still be applied. This request had no Idempotency-Key: look at the case before sending it again, or send requests with an Idempotency-Key so that a retry is always safe.',
    {},
    RETRY_AFTER_SECONDS,
  );
}
