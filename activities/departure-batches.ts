/**
 * The work of a departure batch (workflows/departure-batch.ts), all idempotent:
 *
 * - `markBatch`: the batch's departure, arrival or cancellation in PostgreSQL, once (from the
 *   status before it only), with every case still in it marked pending for that event.
 * - `runBatchPage`: a page of pending cases, each sent the case's `complete` update for its
 *   travel (or arrival) step with `batch`, under the update id `batch:<batchId>:<event>:<caseId>`:
 *   a retried page is answered by the case, never applied twice. A case that refuses (held,
 *   withdrawn, its step not open) leaves the batch with the case's refusal code; one that does not
 *   answer stays pending for a later pass; no case waits on another.
 * - `remindDeparture`: the email to the coordinator's people when the departure date came and the
 *   departure was not confirmed, queued in the notifications outbox once per person.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { JSONValue } from 'postgres';
import { stepsDoneInBatch, type BatchEvent } from '../domain/pathway.js';
import { refusalParams } from '../domain/refusal.js';
import type { Sql } from '../infra/db.js';
import { isBackpressure, isOutcomeUnknown, isWorkflowGone, refusalOf } from '../infra/temporal-errors.js';
import type { NotificationPayload } from '../notifications/payload.js';
import { caseUpdates, caseWorkflowId } from '../workflows/contract.js';
import { inParallel } from './parallel.js';

/** Cases per activity: a page is retried as a whole, so it stays small. */
export const BATCH_PAGE = 25;
const CONCURRENCY = 6;
const ITEM_DEADLINE_MS = 15_000;
/** Passes a case may go unanswered before it is recorded as dropped (`no-answer`). */
export const MAX_MEMBER_ATTEMPTS = 8;
const HEARTBEAT_MS = 5_000;

/** What the batch's workflow marks: its departure, its arrival, or its cancellation. */
export type BatchMark = 'departed' | 'arrived' | 'cancelled';

/** A case's result for one event: done, dropped with why, or not known yet (tried again later). */
type MemberResult = { kind: 'done' } | { kind: 'dropped'; code: string; params: Record<string, unknown> } | { kind: 'pending' };

interface Member {
  caseId: string;
  attempts: number;
}

interface Batch {
  organisationId: string;
  departedBy: string | null;
  arrivedBy: string | null;
  template: unknown;
}

export function createDepartureBatchActivities({ sql, temporal }: { sql: Sql; temporal: Client }) {
  /** The step of this case done at `event`: the open one among the template's, else the first (the case then says why not). */
  async function gateOf(caseId: string, gateIds: string[]): Promise<string | null> {
    const [row] = await sql<{ gateId: string | null }[]>`
      SELECT (SELECT g.gate_id FROM open_gates g WHERE g.case_id = ${caseId} AND g.gate_id = ANY(${gateIds}) LIMIT 1) AS "gateId"`;
    return row?.gateId ?? gateIds[0] ?? null;
  }

  async function send(batchId: string, batch: Batch, event: BatchEvent, member: Member): Promise<MemberResult> {
    const gateId = await gateOf(member.caseId, stepsDoneInBatch(batch.template, event));
    if (!gateId) return { kind: 'dropped', code: 'not-done-in-batch', params: { event } };
    const personId = (event === 'departure' ? batch.departedBy : batch.arrivedBy)!;
    const input = { gateId, actor: { personId, organisationId: batch.organisationId, role: 'coordinator' as const }, batch: { batchId, event } };
    const handle = temporal.workflow.getHandle(caseWorkflowId(member.caseId));
    const giveUpAt = Date.now() + ITEM_DEADLINE_MS;
    for (;;) {
      try {
        await temporal.withDeadline(giveUpAt, () => handle.executeUpdate(caseUpdates.complete, { args: [input], updateId: `batch:${batchId}:${event}:${member.caseId}` }));
        return { kind: 'done' };
      } catch (error) {
        const refused = refusalOf(error);
        if (refused) return { kind: 'dropped', code: refused.refusal?.code ?? 'unknown', params: refused.refusal ? refusalParams(refused.refusal) : {} };
        if (isWorkflowGone(error)) {
          const [row] = await sql<{ status: string }[]>`SELECT status FROM cases WHERE id = ${member.caseId}`;
          return row?.status === 'starting' ? { kind: 'pending' } : { kind: 'dropped', code: 'case-closed', params: {} };
        }
        if (isBackpressure(error) && Date.now() < giveUpAt) {
          await new Promise((r) => setTimeout(r, 200 + Math.random() * 500));
          continue;
        }
        if (isOutcomeUnknown(error)) return { kind: 'pending' };
        if ((error as { name?: string }).name === 'WorkflowUpdateFailedError') return { kind: 'dropped', code: 'update-failed', params: {} };
        throw error;
      }
    }
  }

  async function record(batchId: string, event: BatchEvent, member: Member, result: MemberResult): Promise<void> {
    const column = event === 'departure' ? sql('departure') : sql('arrival');
    const at = event === 'departure' ? sql('departure_at') : sql('arrival_at');
    if (result.kind === 'pending') {
      if (member.attempts + 1 < MAX_MEMBER_ATTEMPTS) {
        await sql`UPDATE departure_batch_members SET attempts = attempts + 1 WHERE batch_id = ${batchId} AND case_id = ${member.caseId} AND ${column} = 'pending'`;
        return;
      }
      result = { kind: 'dropped', code: 'no-answer', params: {} };
    }
    if (result.kind === 'done') {
      const status = event === 'departure' ? 'travelled' : 'arrived';
      await sql`
        UPDATE departure_batch_members SET ${column} = 'done', ${at} = now(), status = ${status}, code = NULL, params = NULL, attempts = 0
        WHERE batch_id = ${batchId} AND case_id = ${member.caseId} AND ${column} = 'pending'`;
      return;
    }
    await sql`
      UPDATE departure_batch_members SET ${column} = 'dropped', ${at} = now(), status = 'dropped', code = ${result.code}, params = ${sql.json(result.params as JSONValue)}, attempts = 0
      WHERE batch_id = ${batchId} AND case_id = ${member.caseId} AND ${column} = 'pending'`;
  }

  return {
    /**
     * The batch departs, arrives or is cancelled, by `personId`: from the status before it only, so
     * a retry changes nothing. Returns whether the batch now has that status.
     */
    async markBatch({ batchId, mark, personId }: { batchId: string; mark: BatchMark; personId: string }): Promise<boolean> {
      return sql.begin(async (tx) => {
        const from = mark === 'arrived' ? 'departed' : 'planned';
        const [updated] = await tx<{ id: string }[]>`
          UPDATE departure_batches SET status = ${mark}, updated_at = now(),
            departed_by = CASE WHEN ${mark} = 'departed' THEN ${personId}::uuid ELSE departed_by END, departed_at = CASE WHEN ${mark} = 'departed' THEN now() ELSE departed_at END,
            arrived_by = CASE WHEN ${mark} = 'arrived' THEN ${personId}::uuid ELSE arrived_by END, arrived_at = CASE WHEN ${mark} = 'arrived' THEN now() ELSE arrived_at END,
            cancelled_by = CASE WHEN ${mark} = 'cancelled' THEN ${personId}::uuid ELSE cancelled_by END, cancelled_at = CASE WHEN ${mark} = 'cancelled' THEN now() ELSE cancelled_at END
          WHERE id = ${batchId} AND status = ${from} RETURNING id`;
        if (updated) {
          if (mark === 'departed') await tx`UPDATE departure_batch_members SET departure = 'pending', in_planned_batch = false WHERE batch_id = ${batchId} AND status = 'in'`;
          if (mark === 'arrived') await tx`UPDATE departure_batch_members SET arrival = 'pending' WHERE batch_id = ${batchId} AND status = 'travelled'`;
          if (mark === 'cancelled') await tx`UPDATE departure_batch_members SET in_planned_batch = false WHERE batch_id = ${batchId}`;
          return true;
        }
        const [row] = await tx<{ status: string }[]>`SELECT status FROM departure_batches WHERE id = ${batchId}`;
        return row?.status === mark;
      });
    },

    /**
     * Sends `event` to a page of the batch's pending cases after `after` (a case id, '' from the
     * start). Returns the last case id it went through, or, when none is left after `after`, null
     * and how many are still pending.
     */
    async runBatchPage({ batchId, event, after }: { batchId: string; event: BatchEvent; after: string }): Promise<{ last: string | null; remaining: number }> {
      const [batch] = await sql<Batch[]>`
        SELECT b.organisation_id AS "organisationId", b.departed_by AS "departedBy", b.arrived_by AS "arrivedBy", p.template
        FROM departure_batches b JOIN programmes p ON p.id = b.programme_id WHERE b.id = ${batchId}`;
      if (!batch) return { last: null, remaining: 0 };
      const column = event === 'departure' ? sql('departure') : sql('arrival');
      const members = await sql<Member[]>`
        SELECT case_id AS "caseId", attempts FROM departure_batch_members
        WHERE batch_id = ${batchId} AND ${column} = 'pending' AND case_id::text > ${after} ORDER BY case_id LIMIT ${BATCH_PAGE}`;
      if (members.length === 0) {
        const [row] = await sql<{ remaining: number }[]>`SELECT count(*)::int AS remaining FROM departure_batch_members WHERE batch_id = ${batchId} AND ${column} = 'pending'`;
        return { last: null, remaining: row?.remaining ?? 0 };
      }
      const ctx = Context.current();
      const beat = setInterval(() => ctx.heartbeat(), HEARTBEAT_MS);
      try {
        await inParallel(members, CONCURRENCY, async (m) => record(batchId, event, m, await send(batchId, batch, event, m)));
      } finally {
        clearInterval(beat);
      }
      return { last: members.at(-1)!.caseId, remaining: -1 };
    },

    /** Emails the coordinator's people that the departure date came unconfirmed: once per batch and person. */
    async remindDeparture({ batchId }: { batchId: string }): Promise<number> {
      return sql.begin(async (tx) => {
        const [batch] = await tx<{ programmeId: string; programme: string; name: string; organisationId: string; departureDate: string }[]>`
          UPDATE departure_batches b SET reminded_at = COALESCE(b.reminded_at, now())
          FROM programmes p WHERE b.id = ${batchId} AND p.id = b.programme_id AND b.status = 'planned'
          RETURNING b.programme_id AS "programmeId", p.name AS programme, b.name, b.organisation_id AS "organisationId", b.departure_date::text AS "departureDate"`;
        if (!batch) return 0;
        const payload: NotificationPayload = {
          subject: { kind: 'programme', id: batch.programmeId, reference: `${batch.programme} — ${batch.name}` },
          gateTitle: 'Travel in a departure batch',
          dueAt: Date.parse(`${batch.departureDate}T12:00:00Z`),
        };
        const key = `departure-batch:${batchId}:reminder:`;
        const queued = await tx`
          INSERT INTO notifications (key, programme_id, person_id, template, message_id, payload)
          SELECT ${key} || p.id, ${batch.programmeId}, p.id, 'reminder',
                 '<' || left(encode(sha256(convert_to(${key} || p.id, 'UTF8')), 'hex'), 32) || '@saferoutes>',
                 ${tx.json(payload as unknown as JSONValue)}
          FROM people p WHERE p.organisation_id = ${batch.organisationId} AND p.role <> 'admin'
          ON CONFLICT (key) DO NOTHING`;
        return queued.count;
      });
    },
  };
}
