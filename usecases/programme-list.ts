/**
 * The programmes an organisation takes part in — those it coordinates and those whose MoU it
 * signs — as the API (`GET /v1/programmes`) and the "Programmes" page list them: newest first,
 * paged by keyset, from the programme row and a few fields of its projected state.
 *
 * An organisation takes part in few programmes (tens, not thousands), so the page is read from
 * the two indexes that find them (migration 009: by coordinator, and by signatory) and ordered
 * after: the sort is bounded by one organisation's programmes, never by all of them.
 */
// zod with OpenAPI metadata: the API documents this very schema.
import { z } from '@hono/zod-openapi';
import type { ProgrammeStatus } from '../domain/programme-model.js';
import type { Queryable } from '../infra/db.js';
import type { Caller } from './caller.js';
import { decodeCursor, encodeCursor } from './cursor.js';

export const ProgrammeListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(400).optional().describe('`nextCursor` of the previous page'),
});
export type ProgrammeListQuery = z.infer<typeof ProgrammeListQuery>;

/** What a list shows of a programme: also what the page's summary of one needs (a ProgrammeView has it all). */
export interface ProgrammeSummary {
  status: ProgrammeStatus;
  paused: { since: string } | null;
  quota: { total: number; used: number; reserved: number; free: number; waitlisted: number };
  mou: { version: number; executedAt: string | null; unsigned: string[] };
}

export interface ProgrammeListItem {
  id: string;
  name: string;
  pathwayId: string;
  status: ProgrammeStatus;
  /** How the caller's organisation takes part: it runs the programme, or signs its MoU (or both). */
  coordinating: boolean;
  signatory: boolean;
  /** From the projected state; null until the programme's workflow has written it. */
  summary: ProgrammeSummary | null;
  /** The current MoU version waits for the caller's organisation's signature. */
  toSign: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ProgrammeListPage {
  items: ProgrammeListItem[];
  nextCursor: string | null;
}

const LIST = 'programmes:newest';

type Row = Omit<ProgrammeListItem, 'summary' | 'toSign' | 'createdAt' | 'updatedAt'> & {
  paused: { since: string } | null;
  quota: ProgrammeSummary['quota'] | null;
  mou: ProgrammeSummary['mou'] | null;
  createdAt: Date;
  updatedAt: Date;
  sortKey: string;
};

export async function listProgrammes(sql: Queryable, caller: Caller, q: ProgrammeListQuery): Promise<ProgrammeListPage> {
  const org = caller.organisationId;
  const after = q.cursor ? decodeCursor(q.cursor, LIST, ['timestamp', 'uuid'] as const) : undefined;
  const rows = await sql<Row[]>`
    SELECT p.id, p.name, p.pathway_id AS "pathwayId", p.status,
           p.coordinator_organisation_id = ${org} AS coordinating, p.mou_signatories @> ARRAY[${org}]::uuid[] AS signatory,
           p.state->'paused' AS paused, p.state->'quota' AS quota,
           jsonb_build_object('version', p.state->'mou'->'version', 'executedAt', p.state->'mou'->'executedAt', 'unsigned', p.state->'mou'->'unsigned') AS mou,
           p.created_at AS "createdAt", p.updated_at AS "updatedAt", p.created_at::text AS "sortKey"
    FROM programmes p
    WHERE (p.coordinator_organisation_id = ${org} OR p.mou_signatories @> ARRAY[${org}]::uuid[])
      ${after ? sql`AND (p.created_at, p.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
    ORDER BY p.created_at DESC, p.id DESC
    LIMIT ${q.limit + 1}`;
  const shown = rows.slice(0, q.limit);
  const last = shown.at(-1);
  return {
    items: shown.map(({ paused, quota, mou, sortKey: _k, createdAt, updatedAt, ...r }) => {
      const summary = quota && mou?.version != null ? { status: r.status, paused: paused ? { since: paused.since } : null, quota, mou: { ...mou, unsigned: mou.unsigned ?? [] } } : null;
      return { ...r, summary, toSign: !!summary && summary.mou.version > 0 && !summary.mou.executedAt && summary.mou.unsigned.includes(org), createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() };
    }),
    nextCursor: rows.length > q.limit && last ? encodeCursor(LIST, [last.sortKey, last.id]) : null,
  };
}
