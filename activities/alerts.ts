/**
 * Evaluates every alert of every running programme (domain/programme-alert.ts) from the
 * projection, and emails the programme's coordinators when one is crossed: once, until it clears.
 * The state change and the email's outbox row are one transaction, and the change only happens
 * from "clear" (`crossed_since IS NULL`), so a retried activity or two overlapping runs send one
 * email per crossing.
 */
import type { JSONValue } from 'postgres';
import { isCrossed, type AlertKind } from '../domain/programme-alert.js';
import type { Sql } from '../infra/db.js';
import type { NotificationPayload } from '../notifications/payload.js';

export interface AlertRunResult {
  evaluated: number;
  crossed: number;
  cleared: number;
}

interface Measured {
  id: string;
  kind: AlertKind;
  threshold: number;
  crossedSince: Date | null;
  programmeId: string;
  name: string;
  coordinator: string;
  value: number;
}

export function createAlertActivities({ sql }: { sql: Sql }) {
  return {
    async evaluateAlerts(): Promise<AlertRunResult> {
      const alerts = await sql<Measured[]>`
        SELECT a.id, a.kind, a.threshold, a.crossed_since AS "crossedSince", a.programme_id AS "programmeId", p.name, p.coordinator_organisation_id AS coordinator,
               (CASE a.kind
                 WHEN 'overdue-steps' THEN (SELECT count(*) FROM open_gates g WHERE g.programme_id = a.programme_id AND g.first_party AND g.on_hold IS NULL AND g.due_at < now())
                 ELSE (SELECT count(*) FROM open_gates g WHERE g.programme_id = a.programme_id AND g.first_party AND g.on_hold IS NULL AND g.opened_at < now() - a.threshold * interval '1 day')
               END)::int AS value
        FROM programme_alerts a JOIN programmes p ON p.id = a.programme_id
        WHERE p.status <> 'closed'`;
      const result: AlertRunResult = { evaluated: alerts.length, crossed: 0, cleared: 0 };
      for (const a of alerts) {
        const crossed = isCrossed(a.kind, a.value, a.threshold);
        await sql.begin(async (tx) => {
          if (crossed && !a.crossedSince) {
            const [row] = await tx<{ times: number }[]>`
              UPDATE programme_alerts SET crossed_since = now(), times_crossed = times_crossed + 1, last_value = ${a.value}, evaluated_at = now()
              WHERE id = ${a.id} AND crossed_since IS NULL RETURNING times_crossed AS times`;
            if (!row) return;
            result.crossed += 1;
            const payload: NotificationPayload = { subject: { kind: 'programme', id: a.programmeId, reference: a.name }, detail: a.kind, measure: { value: a.value, threshold: a.threshold } };
            // One message per person of the coordinating organisation, keyed by the crossing.
            await tx`
              INSERT INTO notifications (key, programme_id, person_id, template, message_id, payload)
              SELECT ${`alert:${a.id}:${row.times}:`} || p.id, ${a.programmeId}, p.id, 'alert',
                     '<' || left(encode(sha256(convert_to(${`alert:${a.id}:${row.times}:`} || p.id, 'UTF8')), 'hex'), 32) || '@saferoutes>',
                     ${tx.json(payload as unknown as JSONValue)}
              FROM people p WHERE p.organisation_id = ${a.coordinator} AND p.role <> 'admin'
              ON CONFLICT (key) DO NOTHING`;
            return;
          }
          if (!crossed && a.crossedSince) {
            const cleared = await tx`UPDATE programme_alerts SET crossed_since = NULL, last_value = ${a.value}, evaluated_at = now() WHERE id = ${a.id} AND crossed_since IS NOT NULL`;
            result.cleared += cleared.count;
            return;
          }
          await tx`UPDATE programme_alerts SET last_value = ${a.value}, evaluated_at = now() WHERE id = ${a.id}`;
        });
      }
      return result;
    },
  };
}
