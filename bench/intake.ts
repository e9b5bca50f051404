/**
 * P1 intake: `POST /v1/cases` through the HTTP API — token, idempotency record, the programme's
 * check, the case's rows, its workflow start and the wait for its first state — beside a bare
 * `client.workflow.start` of a workflow that does nothing, on the same server, at the same
 * concurrency, each with its worker running.
 */
import { randomUUID } from 'node:crypto';
import type { CreatedCase } from '../usecases/create-case.js';
import { createParties } from '../test/support/fixtures.js';
import { oneStepTemplate } from '../test/support/templates.js';
import { serveBenchApi } from './api.js';
import { openProgramme } from './cases.js';
import { atConcurrency, type Load } from './percentiles.js';
import type { waitsForUpdates } from './raw-workflows.js';
import type { Report } from './report.js';
import type { BenchStack } from './stack.js';

const CONCURRENCY = 16;
const template = oneStepTemplate;

/** Both sides first make one round of requests that is not counted: the first ones wait for worker and caches. */
async function warmThenMeasure(count: number, request: (i: number) => Promise<unknown>): Promise<Load> {
  await atConcurrency(CONCURRENCY, CONCURRENCY, (i) => request(count + i));
  return atConcurrency(count, CONCURRENCY, request);
}

export async function intake(stack: BenchStack, count: number, report: Report): Promise<void> {
  const run = randomUUID().slice(0, 8);
  const raw = await stack.withRawWorker('bench-raw', () =>
    warmThenMeasure(count, (i) => stack.client.workflow.start<typeof waitsForUpdates>('waitsForUpdates', { workflowId: `intake-${run}-${i}`, taskQueue: 'bench-raw' })),
  );

  const { members, parties } = await createParties(stack.sql, template);
  const coordinator = members.coordinator!;
  let withoutFirstState = 0;
  const saferoutes = await stack.withWorker('bench-p1', async () => {
    const programmeId = await openProgramme(stack.sql, stack.client, 'bench-p1', { template, coordinator: coordinator.actor, quota: count + CONCURRENCY });
    const api = await serveBenchApi(stack, 'bench-p1');
    try {
      return await warmThenMeasure(count, async (i) => {
        const body = { reference: `P1-${run}-${i}`, programmeId, parties: { sponsor: parties.sponsor }, household: { principalName: 'Bench household' } };
        const created = (await api.post(coordinator, '/v1/cases', body, 201)) as CreatedCase;
        // The API waits up to 2 s for the first projection, then answers without the state.
        if (i < count && created.state === null) withoutFirstState += 1;
      });
    } finally {
      await api.close();
    }
  });

  const sizes = `${count} cases, ${CONCURRENCY} at a time, each in a programme`;
  report.add({ benchmark: 'P1', name: 'intake throughput', unit: 'cases/s', value: saferoutes.perSecond, raw: raw.perSecond, target: { on: 'ratio', op: '≥', limit: 0.6 }, note: sizes });
  report.add({ benchmark: 'P1', name: 'intake p50', unit: 'ms', value: saferoutes.p50, raw: raw.p50 });
  report.add({ benchmark: 'P1', name: 'intake p99', unit: 'ms', value: saferoutes.p99, raw: raw.p99, target: { on: 'ratio', op: '≤', limit: 2 }, note: withoutFirstState ? `${withoutFirstState} answered before their first state was projected` : undefined });
}
