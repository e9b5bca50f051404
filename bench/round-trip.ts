/**
 * P2 action round-trip: a coordinator's nudge through the HTTP API, answered with the case's new
 * state — token, visibility, idempotency record, the update with its validator, the nudge's
 * timeline event and email rows — beside `executeUpdate` on a workflow whose one update handler
 * only answers. A nudge can be repeated on an open gate, so every request is a real action.
 */
import { randomUUID } from 'node:crypto';
import { createParties } from '../test/support/fixtures.js';
import { oneStepTemplate } from '../test/support/templates.js';
import { serveBenchApi } from './api.js';
import { insertCaseRows, startCases } from './cases.js';
import { atConcurrency } from './percentiles.js';
import type { waitsForUpdates } from './raw-workflows.js';
import type { Report } from './report.js';
import type { BenchStack } from './stack.js';

const CONCURRENCY = 4;
/** The requests go round these, so no two at once wait on the same workflow. */
const CASES = 20;
const template = oneStepTemplate;

export async function roundTrip(stack: BenchStack, count: number, report: Report): Promise<void> {
  const run = randomUUID().slice(0, 8);
  const raw = await stack.withRawWorker('bench-raw', async () => {
    const handles = await Promise.all(
      Array.from({ length: CASES }, (_, i) => stack.client.workflow.start<typeof waitsForUpdates>('waitsForUpdates', { workflowId: `round-trip-${run}-${i}`, taskQueue: 'bench-raw' })),
    );
    const ping = (i: number) => handles[i % CASES]!.executeUpdate('ping', { args: [1] });
    // One round not counted, as on the SafeRoutes side: each workflow's first task is not an update's cost.
    await atConcurrency(CASES, CONCURRENCY, ping);
    return atConcurrency(count, CONCURRENCY, ping);
  });

  const { members, parties } = await createParties(stack.sql, template);
  const coordinator = members.coordinator!;
  const saferoutes = await stack.withWorker('bench-p2', async () => {
    const cases = await insertCaseRows(stack.sql, { template, parties, count: CASES, referencePrefix: `P2-${run}` });
    await startCases(stack.client, 'bench-p2', cases);
    const api = await serveBenchApi(stack, 'bench-p2');
    try {
      const gate = template.stages[0]!.gates[0]!.id;
      const nudge = (i: number) => api.post(coordinator, `/v1/cases/${cases[i % CASES]!.caseId}/nudge`, { gateId: gate }, 200);
      await atConcurrency(CASES, CONCURRENCY, nudge);
      return await atConcurrency(count, CONCURRENCY, nudge);
    } finally {
      await api.close();
    }
  });

  const sizes = `${count} nudges over ${CASES} cases, ${CONCURRENCY} at a time`;
  report.add({ benchmark: 'P2', name: 'action round-trip p50', unit: 'ms', value: saferoutes.p50, raw: raw.p50, target: { on: 'ratio', op: '≤', limit: 1.5 }, note: sizes });
  report.add({ benchmark: 'P2', name: 'action round-trip p99', unit: 'ms', value: saferoutes.p99, raw: raw.p99, target: { on: 'ratio', op: '≤', limit: 2 } });
}
