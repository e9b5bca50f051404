/**
 * One departure batch: a programme's cases that travel together. It waits for its coordinator to
 * confirm the departure (or cancel it), reminding them once when the departure date comes
 * unconfirmed; then completes each case's travel step, and after the arrival is confirmed each
 * case's arrival step — every case on its own (activities/departure-batches.ts), so a case that
 * dropped out never holds the others. Its history holds ids only: the batch's name, date and
 * cases live in PostgreSQL. It continues as new after a number of pages, resuming where it was.
 */
import { ApplicationFailure, allHandlersFinished, condition, continueAsNew, currentUpdateInfo, defineQuery, defineUpdate, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { createDepartureBatchActivities } from '../activities/departure-batches.js';
import type { BatchEvent } from '../domain/pathway.js';

type Activities = ReturnType<typeof createDepartureBatchActivities>;

const { markBatch, remindDeparture } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
/** A page of cases: one that does not answer is tried again on a later pass, so a page ends. */
const { runBatchPage } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export const departureBatchWorkflowId = (batchId: string): string => `departure-batch:${batchId}`;

/** Where a batch is: planned, departed (travel steps being completed), arrived, cancelled. */
export type BatchPhase = 'planned' | 'departed' | 'arrived' | 'cancelled';

/** Who confirms or cancels: a person of the batch's coordinating organisation (ids only). */
export interface BatchActor {
  personId: string;
  organisationId: string;
}

/** Why a batch refuses an update now: the phase it is in, or not the batch's coordinator. */
export type BatchRefusal = { code: 'batch-not-planned' | 'batch-not-departed'; phase: BatchPhase } | { code: 'batch-coordinator-only' };

export interface BatchView {
  phase: BatchPhase;
  /** Events whose cases are still being sent their step, oldest first. */
  inProgress: BatchEvent[];
  reminded: boolean;
}

export const confirmDepartureUpdate = defineUpdate<BatchView, [BatchActor]>('confirmDeparture');
export const confirmArrivalUpdate = defineUpdate<BatchView, [BatchActor]>('confirmArrival');
export const cancelBatchUpdate = defineUpdate<BatchView, [BatchActor]>('cancel');
export const batchStateQuery = defineQuery<BatchView>('batchState');

/** Ids and facts only. `departsAt`: when to remind if not confirmed (the departure day, noon UTC). */
export interface DepartureBatchInput {
  batchId: string;
  coordinatorOrg: string;
  departsAt: string;
  /** Resuming after continue-as-new. */
  phase?: BatchPhase;
  reminded?: boolean;
  queue?: { event: BatchEvent; after: string }[];
  applied?: string[];
}

/** Pages per run before continuing as new. */
const PAGES_PER_RUN = 100;
const PASS_PAUSE = '30 seconds';
const REMEMBERED = 20;

const refuse = (r: BatchRefusal) =>
  ApplicationFailure.create({ type: 'BatchRefused', message: r.code === 'batch-coordinator-only' ? "only the batch's coordinator may do this" : `the batch is ${r.phase}`, details: [r], nonRetryable: true });

export async function departureBatchWorkflow(input: DepartureBatchInput): Promise<BatchView> {
  let phase: BatchPhase = input.phase ?? 'planned';
  let reminded = input.reminded ?? false;
  const queue = [...(input.queue ?? [])];
  const applied = [...(input.applied ?? [])];
  /** While an update marks the batch in PostgreSQL: its cases are sent their step only after. */
  let marking = 0;
  const view = (): BatchView => ({ phase, inProgress: queue.map((q) => q.event), reminded });

  /** An update once: a repeat of an applied id is answered with the batch as it is now. */
  const repeat = () => applied.includes(currentUpdateInfo()?.id ?? '');
  function handle(from: BatchPhase, to: BatchPhase, event: BatchEvent | null, refusal: BatchRefusal['code']) {
    return {
      validator: (actor: BatchActor) => {
        if (repeat()) return;
        if (actor.organisationId !== input.coordinatorOrg) throw refuse({ code: 'batch-coordinator-only' });
        if (phase !== from) throw refuse({ code: refusal, phase } as BatchRefusal);
      },
      handler: async (actor: BatchActor): Promise<BatchView> => {
        if (repeat()) return view();
        // Set before the first await: a second update validated meanwhile sees the new phase.
        phase = to;
        marking++;
        applied.push(currentUpdateInfo()!.id);
        if (applied.length > REMEMBERED) applied.splice(0, applied.length - REMEMBERED);
        try {
          await markBatch({ batchId: input.batchId, mark: to as 'departed' | 'arrived' | 'cancelled', personId: actor.personId });
          if (event) queue.push({ event, after: '' });
        } finally {
          marking--;
        }
        return view();
      },
    };
  }
  const departure = handle('planned', 'departed', 'departure', 'batch-not-planned');
  const arrival = handle('departed', 'arrived', 'arrival', 'batch-not-departed');
  const cancel = handle('planned', 'cancelled', null, 'batch-not-planned');
  setHandler(confirmDepartureUpdate, departure.handler, { validator: departure.validator });
  setHandler(confirmArrivalUpdate, arrival.handler, { validator: arrival.validator });
  setHandler(cancelBatchUpdate, cancel.handler, { validator: cancel.validator });
  setHandler(batchStateQuery, view);

  const resumeAsNew = async () => {
    await condition(allHandlersFinished);
    return continueAsNew<typeof departureBatchWorkflow>({ ...input, phase, reminded, queue, applied });
  };

  for (let pages = 0; ; ) {
    if (marking > 0) await condition(() => marking === 0);
    if (pages >= PAGES_PER_RUN || workflowInfo().continueAsNewSuggested) return resumeAsNew();
    const job = queue[0];
    if (job) {
      pages++;
      const { last, remaining } = await runBatchPage({ batchId: input.batchId, event: job.event, after: job.after });
      if (last !== null) job.after = last;
      else if (remaining === 0) queue.shift();
      else {
        // Some cases did not answer: once more from the start, a little later.
        await sleep(PASS_PAUSE);
        job.after = '';
      }
      continue;
    }
    if (phase === 'cancelled' || phase === 'arrived') {
      await condition(allHandlersFinished);
      return view();
    }
    if (phase === 'planned' && !reminded) {
      const wait = Date.parse(input.departsAt) - Date.now();
      if (wait > 0 && (await condition(() => phase !== 'planned', wait))) continue;
      if (phase === 'planned') {
        await remindDeparture({ batchId: input.batchId });
        reminded = true;
      }
      continue;
    }
    await condition(() => queue.length > 0 || phase === 'cancelled' || phase === 'arrived');
  }
}
