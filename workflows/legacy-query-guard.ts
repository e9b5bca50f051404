/**
 * Keeps every case and programme replayable when a query reaches a worker that is behind.
 *
 * The trap (SDK 1.24; reproduced by test/fault/legacy-query.test.ts): a query sent while a
 * workflow waits — and its worker is down — travels as a task of its own. If a timer fires, an
 * activity completes or a signal arrives before a worker takes that query, the SDK first applies
 * those new events, in an activation of their own, to answer it. The workflow reacts (schedules
 * an activity, starts a timer), but a query task carries no commands: they wait in the worker's
 * cache and go out with the next workflow task. If that task brings an update, history records
 * [the reaction, update accepted]. On replay the same events and the update arrive in ONE
 * activation, where updates run first: [update accepted, the reaction] — a nondeterminism error,
 * and the case stops at its next replay (20 of 100 cases in the fault test behind this fix).
 *
 * How the guard knows: workflow time moves only when a workflow task starts. A live (not
 * replayed) activation that keeps the time of the activation before it is not a workflow task
 * of its own: it is events applied for a query. When the query then comes, the guard fails it,
 * which makes the SDK evict the workflow and drop the reaction: the next task replays from
 * history in one piece, so first execution and replay see the same activation whatever arrives
 * together. The query fails (the caller retries or reads the projection); nothing is written to
 * history and nothing is lost.
 */
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';

/** The SDK's id for a query delivered as a task of its own (not with a workflow task). */
const LEGACY_QUERY_ID = 'legacy_query';

interface ActivationShape {
  jobs?: { queryWorkflow?: { queryId?: string | null } | null }[] | null;
  isReplaying?: boolean | null;
  timestamp?: { seconds?: unknown; nanos?: number | null } | null;
}

const timeOf = (a: ActivationShape) => (a.timestamp ? `${String(a.timestamp.seconds)}.${a.timestamp.nanos ?? 0}` : undefined);

export class StaleCacheForQuery extends Error {
  override readonly name = 'StaleCacheForQuery';
}

export const interceptors: WorkflowInterceptorsFactory = () => {
  let lastTime: string | undefined;
  /** The last activation applied events live without a workflow task of its own. */
  let appliedForQuery = false;
  return {
    internals: [
      {
        activate(input, next) {
          const activation = input.activation as ActivationShape;
          const jobs = activation.jobs ?? [];
          if (jobs.some((j) => j.queryWorkflow)) {
            if (appliedForQuery && jobs.some((j) => j.queryWorkflow?.queryId === LEGACY_QUERY_ID)) {
              appliedForQuery = false;
              throw new StaleCacheForQuery('a query came with events this worker applied but cannot send: evicting, so the next task replays from history');
            }
            return next(input);
          }
          const time = timeOf(activation);
          appliedForQuery = !activation.isReplaying && time !== undefined && time === lastTime;
          lastTime = time;
          return next(input);
        },
      },
    ],
  };
};
