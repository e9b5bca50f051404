// The departure batch's workflow on the time-skipping server, with activities that only record
// their calls: it reminds the coordinator once when the departure date comes unconfirmed (not
// before, and not when the departure was confirmed in time); it refuses what is not valid in its
// phase, applies a repeated update once, goes through its cases again after a pause while some did
// not answer, and continues as new after 100 pages where it was.
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cancelBatchUpdate,
  confirmArrivalUpdate,
  confirmDepartureUpdate,
  departureBatchWorkflowId,
  type departureBatchWorkflow,
} from '../../workflows/departure-batch.js';
import { startStubbedEnv, type StubbedEnv } from '../support/stub-activities.js';

const DAY = 86_400_000;

describe('the departure batch workflow with stubbed activities', () => {
  let t: StubbedEnv;
  const coordinatorOrg = randomUUID();
  const actor = { personId: randomUUID(), organisationId: coordinatorOrg };

  beforeAll(async () => {
    t = await startStubbedEnv('departure-batch-logic');
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function start(daysAhead: number) {
    const batchId = randomUUID();
    const now = await t.env.currentTimeMs();
    const handle = await t.env.client.workflow.start<typeof departureBatchWorkflow>('departureBatchWorkflow', {
      workflowId: departureBatchWorkflowId(batchId),
      taskQueue: t.taskQueue,
      args: [{ batchId, coordinatorOrg, departsAt: new Date(now + daysAhead * DAY).toISOString() }],
    });
    return { batchId, handle };
  }

  const refusalOf = async (p: Promise<unknown>) => {
    const error = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    return ((error as WorkflowUpdateFailedError).cause as { details?: unknown[] }).details?.[0];
  };

  it('reminds the coordinator once at the departure date when the departure is not confirmed, not before', async () => {
    const { batchId, handle } = await start(3);
    const log = t.stubs.ofWorkflow(handle.workflowId);
    await t.env.sleep(2 * DAY);
    expect(log.of('remindDeparture')).toHaveLength(0);
    await t.env.sleep(2 * DAY);
    await log.waitFor('remindDeparture');
    await t.env.sleep(10 * DAY);
    expect(log.of('remindDeparture').map((c) => c.input)).toEqual([{ batchId }]);
    // Reminded, it still departs when confirmed, and its cases are sent their travel step.
    const view = await handle.executeUpdate(confirmDepartureUpdate, { args: [actor], updateId: 'depart-1' });
    expect(view).toMatchObject({ phase: 'departed', reminded: true });
    await log.waitFor('runBatchPage', (c) => c.input.event === 'departure');
    expect(log.of('markBatch').map((c) => c.input)).toEqual([{ batchId, mark: 'departed', personId: actor.personId }]);
    await handle.executeUpdate(confirmArrivalUpdate, { args: [actor] });
    expect(await handle.result()).toEqual({ phase: 'arrived', inProgress: [], reminded: true });
    expect(log.of('runBatchPage').map((c) => c.input.event)).toEqual(['departure', 'arrival']);
  });

  it('does not remind when the departure was confirmed in time; refuses what its phase does not allow, and applies a repeated update once', async () => {
    const { batchId, handle } = await start(2);
    const log = t.stubs.ofWorkflow(handle.workflowId);
    // Not the batch's coordinator, and arriving before departing: refused, nothing applied.
    expect(await refusalOf(handle.executeUpdate(confirmDepartureUpdate, { args: [{ ...actor, organisationId: randomUUID() }] }))).toEqual({ code: 'batch-coordinator-only' });
    expect(await refusalOf(handle.executeUpdate(confirmArrivalUpdate, { args: [actor] }))).toEqual({ code: 'batch-not-departed', phase: 'planned' });
    await handle.executeUpdate(confirmDepartureUpdate, { args: [actor], updateId: 'depart-once' });
    // The same update id again (a retried request): answered, not applied a second time.
    await handle.executeUpdate(confirmDepartureUpdate, { args: [actor], updateId: 'depart-once' });
    expect(log.of('markBatch')).toHaveLength(1);
    expect(await refusalOf(handle.executeUpdate(confirmDepartureUpdate, { args: [actor] }))).toEqual({ code: 'batch-not-planned', phase: 'departed' });
    expect(await refusalOf(handle.executeUpdate(cancelBatchUpdate, { args: [actor] }))).toEqual({ code: 'batch-not-planned', phase: 'departed' });
    await t.env.sleep(5 * DAY);
    expect(log.of('remindDeparture')).toHaveLength(0);
    await handle.executeUpdate(confirmArrivalUpdate, { args: [actor] });
    await handle.result();
    expect(log.of('markBatch').map((c) => c.input.mark)).toEqual(['departed', 'arrived']);
    expect(log.of('runBatchPage').every((c) => c.input.batchId === batchId)).toBe(true);
  });

  it('ends when cancelled, without a reminder', async () => {
    const { handle } = await start(1);
    const log = t.stubs.ofWorkflow(handle.workflowId);
    expect(await handle.executeUpdate(cancelBatchUpdate, { args: [actor] })).toMatchObject({ phase: 'cancelled' });
    expect(await handle.result()).toMatchObject({ phase: 'cancelled' });
    expect(log.of('remindDeparture')).toHaveLength(0);
    expect(log.of('runBatchPage')).toHaveLength(0);
  });

  it('passes again after a pause while cases did not answer, and continues as new after 100 pages where it was', async () => {
    const PAGES = 120;
    let passes = 0;
    t.stubs.behave.runBatchPage = async ({ after }) => {
      const n = after === '' ? 0 : Number(after.slice(5)) + 1;
      if (n < PAGES) return { last: `case-${n}`, remaining: -1 };
      passes += 1;
      return { last: null, remaining: passes === 1 ? 2 : 0 };
    };
    try {
      const { handle } = await start(30);
      await handle.executeUpdate(confirmDepartureUpdate, { args: [actor] });
      const log = t.stubs.ofWorkflow(handle.workflowId);
      // The pause between passes goes by in skipped time.
      for (const deadline = Date.now() + 60_000; passes < 2 && Date.now() < deadline; ) await t.env.sleep(10_000);
      await log.waitFor('runBatchPage', () => passes === 2);
      const calls = log.of('runBatchPage');
      expect(calls).toHaveLength(2 * (PAGES + 1));
      expect(calls[PAGES + 1]!.input.after, 'the second pass from the start').toBe('');
      expect(new Set(calls.map((c) => c.runId)).size).toBe(3);
      await handle.executeUpdate(confirmArrivalUpdate, { args: [actor] });
      expect(await handle.result()).toMatchObject({ phase: 'arrived' });
    } finally {
      t.stubs.reset();
    }
  });
});
