/**
 * Erasure of a closed case's personal data, on an admin's request (`POST /v1/admin/cases/{id}/erasure`,
 * the admin page) or by the retention schedule (usecases/retention.ts). What PostgreSQL holds of
 * the household goes: names, birth years, relations and needs; housing offers' addresses; check-in
 * reports; the reasons, comments and notes people wrote; agreement texts; attached files' names and
 * bytes. What remains is the case row (reference, status, pathway, programme), the non-personal
 * timeline (kinds of events, when, which organisation and person acted, which step) and the read
 * log. Recorded once in `case_erasures` (who, when, why) in the same transaction: a second request
 * finds that row and changes nothing. An open case is refused (409, `case-not-closed`).
 *
 * Every column of a table that belongs to a case is declared below, as erased or kept with why;
 * test/api/erasure.test.ts fails for a column declared nowhere, so a new column of personal data
 * cannot slip past.
 */
import { FINAL_STATUSES } from '../domain/case-model.js';
import type { Queryable, Sql } from '../infra/db.js';
import type { Caller } from './caller.js';
import { invalidInput, ProblemError } from './problem.js';
import { caseNotFound } from './scope.js';

/** The columns whose values erasure removes (the row deleted, or the column emptied). */
export const ERASED_COLUMNS = {
  case_households: ['principal_name', 'members', 'needs'],
  texts: ['body'],
  housing_offers: ['address'],
  checkin_reports: ['body'],
  attachments: ['file_name', 'sha256', 'content'],
  agreement_documents: ['body', 'url'],
  case_events: ['reason'],
  failing_steps: ['last_failure'],
} as const satisfies Record<string, readonly string[]>;

/** The other columns of a case's tables, kept, and why they are not personal data of the household. */
export const KEPT_COLUMNS: Record<string, { columns: readonly string[]; why: string }> = {
  cases: {
    columns: ['id', 'reference', 'sponsor_organisation_id', 'status', 'stage', 'state', 'state_version', 'created_at', 'updated_at', 'programme_id', 'pathway_id', 'stuck', 'waiting_on', 'next_due_at',
      'coordinator_organisation_id', 'place', 'next_wake_at', 'stopped', 'stage_title', 'stage_index', 'stage_count', 'pathway_name', 'on_hold', 'next_step'],
    why: 'the case itself: ids, facts and the workflow state, which holds ids and refers to texts by id only',
  },
  case_households: { columns: ['case_id'], why: 'the row is deleted' },
  case_events: { columns: ['id', 'case_id', 'event_key', 'kind', 'actor', 'data', 'at'], why: 'the non-personal timeline: kinds, ids, dates, counts; texts by id (textRef)' },
  notifications: {
    columns: ['key', 'case_id', 'person_id', 'template', 'message_id', 'created_at', 'sent_at', 'programme_id', 'payload', 'attempts', 'next_attempt_at', 'claimed_until', 'last_attempt_at', 'last_error', 'failed_at', 'failure'],
    why: 'the outbox keeps codes, references and titles (notifications/payload.ts), never a message body; errors are about the staff recipient',
  },
  notifications_withheld: {
    columns: ['key', 'person_id', 'case_id', 'programme_id', 'template', 'payload', 'reason', 'created_at', 'digested_at', 'digest_day'],
    why: 'the same payloads as the outbox: codes, references and titles',
  },
  case_parties: { columns: ['case_id', 'slot', 'organisation_id'], why: 'which organisations take part' },
  housing_offers: { columns: ['id', 'case_id', 'organisation_id', 'created_at', 'erased_at'], why: 'that an offer was made, by whom, when' },
  agreement_documents: { columns: ['id', 'case_id', 'programme_id', 'title', 'content_hash', 'created_at', 'erased_at'], why: 'which version was signed (its hash), not its text' },
  checkin_reports: { columns: ['id', 'case_id', 'person_id', 'created_at', 'erased_at'], why: 'that a report was sent, by whom, when' },
  texts: { columns: ['id', 'case_id', 'programme_id', 'person_id', 'kind', 'created_at', 'erased_at'], why: 'that someone wrote a reason, not what' },
  attachments: { columns: ['id', 'case_id', 'gate_id', 'report_index', 'organisation_id', 'person_id', 'media_type', 'size', 'created_at', 'erased_at'], why: 'that a file was added, of which type and size' },
  programme_waitlist: { columns: ['programme_id', 'case_id', 'position', 'offered_round', 'accepted'], why: 'places in a programme' },
  failing_steps: { columns: ['workflow_id', 'activity_id', 'case_id', 'programme_id', 'activity_type', 'attempt', 'since', 'updated_at'], why: 'which technical step failed' },
  open_gates: {
    columns: ['case_id', 'gate_id', 'waiting_on', 'first_party', 'all_waiting_on', 'gate_kind', 'title', 'reference', 'coordinator_organisation_id', 'programme_id', 'pathway_id', 'pathway_name',
      'opened_at', 'due_at', 'reminders_sent', 'escalations_sent', 'on_hold', 'todo', 'todo_params', 'reopened', 'reopened_at'],
    why: 'open steps of the projection: ids, titles, dates',
  },
  personal_data_reads: { columns: ['id', 'case_id', 'person_id', 'organisation_id', 'level', 'fields', 'door', 'at', 'attachment_id'], why: "the read log: the data-protection officer's record of who read what, kept" },
  bulk_action_items: { columns: ['bulk_id', 'case_id', 'position', 'gate_id', 'reason_ref', 'status', 'code', 'params', 'detail', 'attempts', 'finished_at'], why: "a bulk action's results: codes; its reason is a text (reason_ref)" },
  departure_batch_members: {
    columns: ['batch_id', 'case_id', 'status', 'code', 'params', 'departure', 'departure_at', 'arrival', 'arrival_at', 'attempts', 'in_planned_batch', 'added_by', 'added_at'],
    why: "a departure batch's cases: statuses, refusal codes with ids, dates",
  },
  case_erasures: { columns: ['case_id', 'erased_at', 'actor', 'person_id', 'reason', 'retention_months', 'household_size'], why: 'the record of the erasure itself' },
  personal_data_read_exports: { columns: ['id', 'person_id', 'period_from', 'period_to', 'case_id', 'organisation_filter', 'door', 'at'], why: 'the record of an export of the read log' },
};

export interface ErasureRecord {
  caseId: string;
  reference: string;
  erasedAt: string;
  /** `admin` (a person, `personId`) or `system` (the retention schedule). */
  actor: 'admin' | 'system';
  personId: string | null;
  reason: string;
  retentionMonths: number | null;
}

export type ErasedBy = { actor: 'admin'; personId: string } | { actor: 'system'; retentionMonths: number };

export const adminsOnly = () => new ProblemError(403, 'Admins only', 'Only admins erase personal data and export the read log.');

export function requireAdmin(caller: Caller): void {
  if (caller.role !== 'admin') throw adminsOnly();
}

export const caseNotClosed = (status: string) =>
  new ProblemError(409, 'Case not closed', `Only a closed case's personal data is erased; this case is ${status}.`, { code: 'case-not-closed', params: { status } });

const RECORD = (sql: Queryable) => sql`
  e.case_id AS "caseId", c.reference, e.erased_at AS "erasedAt", e.actor, e.person_id AS "personId", e.reason, e.retention_months AS "retentionMonths"`;

type RecordRow = Omit<ErasureRecord, 'erasedAt'> & { erasedAt: Date };
const toRecord = (r: RecordRow): ErasureRecord => ({ ...r, erasedAt: r.erasedAt.toISOString() });

/** A case's erasure, if its personal data was erased. */
export async function erasureOf(sql: Queryable, caseId: string): Promise<ErasureRecord | null> {
  const [row] = await sql<RecordRow[]>`SELECT ${RECORD(sql)} FROM case_erasures e JOIN cases c ON c.id = e.case_id WHERE e.case_id = ${caseId}`;
  return row ? toRecord(row) : null;
}

/** Erases, in `tx`, what the case's tables hold of its household (ERASED_COLUMNS). */
async function eraseRows(tx: Queryable, caseId: string, at: Date): Promise<void> {
  await tx`DELETE FROM case_households WHERE case_id = ${caseId}`;
  await tx`UPDATE texts SET body = '', erased_at = ${at} WHERE case_id = ${caseId} AND erased_at IS NULL`;
  await tx`UPDATE housing_offers SET address = '', erased_at = ${at} WHERE case_id = ${caseId} AND erased_at IS NULL`;
  await tx`UPDATE checkin_reports SET body = '', erased_at = ${at} WHERE case_id = ${caseId} AND erased_at IS NULL`;
  await tx`UPDATE attachments SET file_name = '', sha256 = '', content = NULL, erased_at = ${at} WHERE case_id = ${caseId} AND erased_at IS NULL`;
  await tx`UPDATE agreement_documents SET body = NULL, url = NULL, erased_at = ${at} WHERE case_id = ${caseId} AND erased_at IS NULL`;
  await tx`UPDATE case_events SET reason = NULL WHERE case_id = ${caseId} AND reason IS NOT NULL`;
  await tx`UPDATE failing_steps SET last_failure = NULL WHERE case_id = ${caseId} AND last_failure IS NOT NULL`;
}

/**
 * Erases a closed case's personal data and records it, once: a case erased before answers its
 * first record (`already`). 404 for no such case, 409 (`case-not-closed`) for an open one.
 */
export async function eraseCase(sql: Sql, caseId: string, by: ErasedBy, reason: string): Promise<{ record: ErasureRecord; already: boolean }> {
  return sql.begin(async (tx) => {
    // The case row locked: two erasures at once write one record, and the case cannot close meanwhile unseen.
    const [c] = await tx<{ status: string }[]>`SELECT status FROM cases WHERE id = ${caseId} FOR UPDATE`;
    if (!c) throw caseNotFound();
    const before = await erasureOf(tx, caseId);
    if (before) return { record: before, already: true };
    if (!(FINAL_STATUSES as readonly string[]).includes(c.status)) throw caseNotClosed(c.status);
    const [size] = await tx<{ n: number }[]>`SELECT 1 + jsonb_array_length(CASE jsonb_typeof(members) WHEN 'array' THEN members ELSE '[]' END) AS n FROM case_households WHERE case_id = ${caseId}`;
    const [row] = await tx<{ at: Date }[]>`
      INSERT INTO case_erasures (case_id, actor, person_id, reason, retention_months, household_size)
      VALUES (${caseId}, ${by.actor}, ${by.actor === 'admin' ? by.personId : null}, ${reason}, ${by.actor === 'system' ? by.retentionMonths : null}, ${size?.n ?? null})
      RETURNING erased_at AS at`;
    await eraseRows(tx, caseId, row!.at);
    return { record: (await erasureOf(tx, caseId))!, already: false };
  });
}

/** An admin's erasure: the reason is required (1–500 characters). */
export async function eraseCaseAsAdmin(sql: Sql, caller: Caller, caseId: string, reason: string): Promise<{ record: ErasureRecord; already: boolean }> {
  requireAdmin(caller);
  const why = reason.trim();
  if (why.length === 0 || why.length > 500) throw invalidInput('reason', 'give a reason of 1 to 500 characters');
  return eraseCase(sql, caseId, { actor: 'admin', personId: caller.personId }, why);
}

export interface ErasureListItem extends ErasureRecord {
  /** The admin who erased it, by name; null for the system. */
  personName: string | null;
}

/** Erasure records, newest first (admins only); `from`/`to` bound when. */
export async function listErasures(sql: Queryable, caller: Caller, q: { limit?: number; from?: Date; to?: Date } = {}): Promise<ErasureListItem[]> {
  requireAdmin(caller);
  const rows = await sql<(RecordRow & { personName: string | null })[]>`
    SELECT ${RECORD(sql)}, p.name AS "personName"
    FROM case_erasures e JOIN cases c ON c.id = e.case_id LEFT JOIN people p ON p.id = e.person_id
    WHERE true ${q.from ? sql`AND e.erased_at >= ${q.from}` : sql``} ${q.to ? sql`AND e.erased_at < ${q.to}` : sql``}
    ORDER BY e.erased_at DESC, e.case_id
    LIMIT ${q.limit ?? 100}`;
  return rows.map((r) => ({ ...toRecord(r), personName: r.personName }));
}

export interface ClosedCase {
  id: string;
  reference: string;
  status: string;
  pathwayName: string | null;
  /** When its last event happened: the case closed then. */
  closedAt: string;
}

/** When a case closed: its last event (its workflow's clock), or its row's last change when it has none. */
export const CLOSED_AT_SQL = 'COALESCE((SELECT max(ev.at) FROM case_events ev WHERE ev.case_id = c.id), c.updated_at)';

/** Closed cases whose personal data is still held, for the admin page (no personal data: references and statuses). */
export async function closedCases(sql: Queryable, caller: Caller, q: { reference?: string; limit?: number } = {}): Promise<ClosedCase[]> {
  requireAdmin(caller);
  const rows = await sql<(Omit<ClosedCase, 'closedAt'> & { closedAt: Date })[]>`
    SELECT c.id, c.reference, c.status, c.pathway_name AS "pathwayName", ${sql.unsafe(CLOSED_AT_SQL)} AS "closedAt"
    FROM cases c
    WHERE c.status IN ('completed', 'rejected', 'withdrawn') AND NOT EXISTS (SELECT 1 FROM case_erasures e WHERE e.case_id = c.id)
      ${q.reference ? sql`AND c.reference ILIKE ${`%${q.reference.replace(/[\\%_]/g, (m) => `\\${m}`)}%`}` : sql``}
    ORDER BY c.id
    LIMIT ${q.limit ?? 50}`;
  return rows.map((r) => ({ ...r, closedAt: r.closedAt.toISOString() }));
}

/** One case as the admin confirm page shows it: reference, status, pathway — and its erasure, if any. */
export async function caseForErasure(sql: Queryable, caller: Caller, caseId: string): Promise<ClosedCase & { erasure: ErasureRecord | null }> {
  requireAdmin(caller);
  const [row] = await sql<(Omit<ClosedCase, 'closedAt'> & { closedAt: Date })[]>`
    SELECT c.id, c.reference, c.status, c.pathway_name AS "pathwayName", ${sql.unsafe(CLOSED_AT_SQL)} AS "closedAt" FROM cases c WHERE c.id = ${caseId}`;
  if (!row) throw caseNotFound();
  return { ...row, closedAt: row.closedAt.toISOString(), erasure: await erasureOf(sql, caseId) };
}
