/**
 * Reading bulk actions (usecases/bulk-actions.ts starts them): an organisation's bulk actions, how
 * far one is, and the result for each of its cases — for the coordinators of the organisation that
 * started it; anyone else gets 404, as for a bulk action that does not exist.
 */
// zod with OpenAPI metadata: the API documents these very schemas.
import { z } from '@hono/zod-openapi';
import { asRefusal, refusalParams, type Refusal } from '../domain/refusal.js';
import { refusalText } from '../domain/refusal-text.js';
import type { Queryable } from '../infra/db.js';
import type { BulkActionType, BulkItemCode } from '../workflows/contract.js';
import type { Caller } from './caller.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { invalidInput, ProblemError } from './problem.js';

export const bulkNotFound = () => new ProblemError(404, 'Bulk action not found', 'No bulk action with this id is visible to you.');

export const ITEM_RESULTS = ['pending', 'done', 'refused', 'failed'] as const;
export type ItemResult = (typeof ITEM_RESULTS)[number];

export interface BulkActionView {
  id: string;
  action: BulkActionType;
  params: { gateId?: string; dueAt?: string; organisationId?: string };
  selection: 'cases' | 'filter';
  filter: Record<string, string> | null;
  startedBy: string;
  total: number;
  status: 'running' | 'done';
  counts: Record<ItemResult, number>;
  createdAt: string;
  finishedAt: string | null;
}

/** `GET /v1/bulk-actions/{id}` and its page: for the coordinators of the organisation that started it (404 for anyone else). */
export async function readBulkAction(sql: Queryable, caller: Caller, id: string): Promise<BulkActionView> {
  if (caller.role !== 'coordinator') throw bulkNotFound();
  const [row] = await sql<(Omit<BulkActionView, 'counts' | 'createdAt' | 'finishedAt'> & { createdAt: Date; finishedAt: Date | null })[]>`
    SELECT id, action, params, selection, filter, person_id AS "startedBy", total, status, created_at AS "createdAt", finished_at AS "finishedAt"
    FROM bulk_actions WHERE id = ${id} AND organisation_id = ${caller.organisationId}`;
  if (!row) throw bulkNotFound();
  const counted = await sql<{ status: ItemResult; n: number }[]>`SELECT status, count(*)::int AS n FROM bulk_action_items WHERE bulk_id = ${id} GROUP BY status`;
  const counts = Object.fromEntries(ITEM_RESULTS.map((r) => [r, counted.find((c) => c.status === r)?.n ?? 0])) as Record<ItemResult, number>;
  return { ...row, createdAt: row.createdAt.toISOString(), finishedAt: row.finishedAt?.toISOString() ?? null, counts };
}

/** English words for the bulk action's own codes (the pages word them in the reader's language). */
const OWN_CODE_TEXT: Record<BulkItemCode, (p: Record<string, unknown>) => string> = {
  'no-open-step': () => 'the case has no open step to act on',
  'organisation-kind-mismatch': (p) => `the step waits on an organisation of kind ${String(p.kind)}, not ${String(p.targetKind)}`,
  'no-answer': () => 'the case did not answer in time, time after time; the action may still apply, once',
  'update-failed': () => 'the case could not carry out the action',
};

export interface BulkItemView {
  caseId: string;
  reference: string;
  pathwayId: string | null;
  gateId: string | null;
  result: ItemResult;
  /** Why it was refused or failed: a refusal code (domain/refusal.ts), one of the bulk action's own, or `unknown`. */
  code: string | null;
  params: Record<string, unknown>;
  /** The same in English. */
  detail: string | null;
  /** The refusal, for a door that words it (when `code` is a refusal code). */
  refusal: Refusal | undefined;
  finishedAt: string | null;
}

export const BulkItemsQuery = z.object({
  result: z.enum(ITEM_RESULTS).optional().openapi({ description: 'Only the items with this result' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().openapi({ description: '`nextCursor` of the previous page' }),
});
export type BulkItemsQuery = z.infer<typeof BulkItemsQuery>;

function englishOf(code: string | null, params: Record<string, unknown>, detail: string | null): { detail: string | null; refusal: Refusal | undefined } {
  if (code === null) return { detail: null, refusal: undefined };
  const refusal = asRefusal({ ...params, code });
  if (refusal) return { detail: refusalText(refusal), refusal };
  const own = OWN_CODE_TEXT[code as BulkItemCode];
  return { detail: own ? own(params) : (detail ?? code), refusal: undefined };
}

/** `GET /v1/bulk-actions/{id}/items` and the result page: the items in the order chosen, keyset-paged. */
export async function bulkActionItems(sql: Queryable, caller: Caller, id: string, q: BulkItemsQuery): Promise<{ items: BulkItemView[]; nextCursor: string | null }> {
  await readBulkAction(sql, caller, id);
  const list = `bulk:${id}:${q.result ?? 'all'}`;
  const [after] = q.cursor ? decodeCursor(q.cursor, list, ['text'] as const) : [undefined];
  if (after !== undefined && !/^\d{1,9}$/.test(after)) throw invalidInput('cursor', 'not a cursor this API gave out for this list');
  const rows = await sql<{ caseId: string; reference: string; pathwayId: string | null; position: number; gateId: string | null; result: ItemResult; code: string | null; params: Record<string, unknown> | null; detail: string | null; finishedAt: Date | null }[]>`
    SELECT i.case_id AS "caseId", c.reference, c.pathway_id AS "pathwayId", i.position, i.gate_id AS "gateId", i.status AS result, i.code, i.params, i.detail, i.finished_at AS "finishedAt"
    FROM bulk_action_items i JOIN cases c ON c.id = i.case_id
    WHERE i.bulk_id = ${id} ${q.result ? sql`AND i.status = ${q.result}` : sql``} ${after !== undefined ? sql`AND i.position > ${Number(after)}` : sql``}
    ORDER BY i.position LIMIT ${q.limit + 1}`;
  const shown = rows.slice(0, q.limit);
  return {
    items: shown.map((r) => {
      const params = r.params ?? {};
      const { detail, refusal } = englishOf(r.code, params, r.detail);
      return { caseId: r.caseId, reference: r.reference, pathwayId: r.pathwayId, gateId: r.gateId, result: r.result, code: r.code, params: refusal ? refusalParams(refusal) : params, detail, refusal, finishedAt: r.finishedAt?.toISOString() ?? null };
    }),
    nextCursor: rows.length > q.limit ? encodeCursor(list, [String(shown.at(-1)!.position)]) : null,
  };
}

export const BulkListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional().openapi({ description: '`nextCursor` of the previous page' }),
});
export type BulkListQuery = z.infer<typeof BulkListQuery>;

/** `GET /v1/bulk-actions` and the pages' list: the bulk actions of the caller's organisation, newest first. */
export async function listBulkActions(sql: Queryable, caller: Caller, q: BulkListQuery): Promise<{ items: BulkActionView[]; nextCursor: string | null }> {
  if (caller.role !== 'coordinator') return { items: [], nextCursor: null };
  const list = 'bulk-actions';
  const after = q.cursor ? decodeCursor(q.cursor, list, ['timestamp', 'uuid'] as const) : undefined;
  const rows = await sql<(Omit<BulkActionView, 'createdAt' | 'finishedAt'> & { createdAt: Date; finishedAt: Date | null; sortKey: string })[]>`
    SELECT b.id, b.action, b.params, b.selection, b.filter, b.person_id AS "startedBy", b.total, b.status, b.created_at AS "createdAt", b.finished_at AS "finishedAt",
           b.created_at::text AS "sortKey", counts.counts
    FROM bulk_actions b,
    LATERAL (SELECT jsonb_build_object(
        'pending', count(*) FILTER (WHERE status = 'pending'), 'done', count(*) FILTER (WHERE status = 'done'),
        'refused', count(*) FILTER (WHERE status = 'refused'), 'failed', count(*) FILTER (WHERE status = 'failed')) AS counts
      FROM bulk_action_items i WHERE i.bulk_id = b.id) counts
    WHERE b.organisation_id = ${caller.organisationId}
      ${after ? sql`AND (b.created_at, b.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
    ORDER BY b.created_at DESC, b.id DESC
    LIMIT ${q.limit + 1}`;
  const shown = rows.slice(0, q.limit);
  const last = shown.at(-1);
  return {
    items: shown.map(({ sortKey: _k, createdAt, finishedAt, ...r }) => ({ ...r, createdAt: createdAt.toISOString(), finishedAt: finishedAt?.toISOString() ?? null })),
    nextCursor: rows.length > q.limit && last ? encodeCursor(list, [last.sortKey, last.id]) : null,
  };
}
