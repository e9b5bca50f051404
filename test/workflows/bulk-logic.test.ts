// The bulk action's workflow on the time-skipping server, with activities that only record their
// calls: it walks the pages in order, continues as new after 100 pages where it was, and when a
// pass ends with cases that did not answer, it waits and goes through once more — until none is left.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { bulkActionWorkflow } from '../../workflows/bulk.js';
import { bulkActionWorkflowId } from '../../workflows/contract.js';
import { recordHistory } from '../support/histories.js';
import { startStubbedEnv, type StubbedEnv } from '../support/stub-activities.js';

describe('the bulk action workflow with stubbed activities', () => {
  let t: StubbedEnv;

  beforeAll(async () => {
    t = await startStubbedEnv('bulk-logic');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('continues as new after 100 pages where it was, and passes again after a pause while cases did not answer', async () => {
    const PAGES = 120;
    let passes = 0;
    t.stubs.behave.runBulkPage = async ({ after }) => {
      if (after + 1 < PAGES) return { last: after + 1, remaining: -1 };
      passes += 1;
      // The first pass leaves two cases that did not answer; the second finds none left.
      return { last: null, remaining: passes === 1 ? 2 : 0 };
    };
    const bulkId = randomUUID();
    const handle = await t.env.client.workflow.start<typeof bulkActionWorkflow>('bulkActionWorkflow', {
      workflowId: bulkActionWorkflowId(bulkId),
      taskQueue: t.taskQueue,
      args: [{ bulkId }],
    });
    await handle.result();
    const calls = t.stubs.ofWorkflow(handle.workflowId).of('runBulkPage');
    const afters = calls.map((c) => c.input.after);
    const pass = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    expect(afters).toEqual([...pass(-1, PAGES), -1, ...pass(0, PAGES)].slice(0, afters.length));
    expect(afters).toHaveLength(2 * (PAGES + 1));
    expect(calls.every((c) => c.input.bulkId === bulkId)).toBe(true);
    const runs = [...new Set(calls.map((c) => c.runId))];
    expect(runs).toHaveLength(3);
    // The second run holds both the pause between passes and a continue-as-new.
    await recordHistory(handle, 'bulk-action-pause-and-continue', runs[1]);
    t.stubs.reset();
  });
});
