/**
 * Delivers a sponsor group's roster changes to its cases (workflows/roster-delivery.ts says why it
 * is built this way): reads the newest version waiting in `roster_changes`, sends `groupChanged` to
 * every open case in which the group takes part, then deletes the rows it covered. Every
 * step may run again: the update's id makes a repeat within a run a no-op, and a case ignores a
 * version it already knows.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Sql } from '../infra/db.js';
import { isBackpressure, isWorkflowGone } from '../infra/temporal-errors.js';
import { caseWorkflowId, groupChangedUpdate } from '../workflows/contract.js';
import { rosterUpdateId } from '../workflows/roster-delivery.js';
import { inParallel } from './parallel.js';

/** Cases told at once. */
const FAN_OUT = 8;
/** How long one case may take to answer before the pass fails and is retried (a worker may be down). */
const ANSWER_WITHIN_MS = 20_000;

export interface RosterDeliveryResult {
  /** The version delivered (0: nothing was waiting). */
  rosterVersion: number;
  /** Cases that took it as news. */
  told: number;
}

export function createRosterDeliveryActivities({ sql, temporal }: { sql: Sql; temporal: Client }) {
  async function tell(organisationId: string, rosterVersion: number, caseId: string): Promise<boolean> {
    for (;;) {
      try {
        const reply = await temporal.withDeadline(Date.now() + ANSWER_WITHIN_MS, () =>
          temporal.workflow.getHandle(caseWorkflowId(caseId)).executeUpdate(groupChangedUpdate, {
            args: [{ organisationId, rosterVersion }],
            updateId: rosterUpdateId(organisationId, rosterVersion, caseId),
          }),
        );
        return reply.accepted;
      } catch (error) {
        // A case that ended (or never started) has nothing to check any more.
        if (isWorkflowGone(error)) return false;
        if (!isBackpressure(error)) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 400));
      }
    }
  }

  return {
    async deliverRosterChanges({ organisationId }: { organisationId: string }): Promise<RosterDeliveryResult> {
      const ctx = Context.current();
      const [waiting] = await sql<{ version: string | null }[]>`SELECT max(roster_version)::text AS version FROM roster_changes WHERE organisation_id = ${organisationId}`;
      if (!waiting?.version) return { rosterVersion: 0, told: 0 };
      const rosterVersion = Number(waiting.version);
      // Every case in which the group fills a party slot, and those it is proposed for (`proposed:<slot>`,
      // usecases/match.ts), that may still check it ('starting': its workflow may run already). A case
      // where the group only is a candidate takes the notice as nothing — unless it accepts meanwhile:
      // listed as a candidate until the projection lists it as the party, a case that accepted just
      // after this change committed is told of it too, whichever its step reads first.
      const cases = await sql<{ id: string }[]>`
        SELECT DISTINCT p.case_id AS id FROM case_parties p JOIN cases c ON c.id = p.case_id
        WHERE p.organisation_id = ${organisationId} AND c.status IN ('starting', 'active', 'waitlisted')
        ORDER BY 1`;
      const answers = await inParallel(cases, FAN_OUT, async ({ id }) => {
        ctx.heartbeat();
        return tell(organisationId, rosterVersion, id);
      });
      // Later changes stay: each has its own run, started after its commit.
      await sql`DELETE FROM roster_changes WHERE organisation_id = ${organisationId} AND roster_version <= ${rosterVersion}`;
      return { rosterVersion, told: answers.filter(Boolean).length };
    },
  };
}
