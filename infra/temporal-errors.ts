/** What a Temporal client error means for SafeRoutes: gone, refused, or not known yet. */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { asRefusal, type Refusal } from '../domain/refusal.js';

const GRPC = { DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, RESOURCE_EXHAUSTED: 8, UNAVAILABLE: 14 } as const;

function grpcCode(error: unknown): number | undefined {
  let e = error as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 4; depth++, e = e.cause as typeof e) if (typeof e.code === 'number') return e.code;
  return undefined;
}

/** The workflow does not exist or has closed: nothing there will hear a message any more. */
export function isWorkflowGone(error: unknown): boolean {
  if (error instanceof WorkflowNotFoundError) return true;
  if (grpcCode(error) === GRPC.NOT_FOUND) return true;
  return /workflow execution already completed/i.test(String((error as Error)?.message ?? ''));
}

/**
 * The server turned the call away for now (e.g. a workflow's limit of updates in flight, 10 by
 * default): nothing was applied, and the same call a moment later may pass.
 */
export function isBackpressure(error: unknown): boolean {
  return grpcCode(error) === GRPC.RESOURCE_EXHAUSTED;
}

/** A workflow's refusal as the client got it: the English words, and the refusal when it came with them. */
export interface RefusalReceived {
  /** Absent from a worker older than refusal codes: then only `text` is known. */
  refusal?: Refusal;
  text: string;
}

/**
 * The workflow's validator refused the action: its words are the failure's message, the refusal
 * (code and parameters) its first detail (workflows/refusal.ts).
 */
export function refusalOf(error: unknown): RefusalReceived | undefined {
  if (!(error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === 'ActionRefused')) return undefined;
  const refusal = asRefusal(error.cause.details?.[0]);
  return refusal ? { refusal, text: error.cause.message } : { text: error.cause.message };
}

/**
 * Whether the outcome of a call is unknown: it may or may not have been applied (deadline passed,
 * no worker answered in time, Temporal unreachable or overloaded). Retrying with the same update
 * id is safe.
 */
export function isOutcomeUnknown(error: unknown): boolean {
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const code = grpcCode(error);
  if (code === GRPC.DEADLINE_EXCEEDED || code === GRPC.UNAVAILABLE || code === GRPC.RESOURCE_EXHAUSTED) return true;
  const e = error as { name?: string; message?: string };
  return e?.name === 'ServiceError' || /UNAVAILABLE|Failed to connect|TransportError|deadline/i.test(e?.message ?? '');
}
