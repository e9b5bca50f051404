/**
 * Retention: a closed case's personal data is erased a number of months after it closed
 * (`RETENTION_MONTHS`, 24 by default), by a Temporal Schedule (`personal-data-retention`,
 * worker/schedules.ts) that starts `retentionWorkflow` (workflows/retention.ts) every day. Each
 * erasure is recorded like an admin's (usecases/erasure.ts) with actor `system` and reason
 * "retention: N months". A case closed when its last event happened (`CLOSED_AT_SQL`).
 */
import type { Client } from '@temporalio/client';
import type { Sql } from '../infra/db.js';
import type { RetentionRunInput } from '../workflows/retention.js';
import { CLOSED_AT_SQL, eraseCase } from './erasure.js';

/** The default retention, in months after a case closed. */
export const DEFAULT_RETENTION_MONTHS = 24;

/** The schedule that applies it (worker/schedules.ts). */
export const RETENTION_SCHEDULE_ID = 'personal-data-retention';

/** The retention run's input (declared with its workflow): the months the schedule passes, and the moment to measure from. */
export type { RetentionRunInput };

/** Cases erased by one activity call at most: a run erases a batch at a time, and continues as new when there are many. */
export const RETENTION_BATCH = 50;

/** The reason recorded for an erasure by retention. */
export const retentionReason = (months: number) => `retention: ${months} months`;

/**
 * Erases up to `limit` closed cases that closed more than `months` months before `now`, oldest id
 * first; each in its own transaction, once (a case erased meanwhile is skipped). Returns how many
 * it erased and whether more may be due.
 */
export async function eraseExpired(sql: Sql, { months, now, limit = RETENTION_BATCH }: { months: number; now: number; limit?: number }): Promise<{ erased: number; more: boolean }> {
  const due = await sql<{ id: string }[]>`
    SELECT c.id FROM cases c
    WHERE c.status IN ('completed', 'rejected', 'withdrawn') AND NOT EXISTS (SELECT 1 FROM case_erasures e WHERE e.case_id = c.id)
      AND ${sql.unsafe(CLOSED_AT_SQL)} < ${new Date(now)}::timestamptz - make_interval(months => ${months})
    ORDER BY c.id
    LIMIT ${limit}`;
  let erased = 0;
  for (const { id } of due) {
    const { already } = await eraseCase(sql, id, { actor: 'system', retentionMonths: months }, retentionReason(months));
    if (!already) erased += 1;
  }
  return { erased, more: due.length === limit };
}

export interface RetentionSetting {
  months: number;
  /** `schedule`: what the running schedule applies; `default`: no schedule found (the worker has not made it yet). */
  source: 'schedule' | 'default';
  paused: boolean;
}

/** The retention the schedule applies, as the admin page shows it. */
export async function retentionSetting(temporal: Client, fallback = DEFAULT_RETENTION_MONTHS): Promise<RetentionSetting> {
  try {
    const described = await temporal.withDeadline(Date.now() + 1_500, () => temporal.schedule.getHandle(RETENTION_SCHEDULE_ID).describe());
    const action = described.action as { args?: unknown[] };
    const months = (action.args?.[0] as Partial<RetentionRunInput> | undefined)?.months;
    if (typeof months === 'number') return { months, source: 'schedule', paused: described.state.paused };
  } catch {
    // No schedule (yet), or Temporal away: the default is what will apply.
  }
  return { months: fallback, source: 'default', paused: false };
}
