/**
 * What waits on the caller's organisation now: the open steps of cases whose turn is theirs,
 * soonest due first, a page at a time (from `open_gates`, one index range per page), and the
 * programme agreements (MoUs) they still have to sign.
 */
import { z } from 'zod';
import type { TodoCode } from '../domain/case-turn.js';
import type { GateKind } from '../domain/pathway.js';
import type { Sql } from '../infra/db.js';
import type { Caller } from './caller.js';
import { decodeCursor, encodeCursor } from './cursor.js';

export interface InboxStep {
  caseId: string;
  reference: string;
  gateId: string;
  kind: GateKind;
  title: string;
  /** What to do, as an instruction (null in a row written before turns were named: use `title`). */
  todo: TodoCode | null;
  /** What the instruction's words need: `report` and `of` for a report, `version` to sign. */
  todoParams: Record<string, string | number>;
  /** The date the caller must act by. */
  dueAt: string;
  /** Overdue, and not on hold. */
  stuck: boolean;
  onHold: 'held' | 'paused' | null;
}

export interface InboxMou {
  programmeId: string;
  name: string;
  version: number;
  dueAt: string | null;
}

export interface Inbox {
  items: InboxStep[];
  nextCursor: string | null;
  programmes: InboxMou[];
}

const LIST = 'inbox';

export const InboxQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(400).optional().describe('`nextCursor` of the previous page'),
});
export type InboxQuery = z.infer<typeof InboxQuery>;

export async function inboxFor(sql: Sql, caller: Caller, page: InboxQuery): Promise<Inbox> {
  const org = caller.organisationId;
  const after = page.cursor ? decodeCursor(page.cursor, LIST, ['timestamp', 'uuid', 'text'] as const) : undefined;
  const [rows, programmes] = await Promise.all([
    sql<(Omit<InboxStep, 'dueAt'> & { dueAt: Date; dueKey: string })[]>`
      SELECT case_id AS "caseId", reference, gate_id AS "gateId", gate_kind AS kind, title, todo, todo_params AS "todoParams", due_at AS "dueAt", due_at::text AS "dueKey",
             on_hold AS "onHold", (on_hold IS NULL AND due_at < now()) AS stuck
      FROM open_gates
      WHERE waiting_on = ${org}
        ${after ? sql`AND (due_at, case_id, gate_id) > (${after[0]}::timestamptz, ${after[1]}::uuid, ${after[2]})` : sql``}
      ORDER BY due_at, case_id, gate_id
      LIMIT ${page.limit + 1}`,
    page.cursor
      ? []
      : sql<InboxMou[]>`
          SELECT id AS "programmeId", name, (state->'mou'->>'version')::integer AS version, state->'mou'->>'dueAt' AS "dueAt"
          FROM programmes WHERE status = 'negotiating' AND state->'mou'->'unsigned' ? ${org}
          ORDER BY state->'mou'->>'dueAt' NULLS LAST, id`,
  ]);
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  return {
    items: shown.map(({ dueKey: _k, dueAt, ...r }) => ({ ...r, dueAt: dueAt.toISOString() })),
    nextCursor: rows.length > page.limit && last ? encodeCursor(LIST, [last.dueKey, last.caseId, last.gateId]) : null,
    programmes: [...programmes],
  };
}
