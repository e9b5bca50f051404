/**
 * Sent check-in reports, read back. A report tells how a family is doing: it is personal data. It
 * is read by the organisation that writes it (the sponsor group acting at the check-ins step) and
 * by the case's coordinator — nobody else (README "Who reads what") — and every read that returns
 * a report's text is recorded in `personal_data_reads`, in the same transaction.
 */
import type { CaseView } from '../domain/case-view.js';
import type { Queryable, Sql } from '../infra/db.js';
import type { Caller } from './caller.js';
import { readCase } from './case-detail.js';
import type { Deps } from './deps.js';
import { ProblemError } from './problem.js';

export interface SentReport {
  gateId: string;
  /** 1-based, as people count them: "report 2 of 4". */
  number: number;
  of: number;
  submittedAt: string;
  by: { personId: string; name: string };
  text: string;
}

interface ReportDetail { index: number; submittedAt: string | null; reportRef?: string | null }

/** Whether the caller may read the reports of this check-ins step. */
export function mayReadReports(caller: Caller, coordinator: string | null, gate: Pick<CaseView['gates'][number], 'assignee'>): boolean {
  return caller.organisationId === coordinator || caller.organisationId === gate.assignee;
}

/** The sent reports of every check-ins step the caller may read, oldest first; the read recorded. */
export async function readableReports(sql: Sql, caller: Caller, c: { id: string; coordinator: string | null }, state: CaseView | null, door: 'api' | 'web'): Promise<SentReport[]> {
  const sent = (state?.gates ?? [])
    .filter((g) => g.kind === 'checkins' && mayReadReports(caller, c.coordinator, g))
    .flatMap((g) => {
      const reports = (g.detail.reports as ReportDetail[] | undefined) ?? [];
      return reports.filter((r) => r.submittedAt && r.reportRef).map((r) => ({ gateId: g.id, number: r.index + 1, of: reports.length, submittedAt: r.submittedAt!, ref: r.reportRef! }));
    });
  if (sent.length === 0) return [];
  return sql.begin(async (tx) => {
    const rows = await reportRows(tx, c.id, sent.map((r) => r.ref));
    const found = sent.flatMap((r) => {
      const row = rows.get(r.ref);
      return row ? [{ gateId: r.gateId, number: r.number, of: r.of, submittedAt: r.submittedAt, by: { personId: row.personId, name: row.name }, text: row.body }] : [];
    });
    if (found.length > 0) {
      await tx`
        INSERT INTO personal_data_reads (case_id, person_id, organisation_id, level, fields, door)
        VALUES (${c.id}, ${caller.personId}, ${caller.organisationId}, 'reports', ${['reports']}, ${door})`;
    }
    return found;
  });
}

async function reportRows(tx: Queryable, caseId: string, ids: string[]) {
  const rows = await tx<{ id: string; body: string; personId: string; name: string }[]>`
    SELECT r.id, r.body, r.person_id AS "personId", p.name
    FROM checkin_reports r JOIN people p ON p.id = r.person_id
    WHERE r.case_id = ${caseId} AND r.id = ANY(${ids}::uuid[]) AND r.erased_at IS NULL`;
  return new Map(rows.map((r) => [r.id, r]));
}

export const notAReportReader = () =>
  new ProblemError(403, 'Not a reader of the reports', 'Check-in reports are read by the sponsor group that writes them and by the coordinator of the case.');

/** Who may read a case's reports at all: its coordinator, and the sponsor group that writes them (before check-ins start: any sponsor group of the case). */
function mayReadAny(caller: Caller, coordinator: string | null, state: CaseView | null): boolean {
  if (caller.organisationId === coordinator) return true;
  const checkins = (state?.gates ?? []).filter((g) => g.kind === 'checkins');
  return checkins.length > 0 ? checkins.some((g) => g.assignee === caller.organisationId) : caller.organisationKind === 'sponsor_group';
}

/** `GET /v1/cases/{id}/reports` and the reports page: the sent reports, for those who may read them (403 for other parties). */
export async function caseReports(deps: Deps, caller: Caller, caseId: string, door: 'api' | 'web' = 'api'): Promise<{ reference: string; items: SentReport[] }> {
  const detail = await readCase(deps, caller, caseId);
  if (!mayReadAny(caller, detail.coordinatorOrg, detail.state)) throw notAReportReader();
  return { reference: detail.reference, items: await readableReports(deps.sql, caller, { id: caseId, coordinator: detail.coordinatorOrg }, detail.state, door) };
}
