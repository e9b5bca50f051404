/**
 * P4 one worker with many open cases whose reminders fire: the peak RSS of this process (the
 * worker runs in it) and how late each reminder was recorded in PostgreSQL — the moment its email
 * was queued — after it was due. Beside it, the raw engine: as many workflows, each sleeping until
 * a due time of the same schedule, then running one activity that notes when it ran.
 */
import { randomUUID } from 'node:crypto';
import { inParallel } from '../activities/parallel.js';
import { PathwayTemplate } from '../domain/pathway.js';
import { createParties } from '../test/support/fixtures.js';
import { insertCaseRows, startCases, STARTS_AT_ONCE } from './cases.js';
import { percentile } from './percentiles.js';
import type { RawActivities, sleepsUntil } from './raw-workflows.js';
import type { Report } from './report.js';
import type { BenchStack } from './stack.js';
import { until } from './until.js';

const MiB = 2 ** 20;
const RSS_EVERY_MS = 250;

/**
 * How long after a case opens its reminder is due: longer than opening them all takes (7–12 cases/s
 * on a loaded 2-core machine), so that every case is open before the first reminder fires, and the
 * reminders then fire at the pace the cases were opened. The figure's note says when it was not.
 */
const remindAfterSeconds = (count: number) => Math.max(60, Math.ceil(count / 7));

/** The raw timers' first due time this long after their starts begin: a bare start is many times faster than opening a case, so the starts stay ahead of the schedule. */
const RAW_LEAD_MS = 60_000;

/** Generous: a backlog of reminders is a figure to report, not a reason to give up. */
const waitMs = (count: number) => remindAfterSeconds(count) * 1000 + count * 200 + 600_000;

function remindingTemplate(remindSeconds: number): PathwayTemplate {
  return PathwayTemplate.parse({
    id: 'remind-soon',
    name: 'One step, reminded soon',
    version: 1,
    parties: [
      { id: 'coordinator', kind: 'coordinator', title: 'Coordinator' },
      { id: 'sponsor', kind: 'sponsor_group', title: 'Sponsor group' },
    ],
    // Due a month on, so that only the reminder fires while the benchmark runs.
    stages: [{ id: 'step', title: 'Step', gates: [{ id: 'step', kind: 'task', title: 'Step', actor: 'sponsor', time: { dueIn: '30 days', remindAt: [`${remindSeconds} seconds`], escalateEvery: '30 days' } }] }],
  });
}

/** Samples this process's RSS while `fn` runs; returns the peak, and the RSS before, in MiB. */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peakMiB: number; beforeMiB: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), RSS_EVERY_MS);
  try {
    const result = await fn();
    return { result, peakMiB: Math.max(peak, process.memoryUsage.rss()) / MiB, beforeMiB: before / MiB };
  } finally {
    clearInterval(timer);
  }
}

/** SafeRoutes: `count` cases opened as fast as the worker takes them; for each reminder, when it was due (ms) and how late it was recorded and fired (s). */
async function caseReminders(stack: BenchStack, count: number, remindSeconds: number) {
  const { sql } = stack;
  const template = remindingTemplate(remindSeconds);
  const { members, parties } = await createParties(sql, template);
  const sponsor = members.sponsor!;
  const reminded = async () => Number((await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM notifications WHERE person_id = ${sponsor.personId} AND template = 'reminder'`)[0]!.n);
  await stack.withWorker('bench-p4', async () => {
    await startCases(stack.client, 'bench-p4', await insertCaseRows(sql, { template, parties, count, referencePrefix: `P4-${randomUUID().slice(0, 8)}` }));
    await until('every reminder recorded', async () => (await reminded()) >= count, waitMs(count));
  });
  // Due: when the gate opened (its timeline event, on the workflow's clock) plus the reminder's delay.
  return sql<{ dueAt: number; recorded: number; fired: number }[]>`
    SELECT extract(epoch FROM o.at)::float8 * 1000 + ${remindSeconds * 1000} AS "dueAt",
           extract(epoch FROM n.recorded - o.at)::float8 - ${remindSeconds} AS recorded,
           extract(epoch FROM r.at - o.at)::float8 - ${remindSeconds} AS fired
    FROM (SELECT case_id, min(created_at) AS recorded FROM notifications WHERE person_id = ${sponsor.personId} AND template = 'reminder' GROUP BY case_id) n
    JOIN case_events o ON o.case_id = n.case_id AND o.kind = 'gate_opened'
    JOIN case_events r ON r.case_id = n.case_id AND r.kind = 'reminder_sent'`;
}

/**
 * The raw engine: one timer for each of `dueAts`, the whole schedule moved to begin a minute from
 * now, so the raw worker meets the due times at the pace the cases met theirs. Returns each timer's
 * lateness in s.
 */
async function rawTimers(stack: BenchStack, dueAts: number[]): Promise<number[]> {
  const run = randomUUID().slice(0, 8);
  const lateness = new Map<string, number>();
  const activities: RawActivities = {
    // Keyed by workflow, so a retried activity does not count twice.
    recordWake: async (sleeper, dueAt) => void lateness.set(sleeper, (Date.now() - dueAt) / 1000),
  };
  const schedule = [...dueAts].sort((a, b) => a - b);
  const shift = Date.now() - schedule[0]! + RAW_LEAD_MS;
  await stack.withRawWorker(
    'bench-raw',
    async () => {
      await inParallel([...schedule.keys()], STARTS_AT_ONCE, (i) =>
        stack.client.workflow.start<typeof sleepsUntil>('sleepsUntil', { workflowId: `reminder-${run}-${i}`, taskQueue: 'bench-raw', args: [schedule[i]! + shift] }),
      );
      await until('every raw timer fired', async () => lateness.size === dueAts.length, waitMs(dueAts.length));
    },
    { activities },
  );
  return [...lateness.values()];
}

export async function reminders(stack: BenchStack, count: number, report: Report): Promise<void> {
  const remindSeconds = remindAfterSeconds(count);
  const { result: cases, peakMiB, beforeMiB } = await withPeakRss(() => caseReminders(stack, count, remindSeconds));
  const raw = await rawTimers(stack, cases.map((c) => c.dueAt));
  const recorded = cases.map((c) => c.recorded);
  const fired = cases.map((c) => c.fired);
  const openedOver = (Math.max(...cases.map((c) => c.dueAt)) - Math.min(...cases.map((c) => c.dueAt))) / 1000;

  report.add({
    benchmark: 'P4',
    name: 'peak RSS',
    unit: 'MiB',
    value: peakMiB,
    target: { on: 'figure', op: '≤', limit: 1024 },
    note: `${count} open cases on one worker in this process, ${beforeMiB.toFixed(0)} MiB before; no raw figure: the raw timers run after the cases in this process`,
  });
  report.add({
    benchmark: 'P4',
    name: 'reminder lateness p50',
    unit: 's',
    value: percentile(recorded, 50),
    raw: percentile(raw, 50),
    note: `recorded in PostgreSQL − due; due ${remindSeconds} s after each case opened, the cases opened over ${openedOver.toFixed(0)} s${openedOver > remindSeconds ? ' (so the first reminders fired while cases were still opening)' : ''}; the raw timers on the same schedule`,
  });
  report.add({
    benchmark: 'P4',
    name: 'reminder lateness p99',
    unit: 's',
    value: percentile(recorded, 99),
    raw: percentile(raw, 99),
    target: { on: 'figure', op: '≤', limit: 5 },
    note: `fired on the workflow's clock: p50 ${percentile(fired, 50).toFixed(2)} s, p99 ${percentile(fired, 99).toFixed(2)} s`,
  });
}
