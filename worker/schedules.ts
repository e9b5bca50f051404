/**
 * The Temporal Schedules SafeRoutes runs, made at worker start (worker/run.ts). One list, so a
 * further schedule is one more entry. Idempotent: a schedule that exists already is brought up to
 * its definition here (its spec, action and policies), keeping its state (paused or not) as an
 * operator left it.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { TASK_QUEUE } from '../workflows/contract.js';
import type { DigestRunInput } from '../workflows/digest.js';
import { DEFAULT_RETENTION_MONTHS, RETENTION_SCHEDULE_ID, type RetentionRunInput } from '../usecases/retention.js';

export function scheduleDefinitions(taskQueue: string = TASK_QUEUE, retentionMonths: number = DEFAULT_RETENTION_MONTHS): ScheduleOptions[] {
  return [
    {
      // Every hour on the hour: each person's digest goes at the first run at or after their local hour (activities/digest.ts).
      scheduleId: 'daily-digests',
      spec: { intervals: [{ every: '1 hour' }] },
      action: { type: 'startWorkflow', workflowType: 'digestWorkflow', workflowId: 'digests', taskQueue, args: [{} satisfies DigestRunInput] },
      // A run that is still busy makes the next wait out; after an outage one run catches up (it sends every digest that is due).
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    },
    {
      // Every ten minutes: each programme alert measured, an email when one is crossed (activities/alerts.ts).
      scheduleId: 'programme-alerts',
      spec: { intervals: [{ every: '10 minutes' }] },
      action: { type: 'startWorkflow', workflowType: 'alertsWorkflow', workflowId: 'programme-alerts', taskQueue, args: [] },
      // Only the latest state matters: a missed run is not made up, the next one measures anew.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 minutes' },
    },
    {
      // Every day: closed cases' personal data erased RETENTION_MONTHS after they closed (usecases/retention.ts).
      scheduleId: RETENTION_SCHEDULE_ID,
      spec: { intervals: [{ every: '1 day' }] },
      action: { type: 'startWorkflow', workflowType: 'retentionWorkflow', workflowId: 'personal-data-retention', taskQueue, args: [{ months: retentionMonths } satisfies RetentionRunInput] },
      // A missed day is made up by the next run, which erases whatever is due by then.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    },
  ];
}

export async function ensureSchedules(client: Client, definitions: ScheduleOptions[] = scheduleDefinitions()): Promise<void> {
  for (const definition of definitions) {
    try {
      await client.schedule.create(definition);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await client.schedule.getHandle(definition.scheduleId).update((previous) => ({ ...previous, spec: definition.spec, action: definition.action, policies: { ...previous.policies, ...definition.policies } }));
    }
  }
}
