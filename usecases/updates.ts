/**
 * Sends an update to a workflow and says honestly what happened: applied (with the workflow's
 * answer), refused (with its reason), the workflow is gone, or the outcome is not known yet.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { isOutcomeUnknown, isWorkflowGone, refusalOf } from '../infra/temporal-errors.js';
import { actionsTotal, refusalsTotal } from '../infra/metrics.js';
import { ProblemError } from './problem.js';

/** How long a person waits for the workflow to answer before being told to retry. */
export const UPDATE_DEADLINE_MS = 10_000;
export const RETRY_AFTER_SECONDS = 5;

export type UpdateOutcome<R> = { kind: 'applied'; result: R } | { kind: 'refused'; reason: string } | { kind: 'gone' } | { kind: 'unknown' };

export async function sendUpdate<R>(client: Client, handle: WorkflowHandle, update: unknown, input: unknown, updateId: string): Promise<UpdateOutcome<R>> {
  const outcome = await send<R>(client, handle, update, input, updateId);
  const action = (update as { name?: string }).name ?? 'unknown';
  actionsTotal.inc({ action, outcome: outcome.kind });
  if (outcome.kind === 'refused') refusalsTotal.inc({ code: refusalCode(outcome.reason) });
  return outcome;
}

async function send<R>(client: Client, handle: WorkflowHandle, update: unknown, input: unknown, updateId: string): Promise<UpdateOutcome<R>> {
  try {
    const result = (await client.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () =>
      handle.executeUpdate(update as never, { args: [input] as never, updateId }),
    )) as R;
    return { kind: 'applied', result };
  } catch (error) {
    const reason = refusalOf(error);
    if (reason !== undefined) return { kind: 'refused', reason };
    if (isWorkflowGone(error)) return { kind: 'gone' };
    if (isOutcomeUnknown(error)) return { kind: 'unknown' };
    throw error;
  }
}

/**
 * A refusal's kind, for counting: the workflow's sentence with what varies (quoted ids, dates,
 * numbers) taken out, so "gate "visa" is not open…" and "gate "housing" is not open…" count as one
 * and what a caller sent never becomes a label.
 */
export function refusalCode(reason: string): string {
  return reason
    .replace(/"[^"]*"/g, '…')
    .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z?/g, '…')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '…')
    .replace(/\d+/g, '…')
    .slice(0, 100);
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
