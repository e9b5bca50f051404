/**
 * Rows an action writes before it reaches the workflow — the reason someone gave, an address, an
 * agreement text, a report — are committed first and never lost on an uncertain outcome. Their ids
 * come from the request's idempotency seed, so a retry finds the same rows instead of making new
 * ones; a refused action's rows are deleted.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../infra/db.js';
import type { CaseView } from '../domain/case-view.js';
import type { TextRef } from '../domain/text-ref.js';

/** A uuid-shaped id derived from `seed` (the same seed, the same id). */
export function derivedId(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export type StoredRow = { table: 'texts' | 'housing_offers' | 'agreement_documents' | 'checkin_reports'; id: string };

export interface TextOwner {
  caseId?: string;
  programmeId?: string;
  personId: string;
}

/** Stores one piece of free text (a reason, comment or note) and returns its id. */
export async function storeText(sql: Queryable, id: string, owner: TextOwner, kind: 'reason' | 'comment' | 'note', body: string): Promise<TextRef> {
  await sql`
    INSERT INTO texts (id, case_id, programme_id, person_id, kind, body)
    VALUES (${id}, ${owner.caseId ?? null}, ${owner.programmeId ?? null}, ${owner.personId}, ${kind}, ${body})
    ON CONFLICT (id) DO NOTHING`;
  return id;
}

/** Deletes what a refused action wrote (nothing refers to it). */
export async function discardRows(sql: Queryable, rows: StoredRow[]): Promise<void> {
  for (const { table, id } of rows) await sql`DELETE FROM ${sql(table)} WHERE id = ${id}`;
}

/** The texts behind these ids, for the readers allowed to see them. */
export async function textsByIds(sql: Queryable, ids: (string | null | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)))];
  if (wanted.length === 0) return new Map();
  const rows = await sql<{ id: string; body: string }[]>`SELECT id, body FROM texts WHERE id = ANY(${wanted}::uuid[]) AND erased_at IS NULL`;
  return new Map(rows.map((r) => [r.id, r.body]));
}

/** The texts a case's state refers to by id: why it is held or ended, change requests, declines, questions. */
export function caseStateTexts(sql: Queryable, state: CaseView | null): Promise<Map<string, string>> {
  return textsByIds(sql, [
    state?.held?.reasonRef,
    state?.outcome?.textRef,
    ...(state?.gates ?? []).flatMap((g) => [
      ...((g.detail.changeRequests as { commentRef: string }[] | undefined) ?? []).map((r) => r.commentRef),
      (g.detail.lastCapacityDecline as { reasonRef: string } | null | undefined)?.reasonRef,
      (g.detail.lastInfoRequest as { reasonRef?: string } | null | undefined)?.reasonRef,
      ...((g.detail.proposals as { reasonRef: string | null }[] | undefined) ?? []).map((p) => p.reasonRef),
    ]),
  ]);
}
