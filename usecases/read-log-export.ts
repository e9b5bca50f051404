/**
 * The read log (`personal_data_reads`) as CSV for a data-protection officer, exported by an admin
 * (and only an admin): `GET /v1/admin/personal-data-reads.csv` and the admin page's download.
 * A period (days `from`–`to`, both included, UTC) and optionally one case or one reading
 * organisation; oldest first, streamed a page at a time by keyset (at, id), as usecases/export.ts
 * streams the case list. Columns: when, case reference, reader (person id, name, email),
 * organisation (id, name), level, fields, door, file. Every export is itself recorded (who, which
 * period, which filters) in `personal_data_read_exports`, before its first byte.
 */
import { z } from '@hono/zod-openapi';
import type { Sql } from '../infra/db.js';
import type { Caller } from './caller.js';
import { BOM, csvLine, textStream } from './csv.js';
import { requireAdmin } from './erasure.js';
import type { CsvExport } from './export.js';
import { EXPORT_PAGE } from './export.js';
import { invalidInput } from './problem.js';

const day = z.iso.date();

export const ReadLogExportQuery = z.object({
  from: day.describe('First day of the period (UTC), `YYYY-MM-DD`'),
  to: day.describe('Last day of the period (UTC, included), `YYYY-MM-DD`'),
  caseId: z.uuid().optional().describe('Only the reads of this case'),
  organisationId: z.uuid().optional().describe('Only the reads by people of this organisation'),
});
export type ReadLogExportQuery = z.infer<typeof ReadLogExportQuery>;

export const READ_LOG_COLUMNS = ['When', 'Case reference', 'Case id', 'Reader id', 'Reader name', 'Reader email', 'Organisation id', 'Organisation', 'Level', 'Fields', 'Door', 'File id'] as const;

type Row = {
  id: string; at: Date; atKey: string; caseId: string; reference: string; personId: string; name: string; email: string;
  organisationId: string; organisation: string; level: string; fields: string[]; door: string; attachmentId: string | null;
};

/** The period as instants: from the start of `from` to the start of the day after `to`. */
export function periodOf(q: Pick<ReadLogExportQuery, 'from' | 'to'>): { from: Date; to: Date } {
  const from = new Date(`${q.from}T00:00:00Z`);
  const to = new Date(new Date(`${q.to}T00:00:00Z`).getTime() + 86_400_000);
  if (to <= from) throw invalidInput('to', 'must be on or after `from`');
  return { from, to };
}

/** `GET /v1/admin/personal-data-reads.csv`: the read log of a period, for admins only; the export recorded. */
export async function exportReadLog(sql: Sql, caller: Caller, q: ReadLogExportQuery, door: 'api' | 'web'): Promise<CsvExport> {
  requireAdmin(caller);
  const { from, to } = periodOf(q);
  await sql`
    INSERT INTO personal_data_read_exports (person_id, period_from, period_to, case_id, organisation_filter, door)
    VALUES (${caller.personId}, ${from}, ${to}, ${q.caseId ?? null}, ${q.organisationId ?? null}, ${door})`;
  const read = (after?: Row) => sql<Row[]>`
    SELECT r.id::text AS id, r.at, r.at::text AS "atKey", r.case_id AS "caseId", c.reference, r.person_id AS "personId", p.name, p.email,
           r.organisation_id AS "organisationId", o.name AS organisation, r.level, r.fields, r.door, r.attachment_id AS "attachmentId"
    FROM personal_data_reads r JOIN cases c ON c.id = r.case_id JOIN people p ON p.id = r.person_id JOIN organisations o ON o.id = r.organisation_id
    WHERE r.at >= ${from} AND r.at < ${to}
      ${q.caseId ? sql`AND r.case_id = ${q.caseId}` : sql``}
      ${q.organisationId ? sql`AND r.organisation_id = ${q.organisationId}` : sql``}
      ${after ? sql`AND (r.at, r.id) > (${after.atKey}::timestamptz, ${after.id}::bigint)` : sql``}
    ORDER BY r.at, r.id
    LIMIT ${EXPORT_PAGE}`;
  const first = await read();
  async function* chunks(): AsyncGenerator<string, void, undefined> {
    yield BOM + csvLine([...READ_LOG_COLUMNS]);
    for (let page: Row[] = first; page.length > 0; page = page.length < EXPORT_PAGE ? [] : await read(page.at(-1))) {
      yield page
        .map((r) => csvLine([r.at.toISOString(), r.reference, r.caseId, r.personId, r.name, r.email, r.organisationId, r.organisation, r.level, r.fields.join('; '), r.door, r.attachmentId]))
        .join('');
    }
  }
  return { fileName: `personal-data-reads-${q.from}-${q.to}.csv`, body: textStream(chunks()) };
}

export interface ReadLogExportRecord {
  at: string;
  personId: string;
  personName: string;
  from: string;
  to: string;
  caseId: string | null;
  organisationId: string | null;
  door: 'api' | 'web';
}

/** The exports made so far, newest first: who exported which period (admins only). */
export async function listReadLogExports(sql: Sql, caller: Caller, limit = 50): Promise<ReadLogExportRecord[]> {
  requireAdmin(caller);
  const rows = await sql<{ at: Date; personId: string; personName: string; from: Date; to: Date; caseId: string | null; organisationId: string | null; door: 'api' | 'web' }[]>`
    SELECT x.at, x.person_id AS "personId", p.name AS "personName", x.period_from AS from, x.period_to AS to, x.case_id AS "caseId", x.organisation_filter AS "organisationId", x.door
    FROM personal_data_read_exports x JOIN people p ON p.id = x.person_id
    ORDER BY x.at DESC, x.id DESC
    LIMIT ${limit}`;
  return rows.map((r) => ({ ...r, at: r.at.toISOString(), from: r.from.toISOString(), to: r.to.toISOString() }));
}
