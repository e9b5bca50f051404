/**
 * The case list and the board as CSV, for a spreadsheet: the same filters and the same scoping as
 * the lists (every row is one the caller's list would show), streamed a page of 500 at a time
 * through the lists' keyset paging — so 100,000 rows cost the memory of one page, and a download
 * that is abandoned stops reading.
 *
 * - Cases (`GET /v1/cases/export.csv`, the page's `/cases/export.csv`): reference, pathway,
 *   programme, status, stage, on hold, whose turn, next step, due, days overdue, opened, updated.
 *   A programme's cases are this export filtered by `programmeId`. Rows come newest first (or by
 *   reference, when sorted so): a list ordered by a date that moves (due, last changed) could
 *   show a case twice, or miss it, when the case changed while a long export ran.
 * - The board (`GET /v1/board/export.csv`, `/board/export.csv`): every overdue step within the
 *   board's filters, longest overdue first, for coordinators.
 *
 * No personal data unless asked for (`include=household`) and then only what the caller's part in
 * each case shows (`householdLevel`, household.ts): the principal's name, the household's size,
 * its members as the level shows them, its needs. Every case whose household an export returns
 * personal data of is recorded in `personal_data_reads` — one row per case, as a read of the case
 * page's household, written for a whole page in the same transaction that read it.
 *
 * The words (headers, statuses, titles, dates) come from the door: codes, English and ISO 8601
 * instants from the API; the reader's language from the pages.
 */
import { z } from 'zod';
import type { Sql } from '../infra/db.js';
import { BoardQuery, overdueWhere } from './board.js';
import type { Caller } from './caller.js';
import { CaseListQuery, listCases, type CaseListItem } from './case-list.js';
import { BOM, csvLine, textStream } from './csv.js';
import { householdAt, householdLevel, type HouseholdView } from './household.js';
import { ProblemError } from './problem.js';

/** Rows read, and written out, at a time. */
export const EXPORT_PAGE = 500;

const include = z.enum(['household']).optional().describe("`household`: add the household's columns, each filled only as far as your part in the case shows it; every case read so is recorded");

export const CaseExportQuery = CaseListQuery.omit({ cursor: true, limit: true }).extend({ include });
export type CaseExportQuery = z.infer<typeof CaseExportQuery>;
export const BoardExportQuery = BoardQuery.omit({ cursor: true, limit: true }).extend({ include });
export type BoardExportQuery = z.infer<typeof BoardExportQuery>;

const CASE_COLUMNS = ['reference', 'pathway', 'programme', 'status', 'stage', 'onHold', 'waitingOn', 'nextStep', 'dueAt', 'daysOverdue', 'openedAt', 'updatedAt'] as const;
const BOARD_COLUMNS = ['reference', 'step', 'stepKind', 'waitingOn', 'programme', 'pathway', 'dueAt', 'daysOverdue', 'reminders', 'escalations'] as const;
const HOUSEHOLD_COLUMNS = ['principalName', 'householdSize', 'members', 'needs'] as const;
type Column = (typeof CASE_COLUMNS)[number] | (typeof BOARD_COLUMNS)[number] | (typeof HOUSEHOLD_COLUMNS)[number];

/** What the door words: the headers, the codes, the titles and the dates. */
export interface CsvWords {
  columns: Record<Column, string>;
  fileNames: { cases: string; board: string };
  status: (code: string) => string;
  onHold: (code: 'held' | 'paused') => string;
  /** A pathway's, stage's or step's title. */
  title: (title: string) => string;
  gateKind: (kind: string) => string;
  date: (iso: string) => string;
  member: (m: HouseholdView['members'][number]) => string;
}

export const ENGLISH_CSV_WORDS: CsvWords = {
  columns: {
    reference: 'Reference', pathway: 'Pathway', programme: 'Programme', status: 'Status', stage: 'Stage', onHold: 'On hold', waitingOn: 'Whose turn',
    nextStep: 'Next step', dueAt: 'Due', daysOverdue: 'Days overdue', openedAt: 'Opened', updatedAt: 'Updated', step: 'Step', stepKind: 'Kind of step',
    reminders: 'Reminders sent', escalations: 'Escalations sent', principalName: 'Principal', householdSize: 'Household size', members: 'Members', needs: 'Needs',
  },
  fileNames: { cases: 'cases', board: 'overdue-steps' },
  status: (code) => code,
  onHold: (code) => code,
  title: (title) => title,
  gateKind: (kind) => kind,
  date: (iso) => iso,
  member: (m) => [m.name, m.relation, m.birthYear !== undefined ? `born ${m.birthYear}` : undefined, m.age !== null ? `age ${m.age}` : undefined].filter(Boolean).join(', '),
};

export interface CsvExport {
  fileName: string;
  body: ReadableStream<Uint8Array>;
}

export interface ExportOptions {
  words: CsvWords;
  door: 'api' | 'web';
}

const today = () => new Date().toISOString().slice(0, 10);

/** Names by id, read for each page only for the ids not seen before: one query per page at most. */
function namesOf(read: (ids: string[]) => Promise<{ id: string; name: string }[]>) {
  const known = new Map<string, string>();
  return async (ids: (string | null)[]): Promise<Map<string, string>> => {
    const missing = [...new Set(ids.filter((id): id is string => !!id && !known.has(id)))];
    if (missing.length) for (const r of await read(missing)) known.set(r.id, r.name);
    return known;
  };
}

function lookups(sql: Sql, caller: Caller) {
  return {
    // Organisation names are not personal data: every list shows whom a case waits on by them.
    organisations: namesOf((ids) => sql<{ id: string; name: string }[]>`SELECT id, name FROM organisations WHERE id = ANY(${ids}::uuid[])`),
    // A programme by name only to its coordinator and signatories (scope.ts); others get its id, as the list gives it.
    programmes: namesOf((ids) => sql<{ id: string; name: string }[]>`
      SELECT id, name FROM programmes WHERE id = ANY(${ids}::uuid[]) AND (coordinator_organisation_id = ${caller.organisationId} OR ${caller.organisationId}::uuid = ANY(mou_signatories))`),
  };
}

/**
 * The households of a page's cases as the caller may see each, the personal data returned recorded
 * in the same transaction (one row per case, as household.ts records a read of one).
 */
async function householdsOf(sql: Sql, caller: Caller, caseIds: string[], door: 'api' | 'web'): Promise<Map<string, HouseholdView>> {
  if (caseIds.length === 0) return new Map();
  return sql.begin(async (tx) => {
    // `candidate`: the caller is only asked to take the case by a match (usecases/match.ts).
    const stored = await tx<{ caseId: string; coordinator: string | null; candidate: boolean; principalName: string; members: unknown; needs: string[] }[]>`
      SELECT h.case_id AS "caseId", c.coordinator_organisation_id AS coordinator, h.principal_name AS "principalName", h.members, h.needs,
        NOT EXISTS (SELECT 1 FROM case_parties p WHERE p.case_id = c.id AND p.organisation_id = ${caller.organisationId} AND p.slot NOT LIKE 'proposed:%') AS candidate
      FROM case_households h JOIN cases c ON c.id = h.case_id
      WHERE h.case_id = ANY(${[...new Set(caseIds)]}::uuid[])`;
    const views = new Map<string, HouseholdView>();
    const reads: { case_id: string; person_id: string; organisation_id: string; level: string; fields: string[]; door: string }[] = [];
    for (const s of stored) {
      const level = s.candidate ? 'candidate' : householdLevel(caller, s.coordinator);
      const { view, fields } = householdAt(s.caseId, level, s);
      views.set(s.caseId, view);
      if (level && fields.length > 0) reads.push({ case_id: s.caseId, person_id: caller.personId, organisation_id: caller.organisationId, level, fields, door });
    }
    if (reads.length) await tx`INSERT INTO personal_data_reads ${tx(reads, 'case_id', 'person_id', 'organisation_id', 'level', 'fields', 'door')}`;
    return views;
  });
}

const householdCells = (words: CsvWords, h: HouseholdView | undefined) =>
  h ? [h.principal?.name ?? '', h.size, h.members.map(words.member).join('; '), h.needs.join('; ')] : ['', '', '', ''];

/** `GET /v1/cases/export.csv` and the case list's "Download CSV": every case the list would show with these filters. */
export async function exportCases(sql: Sql, caller: Caller, query: CaseExportQuery, { words, door }: ExportOptions): Promise<CsvExport> {
  const { include: extra, sort, ...filters } = query;
  const withHousehold = extra === 'household';
  const read = (cursor?: string) => listCases(sql, caller, { ...filters, sort: sort === 'reference' ? 'reference' : 'newest', limit: EXPORT_PAGE, cursor });
  // The first page before any byte: a refusal or an unreachable database is still an error answer.
  const first = await read();
  const names = lookups(sql, caller);
  const row = (r: CaseListItem, orgs: Map<string, string>, programmes: Map<string, string>, household: HouseholdView | undefined) => [
    r.reference,
    r.pathwayName ? words.title(r.pathwayName) : r.pathwayId,
    r.programmeId ? (programmes.get(r.programmeId) ?? r.programmeId) : '',
    words.status(r.status),
    r.stage ? words.title(r.stage.title) : '',
    r.onHold ? words.onHold(r.onHold) : '',
    r.waitingOn.map((id) => orgs.get(id) ?? id).join('; '),
    r.nextStep ? words.title(r.nextStep.title) : '',
    r.nextDueAt ? words.date(r.nextDueAt) : '',
    r.daysOverdue,
    words.date(r.createdAt),
    words.date(r.updatedAt),
    ...(withHousehold ? householdCells(words, household) : []),
  ];
  async function* chunks(): AsyncGenerator<string, void, undefined> {
    yield BOM + csvLine([...CASE_COLUMNS, ...(withHousehold ? HOUSEHOLD_COLUMNS : [])].map((c) => words.columns[c]));
    for (let page = first; ; page = await read(page.nextCursor!)) {
      const [orgs, programmes, households] = await Promise.all([
        names.organisations(page.items.flatMap((r) => r.waitingOn)),
        names.programmes(page.items.map((r) => r.programmeId)),
        withHousehold ? householdsOf(sql, caller, page.items.map((r) => r.id), door) : undefined,
      ]);
      yield page.items.map((r) => csvLine(row(r, orgs, programmes, households?.get(r.id)))).join('');
      if (!page.nextCursor) return;
    }
  }
  return { fileName: `${words.fileNames.cases}-${today()}.csv`, body: textStream(chunks()) };
}

type StepRow = {
  caseId: string; reference: string; gateId: string; kind: string; title: string; allWaitingOn: string[]; programmeId: string | null;
  pathwayId: string; pathwayName: string | null; dueAt: Date; dueKey: string; remindersSent: number; escalationsSent: number;
};

/** `GET /v1/board/export.csv` and the board's "Download CSV": every overdue step the board would show with these filters. */
export async function exportBoard(sql: Sql, caller: Caller, query: BoardExportQuery, { words, door }: ExportOptions): Promise<CsvExport> {
  if (caller.role !== 'coordinator') throw new ProblemError(403, 'Coordinators only', 'The stuck-case board is for coordinators.');
  const { include: extra, ...filter } = query;
  const withHousehold = extra === 'household';
  const { overdue, byStep, byParty } = overdueWhere(sql, caller.organisationId, filter);
  // The board's own order and keyset (usecases/board.ts), a larger page at a time.
  const read = async (after?: StepRow): Promise<StepRow[]> => sql<StepRow[]>`
    SELECT g.case_id AS "caseId", g.reference, g.gate_id AS "gateId", g.gate_kind AS kind, g.title, g.all_waiting_on AS "allWaitingOn",
           g.programme_id AS "programmeId", g.pathway_id AS "pathwayId", g.pathway_name AS "pathwayName", g.due_at AS "dueAt", g.due_at::text AS "dueKey",
           g.reminders_sent AS "remindersSent", g.escalations_sent AS "escalationsSent"
    FROM open_gates g
    WHERE ${overdue} ${byStep} ${byParty}
      ${after ? sql`AND (g.due_at, g.case_id, g.gate_id) > (${after.dueKey}::timestamptz, ${after.caseId}::uuid, ${after.gateId})` : sql``}
    ORDER BY g.due_at, g.case_id, g.gate_id
    LIMIT ${EXPORT_PAGE}`;
  const first = await read();
  const names = lookups(sql, caller);
  async function* chunks(): AsyncGenerator<string, void, undefined> {
    yield BOM + csvLine([...BOARD_COLUMNS, ...(withHousehold ? HOUSEHOLD_COLUMNS : [])].map((c) => words.columns[c]));
    for (let page = first; page.length > 0; page = page.length < EXPORT_PAGE ? [] : await read(page.at(-1))) {
      const now = Date.now();
      const [orgs, programmes, households] = await Promise.all([
        names.organisations(page.flatMap((g) => g.allWaitingOn)),
        names.programmes(page.map((g) => g.programmeId)),
        withHousehold ? householdsOf(sql, caller, page.map((g) => g.caseId), door) : undefined,
      ]);
      yield page
        .map((g) =>
          csvLine([
            g.reference,
            words.title(g.title),
            words.gateKind(g.kind),
            g.allWaitingOn.map((id) => orgs.get(id) ?? id).join('; '),
            g.programmeId ? (programmes.get(g.programmeId) ?? g.programmeId) : '',
            g.pathwayName ? words.title(g.pathwayName) : g.pathwayId,
            words.date(g.dueAt.toISOString()),
            Math.floor((now - g.dueAt.getTime()) / 86_400_000),
            g.remindersSent,
            g.escalationsSent,
            ...(withHousehold ? householdCells(words, households?.get(g.caseId)) : []),
          ]),
        )
        .join('');
    }
  }
  return { fileName: `${words.fileNames.board}-${today()}.csv`, body: textStream(chunks()) };
}
