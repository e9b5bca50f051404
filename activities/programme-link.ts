/**
 * How a case and its programme reach each other: updates sent from activities, each with an id
 * the receiver remembers, so that a retry after a timeout or a worker crash is answered, not
 * applied again. A workflow that has closed has nothing to hear and answers "not accepted".
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { CaseMessage, NoticeReply, ProgrammeNotice, ProgrammeReply } from '../domain/programme-link.js';
import { noticeId } from '../domain/programme-link.js';
import type { Sql } from '../infra/db.js';
import { isBackpressure, isWorkflowGone } from '../infra/temporal-errors.js';
import { caseMessageUpdate, caseWorkflowId, programmeNoticeUpdate, programmeWorkflowId } from '../workflows/contract.js';
import { inParallel } from './parallel.js';

/** How many cases a fan-out updates at once: enough to keep a 2-core worker busy, not more. */
const FAN_OUT = 24;
const PAGE = 500;
/** How long a case message waits its turn at a busy programme before the activity fails and retries (its timeout is 30 s). */
const BACKPRESSURE_PATIENCE_MS = 15_000;

export function createProgrammeLinkActivities({ sql, temporal }: { sql: Sql; temporal: Client }) {
  async function notify(programmeId: string, caseId: string, notice: ProgrammeNotice): Promise<boolean> {
    try {
      const reply: NoticeReply = await temporal.workflow.getHandle(caseWorkflowId(caseId)).executeUpdate(programmeNoticeUpdate, {
        args: [notice],
        updateId: noticeId(programmeId, caseId, notice),
      });
      return reply.accepted;
    } catch (error) {
      if (isWorkflowGone(error)) return false;
      throw error;
    }
  }

  return {
    /** A case's message to its programme, and the programme's answer. */
    /**
     * One case message to its programme. When many cases talk to one programme at once, the server
     * turns some away (a workflow takes 10 updates in flight): that is a queue, not a failure, so the
     * message waits its turn here (a short, jittered pause) instead of failing the activity — which
     * would put every waiting case on the board as failing and back off for up to a minute.
     */
    async tellProgramme({ programmeId, caseId, id, message }: { programmeId: string; caseId: string; id: string; message: CaseMessage }): Promise<ProgrammeReply> {
      const giveUpAt = Date.now() + BACKPRESSURE_PATIENCE_MS;
      for (;;) {
        try {
          return await temporal.workflow.getHandle(programmeWorkflowId(programmeId)).executeUpdate(caseMessageUpdate, { args: [{ caseId, message }], updateId: id });
        } catch (error) {
          if (isWorkflowGone(error)) return { accepted: false, refusal: 'the programme is not running', status: 'closed', epoch: 0, paused: false };
          if (!isBackpressure(error) || Date.now() > giveUpAt) throw error;
          await new Promise((r) => setTimeout(r, 100 + Math.random() * 400));
        }
      }
    },

    /**
     * Tells every open case of the programme of a pause or resume, paging through PostgreSQL in id
     * order. Progress is heartbeated, so a retry resumes after the last page it finished. Returns
     * how many cases took it.
     */
    async tellCases({ programmeId, epoch, paused }: { programmeId: string; epoch: number; paused: boolean }): Promise<number> {
      const ctx = Context.current();
      const resumed = ctx.info.heartbeatDetails as { after: string; told: number } | undefined;
      let after = resumed?.after ?? '00000000-0000-0000-0000-000000000000';
      let told = resumed?.told ?? 0;
      for (;;) {
        const page = await sql<{ id: string }[]>`
          SELECT id FROM cases
          WHERE programme_id = ${programmeId} AND status IN ('starting', 'active', 'waitlisted') AND id > ${after}
          ORDER BY id LIMIT ${PAGE}`;
        if (page.length === 0) return told;
        const results = await inParallel(page, FAN_OUT, async ({ id }) => {
          ctx.heartbeat({ after, told });
          return notify(programmeId, id, { kind: 'status', epoch, paused });
        });
        told += results.filter(Boolean).length;
        after = page.at(-1)!.id;
        ctx.heartbeat({ after, told });
      }
    },

    /**
     * Offers `places` free places to the cases waiting longest, as offer `round`. Idempotent per
     * round: a retry offers the same cases again and gets the answers they gave. Returns the cases
     * that took a place.
     */
    async grantPlaces({ programmeId, round, places }: { programmeId: string; round: number; places: number }): Promise<{ accepted: string[] }> {
      // Earlier rounds are settled (the programme starts a round only after the last one's answer).
      await sql`DELETE FROM programme_waitlist WHERE programme_id = ${programmeId} AND offered_round < ${round}`;
      let offered = await sql<{ caseId: string; accepted: boolean | null }[]>`
        SELECT case_id AS "caseId", accepted FROM programme_waitlist WHERE programme_id = ${programmeId} AND offered_round = ${round}`;
      if (offered.length === 0) {
        offered = await sql<{ caseId: string; accepted: boolean | null }[]>`
          WITH next AS (
            SELECT case_id FROM programme_waitlist
            WHERE programme_id = ${programmeId} AND offered_round IS NULL
            ORDER BY position LIMIT ${places})
          UPDATE programme_waitlist w SET offered_round = ${round}
          FROM next WHERE w.programme_id = ${programmeId} AND w.case_id = next.case_id
          RETURNING w.case_id AS "caseId", w.accepted`;
      }
      const answers = await inParallel(offered, FAN_OUT, async ({ caseId, accepted }) => {
        if (accepted !== null) return { caseId, accepted };
        const answer = await notify(programmeId, caseId, { kind: 'place_granted', round });
        await sql`UPDATE programme_waitlist SET accepted = ${answer} WHERE programme_id = ${programmeId} AND case_id = ${caseId}`;
        return { caseId, accepted: answer };
      });
      return { accepted: answers.filter((a) => a.accepted).map((a) => a.caseId) };
    },
  };
}
