/**
 * The PostgreSQL projection of case and programme state, and their append-only timelines.
 * Idempotent: an event is written once (by key); an older state never overwrites a newer one.
 */
import type { JSONValue } from 'postgres';
import type { TimelineEvent } from '../domain/case-effects.js';
import type { CaseView } from '../domain/case-view.js';
import type { ProgrammeView } from '../domain/programme-model.js';
import type { Sql } from '../infra/db.js';

const json = (v: unknown) => v as JSONValue;

export function createProjectionActivities({ sql }: { sql: Sql }) {
  return {
    async projectCase({ view, events }: { view: CaseView; events: TimelineEvent[] }): Promise<void> {
      await sql.begin(async (tx) => {
        for (const e of events) {
          await tx`
            INSERT INTO case_events (case_id, event_key, kind, actor, reason, data, at)
            VALUES (${view.caseId}, ${e.key}, ${e.kind}, ${e.actor}, ${e.reason ?? null}, ${tx.json(json({ ...e.data, ...(e.gateId ? { gateId: e.gateId } : {}) }))}, ${new Date(e.at)})
            ON CONFLICT (event_key) DO NOTHING`;
        }
        const updated = await tx`
          UPDATE cases
          SET status = ${view.status}, stage = ${view.stage?.id ?? null}, stuck = ${view.stuck}, waiting_on = ${view.waitingOn},
              next_due_at = ${view.nextDueAt}, programme_id = ${view.programmeId}, pathway_id = ${view.pathway.id},
              state = ${tx.json(json(view))}, state_version = ${view.version}, updated_at = now()
          WHERE id = ${view.caseId} AND state_version < ${view.version}`;
        if (updated.count === 0) return;
        await tx`DELETE FROM case_parties WHERE case_id = ${view.caseId}`;
        const parties = Object.entries(view.parties).map(([slot, organisation_id]) => ({ case_id: view.caseId, slot, organisation_id }));
        if (parties.length) await tx`INSERT INTO case_parties ${tx(parties)}`;
      });
    },

    async projectProgramme({ view, events }: { view: ProgrammeView; events: TimelineEvent[] }): Promise<void> {
      await sql.begin(async (tx) => {
        for (const e of events) {
          await tx`
            INSERT INTO programme_events (programme_id, event_key, kind, actor, reason, data, at)
            VALUES (${view.programmeId}, ${e.key}, ${e.kind}, ${e.actor}, ${e.reason ?? null}, ${tx.json(json(e.data ?? {}))}, ${new Date(e.at)})
            ON CONFLICT (event_key) DO NOTHING`;
        }
        await tx`
          UPDATE programmes
          SET status = ${view.status}, quota = ${view.quota.total}, state = ${tx.json(json(view))}, state_version = ${view.version}, updated_at = now()
          WHERE id = ${view.programmeId} AND state_version < ${view.version}`;
      });
    },
  };
}
