/**
 * A programme's alerts, kept by its coordinator: "more than N steps overdue", "a step open longer
 * than N days" (domain/programme-alert.ts). Measured every ten minutes (activities/alerts.ts); the
 * coordinator is emailed when one is crossed, once, until it clears. Only the programme's own
 * coordinators read and change them: a signatory gets 403, anyone else 404.
 */
import { randomUUID } from 'node:crypto';
// zod with OpenAPI metadata: the API documents these very schemas.
import { z } from '@hono/zod-openapi';
import { ALERT_KINDS, type AlertKind } from '../domain/programme-alert.js';
import type { Queryable } from '../infra/db.js';
import type { Caller } from './caller.js';
import { ProblemError } from './problem.js';
import { visibleProgramme } from './scope.js';
import { derivedId } from './texts.js';

export const NewAlert = z.object({
  kind: z.enum(ALERT_KINDS).describe('`overdue-steps`: more than `threshold` steps overdue; `step-age`: a step open longer than `threshold` days'),
  threshold: z.coerce.number().int().min(1).max(100_000),
});
export type NewAlert = z.infer<typeof NewAlert>;

export interface ProgrammeAlert {
  id: string;
  kind: AlertKind;
  threshold: number;
  /** Crossed now, and since when (an email went out then); null when clear. */
  crossedSince: string | null;
  /** What the last evaluation measured, and when; null before the first. */
  lastValue: number | null;
  evaluatedAt: string | null;
  timesCrossed: number;
  createdAt: string;
}

/** How many alerts a programme keeps: enough for every question worth an email. */
export const MAX_ALERTS = 20;

const notTheCoordinator = () => new ProblemError(403, 'Coordinators only', "Only the programme's coordinators set its alerts.");

async function coordinated(sql: Queryable, caller: Caller, programmeId: string): Promise<void> {
  const { coordinator } = await visibleProgramme(sql, caller, programmeId);
  if (coordinator !== caller.organisationId || caller.role !== 'coordinator') throw notTheCoordinator();
}

const columns = (sql: Queryable) => sql`
  id, kind, threshold, crossed_since AS "crossedSince", last_value AS "lastValue", evaluated_at AS "evaluatedAt", times_crossed AS "timesCrossed", created_at AS "createdAt"`;

type Row = Omit<ProgrammeAlert, 'crossedSince' | 'evaluatedAt' | 'createdAt'> & { crossedSince: Date | null; evaluatedAt: Date | null; createdAt: Date };
const shaped = (r: Row): ProgrammeAlert => ({ ...r, crossedSince: r.crossedSince?.toISOString() ?? null, evaluatedAt: r.evaluatedAt?.toISOString() ?? null, createdAt: r.createdAt.toISOString() });

export async function listAlerts(sql: Queryable, caller: Caller, programmeId: string): Promise<ProgrammeAlert[]> {
  await coordinated(sql, caller, programmeId);
  const rows = await sql<Row[]>`SELECT ${columns(sql)} FROM programme_alerts WHERE programme_id = ${programmeId} ORDER BY created_at, id`;
  return rows.map(shaped);
}

/** Adds an alert; the same key (Idempotency-Key, or the page form's) adds it once. */
export async function createAlert(sql: Queryable, caller: Caller, programmeId: string, alert: NewAlert, key?: string): Promise<ProgrammeAlert> {
  await coordinated(sql, caller, programmeId);
  const id = key ? derivedId(`programme-alert:${caller.personId}:${key}`) : randomUUID();
  const [others] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM programme_alerts WHERE programme_id = ${programmeId} AND id <> ${id}`;
  if (others!.n >= MAX_ALERTS) throw new ProblemError(409, 'Too many alerts', `A programme keeps at most ${MAX_ALERTS} alerts: delete one first.`);
  await sql`
    INSERT INTO programme_alerts (id, programme_id, kind, threshold, created_by)
    VALUES (${id}, ${programmeId}, ${alert.kind}, ${alert.threshold}, ${caller.personId})
    ON CONFLICT (id) DO NOTHING`;
  const [row] = await sql<Row[]>`SELECT ${columns(sql)} FROM programme_alerts WHERE id = ${id} AND programme_id = ${programmeId}`;
  if (!row) throw new ProblemError(409, 'Key used before', 'This Idempotency-Key was used for another programme.');
  return shaped(row);
}

export async function deleteAlert(sql: Queryable, caller: Caller, programmeId: string, alertId: string): Promise<void> {
  await coordinated(sql, caller, programmeId);
  const deleted = await sql`DELETE FROM programme_alerts WHERE id = ${alertId} AND programme_id = ${programmeId}`;
  if (deleted.count === 0) throw new ProblemError(404, 'Alert not found', 'This programme has no such alert.');
}
