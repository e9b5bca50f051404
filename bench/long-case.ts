/**
 * P5 history events of a 24-month case with weekly reminders, on the time-skipping test server
 * (two years of timers in seconds): the events of each run of its history — continue-as-new is
 * what keeps a run bounded — and in total. Beside it, the raw engine: as many weekly timers in one
 * workflow that never continues as new.
 */
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { findTool } from '../devstack/tools.js';
import { PathwayTemplate } from '../domain/pathway.js';
import { ensureSearchAttributes } from '../infra/temporal.js';
import { createParties } from '../test/support/fixtures.js';
import { caseWorkflowId, searchAttributeKeys } from '../workflows/contract.js';
import { insertCaseRows, startCases } from './cases.js';
import type { weeklyTimers } from './raw-workflows.js';
import type { Report } from './report.js';
import type { BenchStack } from './stack.js';
import { until } from './until.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const MONTHS = 24;
const MONTH_MS = (365 / 12) * DAY_MS;

/** A step nobody takes: due after a week, then its coordinators are reminded every week that it is overdue. */
const weeklyReminders = PathwayTemplate.parse({
  id: 'weekly-reminders',
  name: 'A step nobody takes',
  version: 1,
  parties: [
    { id: 'coordinator', kind: 'coordinator', title: 'Coordinator' },
    { id: 'sponsor', kind: 'sponsor_group', title: 'Sponsor group' },
  ],
  stages: [{ id: 'waiting', title: 'Waiting', gates: [{ id: 'report', kind: 'task', title: 'Situation report', actor: 'sponsor', time: { dueIn: '1 week', remindAt: [], escalateEvery: '1 week' } }] }],
});

/** On the due date (a week in) and every week after it, within the 24 months: 104. */
const REMINDERS = Math.floor((MONTHS * MONTH_MS - WEEK_MS) / WEEK_MS) + 1;

/** The history length of every run of a workflow, oldest first: from the latest run back along its continue-as-new chain. */
async function eventsPerRun(client: Client, workflowId: string): Promise<number[]> {
  const runs: number[] = [];
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    const history: Awaited<ReturnType<WorkflowHandle['fetchHistory']>> = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    runs.unshift(events.length);
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return runs;
}

export async function longCase(stack: BenchStack, report: Report): Promise<void> {
  const { sql } = stack;
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: findTool('temporal-test-server') } },
    client: { dataConverter: stack.dataConverter },
  });
  try {
    await ensureSearchAttributes(env.connection, env.namespace ?? 'default', searchAttributeKeys);
    const server = { nativeConnection: env.nativeConnection, client: env.client };
    const { parties } = await createParties(sql, weeklyReminders);
    // The raw workflow first: it ends, while the case never does — and a task no worker takes stops
    // the test server's clock.
    const rawEvents = await stack.withRawWorker(
      'bench-raw',
      async () => {
        const handle = await env.client.workflow.start<typeof weeklyTimers>('weeklyTimers', { workflowId: `weekly-timers-${randomUUID()}`, taskQueue: 'bench-raw', args: [REMINDERS, WEEK_MS] });
        await handle.result();
        return (await handle.fetchHistory()).events?.length ?? 0;
      },
      { server },
    );

    const runs = await stack.withWorker(
      'bench-long-case',
      async () => {
        const [newCase] = await insertCaseRows(sql, { template: weeklyReminders, parties, count: 1, referencePrefix: 'P5' });
        await startCases(env.client, 'bench-long-case', [newCase!]);
        for (let month = 0; month < MONTHS; month++) await env.sleep(MONTH_MS);
        // Time stands still between sleeps: the last reminder's projection finishes in real time.
        const sent = async () => (await sql<{ n: number | null }[]>`SELECT (state->'gates'->0->>'escalationsSent')::int AS n FROM cases WHERE id = ${newCase!.caseId}`)[0]?.n ?? 0;
        await until(`all ${REMINDERS} weekly reminders projected`, async () => (await sent()) >= REMINDERS, 120_000, 250);
        return eventsPerRun(env.client, caseWorkflowId(newCase!.caseId));
      },
      server,
    );

    const total = runs.reduce((a, b) => a + b, 0);
    report.add({
      benchmark: 'P5',
      name: 'history events per run (max)',
      unit: 'events',
      value: Math.max(...runs),
      raw: rawEvents,
      target: { on: 'figure', op: '<', limit: 2_000 },
      note: `${REMINDERS} weekly reminders over ${MONTHS} months; events of each run: ${runs.join(', ')}`,
    });
    report.add({ benchmark: 'P5', name: 'runs (continue-as-new)', unit: '', value: runs.length, raw: 1 });
    report.add({ benchmark: 'P5', name: 'history events in total', unit: 'events', value: total, raw: rawEvents });
  } finally {
    await env.teardown();
  }
}
