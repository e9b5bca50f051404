/**
 * The work of a bulk action (workflows/bulk.ts): each pending item is sent to its case as the
 * coordinator's ordinary update, with an update id derived from the bulk action and the case, so a
 * retried item — after a timeout, a worker crash, a retried activity — is answered by the case and
 * not applied again (the case remembers the ids of its recent updates). Each result is recorded on
 * the item as it comes: done, refused with the case's own refusal, or failed.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { CaseAction } from '../domain/case-actions.js';
import { refusalParams } from '../domain/refusal.js';
import type { Sql } from '../infra/db.js';
import { isBackpressure, isOutcomeUnknown, isWorkflowGone, refusalOf } from '../infra/temporal-errors.js';
import { caseUpdates, caseWorkflowId, type BulkActionType, type BulkItemCode } from '../workflows/contract.js';
import { inParallel } from './parallel.js';

/** Items per activity: a page is retried as a whole, so it stays small. */
export const BULK_PAGE = 50;
/** Cases updated at once: a bulk action shares the worker with the cases' own work. */
const CONCURRENCY = 6;
/** How long one case may take to answer before its item is tried again on a later pass. */
const ITEM_DEADLINE_MS = 15_000;
/** Passes an item may go unanswered before it is recorded as failed (`no-answer`). */
export const MAX_ITEM_ATTEMPTS = 8;
const HEARTBEAT_MS = 5_000;

const GATED = new Set<BulkActionType>(['nudge', 'extend', 'reassign']);

interface Bulk {
  action: BulkActionType;
  params: { dueAt?: string; organisationId?: string };
  personId: string;
  organisationId: string;
}

interface Item {
  caseId: string;
  position: number;
  gateId: string | null;
  reasonRef: string | null;
  attempts: number;
}

type Result =
  | { status: 'done' }
  | { status: 'refused' | 'failed'; code: string; params?: Record<string, unknown>; detail?: string }
  | { status: 'pending' };

const own = (code: BulkItemCode, params: Record<string, unknown> = {}) => ({ code, params });

export function createBulkActivities({ sql, temporal }: { sql: Sql; temporal: Client }) {
  /** The step an item acts on, chosen once and kept, so a retry acts on the same step. */
  async function stepOf(bulkId: string, item: Item): Promise<string | null> {
    if (item.gateId) return item.gateId;
    const [row] = await sql<{ gateId: string | null }[]>`SELECT next_step->>'gateId' AS "gateId" FROM cases WHERE id = ${item.caseId}`;
    if (!row?.gateId) return null;
    await sql`UPDATE bulk_action_items SET gate_id = ${row.gateId} WHERE bulk_id = ${bulkId} AND case_id = ${item.caseId} AND gate_id IS NULL`;
    const [kept] = await sql<{ gateId: string }[]>`SELECT gate_id AS "gateId" FROM bulk_action_items WHERE bulk_id = ${bulkId} AND case_id = ${item.caseId}`;
    return kept?.gateId ?? row.gateId;
  }

  /** The kind of organisation a step waits on now, and the kind of the one it would go to. */
  async function kinds(caseId: string, gateId: string, organisationId: string): Promise<{ current: string | null; target: string | null }> {
    const [row] = await sql<{ target: string | null; current: string | null }[]>`
      SELECT (SELECT kind FROM organisations WHERE id = ${organisationId}) AS target, (
        SELECT a.kind FROM cases c, jsonb_array_elements(c.state->'gates') g JOIN organisations a ON a.id = (g->>'assignee')::uuid
        WHERE c.id = ${caseId} AND g->>'id' = ${gateId}) AS current`;
    return { current: row?.current ?? null, target: row?.target ?? null };
  }

  async function send(bulkId: string, bulk: Bulk, item: Item): Promise<Result> {
    const gateId = GATED.has(bulk.action) ? await stepOf(bulkId, item) : null;
    if (GATED.has(bulk.action) && !gateId) return { status: 'refused', ...own('no-open-step') };
    if (bulk.action === 'reassign' && gateId && bulk.params.organisationId) {
      const { current, target } = await kinds(item.caseId, gateId, bulk.params.organisationId);
      if (current && target && current !== target) return { status: 'refused', ...own('organisation-kind-mismatch', { gateId, kind: current, targetKind: target }) };
    }
    const input = {
      ...(gateId ? { gateId } : {}),
      ...(bulk.action === 'extend' ? { dueAt: bulk.params.dueAt } : {}),
      ...(bulk.action === 'reassign' ? { organisationId: bulk.params.organisationId } : {}),
      ...(item.reasonRef ? { reasonRef: item.reasonRef } : {}),
      actor: { personId: bulk.personId, organisationId: bulk.organisationId, role: 'coordinator' },
    } as Omit<CaseAction, 'type'>;
    const handle = temporal.workflow.getHandle(caseWorkflowId(item.caseId));
    const giveUpAt = Date.now() + ITEM_DEADLINE_MS;
    for (;;) {
      try {
        await temporal.withDeadline(giveUpAt, () => handle.executeUpdate(caseUpdates[bulk.action] as never, { args: [input] as never, updateId: `bulk:${bulkId}:${item.caseId}` }));
        return { status: 'done' };
      } catch (error) {
        const refused = refusalOf(error);
        if (refused) {
          return refused.refusal
            ? { status: 'refused', code: refused.refusal.code, params: refusalParams(refused.refusal) }
            : { status: 'refused', code: 'unknown', params: {}, detail: refused.text };
        }
        if (isWorkflowGone(error)) {
          // A case whose workflow has not started yet (the watchdog starts it) is tried again; a closed one refuses.
          const [row] = await sql<{ status: string }[]>`SELECT status FROM cases WHERE id = ${item.caseId}`;
          return row?.status === 'starting' ? { status: 'pending' } : { status: 'refused', code: 'case-closed', params: {} };
        }
        // A busy case turns updates away for a moment: its turn comes.
        if (isBackpressure(error) && Date.now() < giveUpAt) {
          await new Promise((r) => setTimeout(r, 200 + Math.random() * 500));
          continue;
        }
        if (isOutcomeUnknown(error)) return { status: 'pending' };
        // Failed by the case for a reason other than a refusal: said as such, not retried for ever.
        if ((error as { name?: string }).name === 'WorkflowUpdateFailedError') return { status: 'failed', ...own('update-failed') };
        throw error;
      }
    }
  }

  async function record(bulkId: string, item: Item, result: Result): Promise<void> {
    if (result.status === 'pending') {
      // Not known yet: tried again on a later pass with the same update id, so it applies once at most.
      const attempts = item.attempts + 1;
      if (attempts < MAX_ITEM_ATTEMPTS) {
        await sql`UPDATE bulk_action_items SET attempts = ${attempts} WHERE bulk_id = ${bulkId} AND case_id = ${item.caseId} AND status = 'pending'`;
        return;
      }
      result = { status: 'failed', ...own('no-answer') };
    }
    const { status } = result;
    const code = 'code' in result ? result.code : null;
    const params = 'params' in result && result.params ? sql.json(result.params as never) : null;
    const detail = 'detail' in result ? (result.detail ?? null) : null;
    // A refused item's reason refers to nothing: deleted, as a refused single action's is. One
    // whose outcome is unknown keeps it: the action may still apply.
    const keepReason = status === 'done' || code === 'no-answer';
    await sql.begin(async (tx) => {
      const [updated] = await tx`
        UPDATE bulk_action_items SET status = ${status}, code = ${code}, params = ${params}, detail = ${detail}, finished_at = now(),
          reason_ref = ${keepReason ? item.reasonRef : null}
        WHERE bulk_id = ${bulkId} AND case_id = ${item.caseId} AND status = 'pending'
        RETURNING case_id`;
      if (updated && item.reasonRef && !keepReason) await tx`DELETE FROM texts WHERE id = ${item.reasonRef}`;
    });
  }

  return {
    /**
     * Carries out the pending items after position `after`, one page of them. Returns the last
     * position it went through, or, when none is left after `after`, null and how many are still
     * pending (the bulk action is marked done when none is).
     */
    async runBulkPage({ bulkId, after }: { bulkId: string; after: number }): Promise<{ last: number | null; remaining: number }> {
      const [bulk] = await sql<Bulk[]>`
        SELECT action, params, person_id AS "personId", organisation_id AS "organisationId" FROM bulk_actions WHERE id = ${bulkId}`;
      if (!bulk) return { last: null, remaining: 0 };
      const items = await sql<Item[]>`
        SELECT case_id AS "caseId", position, gate_id AS "gateId", reason_ref AS "reasonRef", attempts FROM bulk_action_items
        WHERE bulk_id = ${bulkId} AND status = 'pending' AND position > ${after} ORDER BY position LIMIT ${BULK_PAGE}`;
      if (items.length === 0) {
        const [row] = await sql<{ remaining: number }[]>`SELECT count(*)::int AS remaining FROM bulk_action_items WHERE bulk_id = ${bulkId} AND status = 'pending'`;
        const remaining = row?.remaining ?? 0;
        if (remaining === 0) await sql`UPDATE bulk_actions SET status = 'done', finished_at = now() WHERE id = ${bulkId} AND status = 'running'`;
        return { last: null, remaining };
      }
      const ctx = Context.current();
      const beat = setInterval(() => ctx.heartbeat(), HEARTBEAT_MS);
      try {
        await inParallel(items, CONCURRENCY, async (item) => record(bulkId, item, await send(bulkId, bulk, item)));
      } finally {
        clearInterval(beat);
      }
      return { last: items.at(-1)!.position, remaining: -1 };
    },
  };
}
