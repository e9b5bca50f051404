/**
 * The PostgreSQL projection of case and programme state, their append-only timelines, and the
 * emails their changes cause — all in one transaction, so a change is visible, recorded and
 * announced together or not at all. Idempotent: an event and an email are written once (by key);
 * an older state never overwrites a newer one. Sending the emails is the dispatcher's job.
 */
import type { JSONValue } from 'postgres';
import type { CaseNotification, TimelineEvent, WaitlistChange } from '../domain/case-effects.js';
import type { CaseView } from '../domain/case-view.js';
import type { ProgrammeView } from '../domain/programme-model.js';
import type { Queryable, Sql, Tx } from '../infra/db.js';
import type { NotificationPayload } from '../notifications/payload.js';
import { routeMessage, type Delivery } from '../domain/notification-preferences.js';
import { caseOnHold, nextStepOf, openGateRows } from './open-gates.js';

const json = (v: unknown) => v as JSONValue;

const eventData = (e: TimelineEvent) => ({ ...e.data, ...(e.gateId ? { gateId: e.gateId } : {}), ...(e.textRef ? { textRef: e.textRef } : {}) });

/**
 * One message per person of each organisation (admins get no case mail), routed by the person's
 * preference and absences (domain/notification-preferences.ts): into the outbox, or withheld for
 * the record (held for the digest, switched off, away). A message's key is the same in both tables
 * and it goes into one of them only, so a retried projection never sends what it held before.
 */
async function queueNotifications(tx: Tx, subject: NotificationPayload['subject'], notifications: CaseNotification[]): Promise<void> {
  for (const n of notifications) {
    const recipients = await tx<{ id: string; preference: Delivery | null; away: boolean; standsInFor: string[] }[]>`
      SELECT p.id,
        (SELECT delivery FROM notification_preferences np WHERE np.person_id = p.id AND np.kind = ${n.template}) AS preference,
        EXISTS (SELECT 1 FROM absences a WHERE a.person_id = p.id AND a.starts_at <= now() AND a.ends_at > now()) AS away,
        ARRAY(SELECT a.person_id::text FROM absences a WHERE a.delegate_id = p.id AND a.starts_at <= now() AND a.ends_at > now() ORDER BY a.starts_at) AS "standsInFor"
      FROM people p
      WHERE p.organisation_id = ANY(${n.organisationIds}::uuid[]) AND p.role <> 'admin'`;
    const [caseId, programmeId] = subject.kind === 'case' ? [subject.id, null] : [null, subject.id];
    const sent: { key: string; person_id: string; payload: NotificationPayload }[] = [];
    const withheld: { key: string; person_id: string; payload: NotificationPayload; reason: string }[] = [];
    for (const person of recipients) {
      const key = `${n.key}:${person.id}`;
      const route = routeMessage(n.template, person);
      const base: NotificationPayload = { subject, gateTitle: n.gateTitle, dueAt: n.dueAt, detail: n.detail };
      if (route.send) sent.push({ key, person_id: person.id, payload: route.onBehalfOf.length ? { ...base, onBehalfOf: [...route.onBehalfOf] } : base });
      else withheld.push({ key, person_id: person.id, payload: base, reason: route.withheld });
    }
    // One statement per table, whatever the organisation's size.
    if (sent.length) {
      await tx`
        INSERT INTO notifications (key, case_id, programme_id, person_id, template, message_id, payload)
        SELECT r.key, ${caseId}, ${programmeId}, r.person_id, ${n.template}, '<' || left(encode(sha256(convert_to(r.key, 'UTF8')), 'hex'), 32) || '@saferoutes>', r.payload
        FROM jsonb_to_recordset(${tx.json(json(sent))}) AS r(key text, person_id uuid, payload jsonb)
        WHERE NOT EXISTS (SELECT 1 FROM notifications_withheld w WHERE w.key = r.key)
        ON CONFLICT (key) DO NOTHING`;
    }
    if (withheld.length) {
      await tx`
        INSERT INTO notifications_withheld (key, case_id, programme_id, person_id, template, payload, reason)
        SELECT r.key, ${caseId}, ${programmeId}, r.person_id, ${n.template}, r.payload, r.reason
        FROM jsonb_to_recordset(${tx.json(json(withheld))}) AS r(key text, person_id uuid, payload jsonb, reason text)
        WHERE NOT EXISTS (SELECT 1 FROM notifications o WHERE o.key = r.key)
        ON CONFLICT (key) DO NOTHING`;
    }
  }
}

/**
 * A programme's row from its state, unless a newer state is there already. The projection writes
 * it; so does an action through SafeRoutes with the state its update answered, so that what the
 * person was told (closed, paused) is what every list and check reads at once.
 */
export async function writeProgrammeState(sql: Queryable, view: ProgrammeView): Promise<void> {
  await sql`
    UPDATE programmes
    SET status = ${view.status}, quota = ${view.quota.total}, state = ${sql.json(json(view))}, state_version = ${view.version}, updated_at = now()
    WHERE id = ${view.programmeId} AND state_version < ${view.version}`;
}

export function createProjectionActivities({ sql }: { sql: Sql }) {
  return {
    async projectCase({ view, events, notifications }: { view: CaseView; events: TimelineEvent[]; notifications: CaseNotification[] }): Promise<void> {
      await sql.begin(async (tx) => {
        for (const e of events) {
          await tx`
            INSERT INTO case_events (case_id, event_key, kind, actor, data, at)
            VALUES (${view.caseId}, ${e.key}, ${e.kind}, ${e.actor}, ${tx.json(json(eventData(e)))}, ${new Date(e.at)})
            ON CONFLICT (event_key) DO NOTHING`;
        }
        await queueNotifications(tx, { kind: 'case', id: view.caseId, reference: view.reference }, notifications);
        const onHold = caseOnHold(view);
        const nextStep = nextStepOf(view);
        const [updated] = await tx<{ coordinator: string | null }[]>`
          UPDATE cases
          SET status = ${view.status}, stage = ${view.stage?.id ?? null}, stuck = ${view.stuck}, waiting_on = ${view.waitingOn},
              next_due_at = ${view.nextDueAt}, next_wake_at = ${view.nextWakeAt}, place = ${view.place},
              programme_id = ${view.programmeId}, pathway_id = ${view.pathway.id}, pathway_name = ${view.pathway.name},
              stage_title = ${view.stage?.title ?? null}, stage_index = ${view.stage?.index ?? null}, stage_count = ${view.stage?.of ?? null},
              on_hold = ${onHold}, next_step = ${nextStep ? tx.json(json(nextStep)) : null},
              state = ${tx.json(json(view))}, state_version = ${view.version}, updated_at = now()
          WHERE id = ${view.caseId} AND state_version < ${view.version}
          RETURNING coordinator_organisation_id AS coordinator`;
        if (!updated) return;
        await tx`DELETE FROM case_parties WHERE case_id = ${view.caseId}`;
        const parties = Object.entries(view.parties).map(([slot, organisation_id]) => ({ case_id: view.caseId, slot, organisation_id }));
        // A match's candidate reads the case while asked (usecases/match.ts): `proposed:<slot>`.
        for (const [slot, organisation_id] of Object.entries(view.proposedTo ?? {})) parties.push({ case_id: view.caseId, slot: `proposed:${slot}`, organisation_id });
        if (parties.length) await tx`INSERT INTO case_parties ${tx(parties)}`;
        await tx`DELETE FROM open_gates WHERE case_id = ${view.caseId}`;
        const gates = openGateRows(view, updated.coordinator);
        if (gates.length) await tx`INSERT INTO open_gates ${tx(gates.map((g) => ({ ...g, todo_params: tx.json(g.todo_params) })))}`;
      });
    },

    async projectProgramme({ view, events, notifications, waitlist }: { view: ProgrammeView; events: TimelineEvent[]; notifications: CaseNotification[]; waitlist: WaitlistChange[] }): Promise<void> {
      await sql.begin(async (tx) => {
        for (const e of events) {
          await tx`
            INSERT INTO programme_events (programme_id, event_key, kind, actor, data, at)
            VALUES (${view.programmeId}, ${e.key}, ${e.kind}, ${e.actor}, ${tx.json(json(eventData(e)))}, ${new Date(e.at)})
            ON CONFLICT (event_key) DO NOTHING`;
        }
        await queueNotifications(tx, { kind: 'programme', id: view.programmeId, reference: view.name }, notifications);
        for (const w of waitlist) {
          if (w.op === 'add') {
            await tx`INSERT INTO programme_waitlist (programme_id, case_id, position) VALUES (${view.programmeId}, ${w.caseId}, ${w.position}) ON CONFLICT DO NOTHING`;
          } else {
            await tx`DELETE FROM programme_waitlist WHERE programme_id = ${view.programmeId} AND case_id = ${w.caseId}`;
          }
        }
        await writeProgrammeState(tx, view);
      });
    },
  };
}
