/**
 * The cases an organisation takes part in, as the API and the "Cases" page list them: searched by
 * reference, filtered, sorted and paged by keyset — from the projected columns of `cases`, never
 * a case's whole state, so a page costs the same at 100 cases or 100,000.
 */
import { z } from 'zod';
import type { Sql } from '../infra/db.js';
import type { Caller } from './caller.js';
import { decodeCursor, encodeCursor, type CursorPart } from './cursor.js';

export const CASE_SORTS = ['newest', 'due', 'reference', 'updated'] as const;
export type CaseSort = (typeof CASE_SORTS)[number];
export const CASE_STATUSES = ['starting', 'active', 'waitlisted', 'completed', 'rejected', 'withdrawn'] as const;
export const ON_HOLD = ['held', 'paused', 'any'] as const;

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** A list request, as the API's query string and the page's filter form both spell it. */
export const CaseListQuery = z.object({
  search: z.string().trim().min(1).max(100).optional().describe('Any part of the reference, case-insensitive'),
  status: z.enum(CASE_STATUSES).optional(),
  stage: z.string().max(40).optional(),
  programmeId: z.uuid().optional(),
  pathwayId: z.string().max(60).optional(),
  stuck: flag.optional().describe('`true`: a step is overdue and the case is not on hold'),
  waitingOnMe: flag.optional().describe('`true`: it is your organisation\'s turn'),
  onHold: z.enum(ON_HOLD).optional().describe('`held` by its coordinator, `paused` with its programme, or `any` of both'),
  sort: z.enum(CASE_SORTS).default('newest').describe('`newest` first, soonest `due` first (nothing due last), by `reference`, or last `updated` first'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(400).optional().describe('`nextCursor` of the previous page, with the same sort'),
});

export type CaseListQuery = z.infer<typeof CaseListQuery>;

export interface CaseListItem {
  id: string;
  reference: string;
  programmeId: string | null;
  pathwayId: string | null;
  pathwayName: string | null;
  status: string;
  stage: { id: string; title: string; index: number; of: number } | null;
  onHold: 'held' | 'paused' | null;
  /** A step is overdue and the case is not on hold. */
  stuck: boolean;
  daysOverdue: number;
  waitingOn: string[];
  nextStep: { gateId: string; title: string; dueAt: string } | null;
  nextDueAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CaseListPage {
  items: CaseListItem[];
  nextCursor: string | null;
}

/** What a sort orders by, which way, and what its cursor holds; each has an index of the same shape. */
function order(sql: Sql, sort: CaseSort) {
  switch (sort) {
    case 'newest':
      return { key: sql`c.created_at`, descending: true, part: 'timestamp' as CursorPart };
    case 'updated':
      return { key: sql`c.updated_at`, descending: true, part: 'timestamp' as CursorPart };
    case 'due':
      // Cases with nothing due come last: their key is infinity, so one index serves the order.
      return { key: sql`COALESCE(c.next_due_at, 'infinity'::timestamptz)`, descending: false, part: 'timestamp-or-infinity' as CursorPart };
    case 'reference':
      return { key: sql`c.reference`, descending: false, part: 'text' as CursorPart };
  }
}

const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

type Row = Omit<CaseListItem, 'stage' | 'nextDueAt' | 'updatedAt' | 'createdAt' | 'daysOverdue'> & {
  stageId: string | null;
  stageTitle: string | null;
  stageIndex: number | null;
  stageCount: number | null;
  nextDueAt: Date | null;
  updatedAt: Date;
  createdAt: Date;
  sortKey: string;
};

export async function listCases(sql: Sql, caller: Caller, q: CaseListQuery): Promise<CaseListPage> {
  const org = caller.organisationId;
  const list = `cases:${q.sort}`;
  const { key, descending, part } = order(sql, q.sort);
  const after = q.cursor ? decodeCursor(q.cursor, list, [part, 'uuid'] as const) : undefined;
  const cursorKey = (value: string) => (part === 'text' ? sql`${value}::text` : sql`${value}::timestamptz`);
  const stuck = sql`(c.status = 'active' AND c.on_hold IS NULL AND c.next_due_at < now())`;
  const rows = await sql<Row[]>`
    SELECT c.id, c.reference, c.programme_id AS "programmeId", c.pathway_id AS "pathwayId", c.pathway_name AS "pathwayName", c.status,
           c.stage AS "stageId", c.stage_title AS "stageTitle", c.stage_index AS "stageIndex", c.stage_count AS "stageCount",
           c.on_hold AS "onHold", COALESCE(${stuck}, false) AS stuck, c.waiting_on AS "waitingOn", c.next_step AS "nextStep",
           c.next_due_at AS "nextDueAt", c.created_at AS "createdAt", c.updated_at AS "updatedAt", ${key}::text AS "sortKey"
    FROM cases c
    WHERE EXISTS (SELECT 1 FROM case_parties p WHERE p.case_id = c.id AND p.organisation_id = ${org})
      ${q.search ? sql`AND lower(c.reference) LIKE ${likePattern(q.search)}` : sql``}
      ${q.status ? sql`AND c.status = ${q.status}` : sql``}
      ${q.stage ? sql`AND c.stage = ${q.stage}` : sql``}
      ${q.programmeId ? sql`AND c.programme_id = ${q.programmeId}` : sql``}
      ${q.pathwayId ? sql`AND c.pathway_id = ${q.pathwayId}` : sql``}
      ${q.stuck === undefined ? sql`` : q.stuck ? sql`AND ${stuck}` : sql`AND NOT COALESCE(${stuck}, false)`}
      ${q.waitingOnMe ? sql`AND c.waiting_on @> ARRAY[${org}]::uuid[]` : sql``}
      ${q.onHold === 'any' ? sql`AND c.on_hold IS NOT NULL` : q.onHold ? sql`AND c.on_hold = ${q.onHold}` : sql``}
      ${after ? (descending ? sql`AND (${key}, c.id) < (${cursorKey(after[0])}, ${after[1]}::uuid)` : sql`AND (${key}, c.id) > (${cursorKey(after[0])}, ${after[1]}::uuid)`) : sql``}
    ORDER BY ${descending ? sql`${key} DESC, c.id DESC` : sql`${key}, c.id`}
    LIMIT ${q.limit + 1}`;
  const shown = rows.slice(0, q.limit);
  const last = shown.at(-1);
  const now = Date.now();
  return {
    items: shown.map(({ stageId, stageTitle, stageIndex, stageCount, sortKey: _k, nextDueAt, createdAt, updatedAt, ...r }) => ({
      ...r,
      stage: stageId && stageTitle !== null && stageIndex !== null && stageCount !== null ? { id: stageId, title: stageTitle, index: stageIndex, of: stageCount } : null,
      daysOverdue: r.stuck && nextDueAt ? Math.floor((now - nextDueAt.getTime()) / 86_400_000) : 0,
      nextDueAt: nextDueAt?.toISOString() ?? null,
      createdAt: createdAt.toISOString(),
      updatedAt: updatedAt.toISOString(),
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor(list, [last.sortKey, last.id]) : null,
  };
}
