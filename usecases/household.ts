/**
 * The household of a case — its personal data — as the caller may read it, and the log of who
 * read it. What each party sees is declared once, in `HOUSEHOLD_ACCESS` (the README's "Who reads
 * what" repeats it): the coordinator of the case, its sponsor group and the national agencies
 * (who decide on, and issue visas and travel for, named people) see everything; the university
 * sees its student, the principal, by name and the rest without names; the municipality asked
 * for housing sees what housing needs — how many, their ages and relations, their needs — and no
 * name. The API (`GET /v1/cases/{id}/household`) and the case page read it here alike.
 *
 * Every read that returns personal data writes one row to `personal_data_reads`, in the same
 * transaction as the read: a read is never answered unrecorded. A read that returns nothing
 * personal (a household of one, without members or needs, read without its name) writes none.
 * The coordinator of the case reads the log (`readLog`), newest first.
 */
// zod with OpenAPI metadata: the API documents this very schema.
import { z } from '@hono/zod-openapi';
import type { OrganisationKind } from '../domain/organisation.js';
import type { Queryable } from '../infra/db.js';
import type { Caller } from './caller.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { Deps } from './deps.js';
import { invalidInput, ProblemError } from './problem.js';
import { candidateOnly } from './match.js';
import { visibleCase } from './scope.js';

/** What of a household can be shown, field by field. */
export type HouseholdField = 'principalName' | 'memberNames' | 'birthYears' | 'ages' | 'relations' | 'needs';

/** How much of the household a party of the case sees. */
/** `candidate`: an organisation a match step asks to take the case (usecases/match.ts), while it decides. */
export type HouseholdLevel = 'full' | 'principal' | 'housing' | 'candidate';

/** The fields each level shows. The household's size is shown at every level and is not personal on its own. */
export const LEVEL_FIELDS = {
  full: ['principalName', 'memberNames', 'birthYears', 'ages', 'relations', 'needs'],
  principal: ['principalName', 'ages', 'relations', 'needs'],
  housing: ['ages', 'relations', 'needs'],
  candidate: ['ages', 'relations', 'needs'],
} as const satisfies Record<HouseholdLevel, readonly HouseholdField[]>;

/**
 * The access table: a party's level by its part in the case. `coordinator` is the case's own
 * coordinating organisation; every other party by its organisation's kind. A coordinating
 * organisation that is not this case's coordinator sees nothing (null).
 */
export const HOUSEHOLD_ACCESS = {
  coordinator: 'full',
  sponsor_group: 'full',
  national_agency: 'full',
  university: 'principal',
  municipality: 'housing',
} as const satisfies Record<OrganisationKind, HouseholdLevel>;

export function householdLevel(caller: Caller, coordinator: string | null): HouseholdLevel | null {
  if (coordinator === caller.organisationId) return HOUSEHOLD_ACCESS.coordinator;
  if (caller.organisationKind === 'coordinator') return null;
  return HOUSEHOLD_ACCESS[caller.organisationKind];
}

/** A member as stored in `case_households.members` (and accepted by `POST /v1/cases`). */
export const HouseholdMember = z.object({
  name: z.string().trim().min(1).max(200),
  birthYear: z.number().int().min(1900).max(2100).optional(),
  /** To the principal: e.g. `spouse`, `child`, `parent`. */
  relation: z.string().trim().min(1).max(40).optional(),
});
export type HouseholdMember = z.infer<typeof HouseholdMember>;

export interface HouseholdView {
  caseId: string;
  /** What the caller sees; `none` for a party that sees nothing of it. */
  level: HouseholdLevel | 'none';
  /** The principal and the members. */
  size: number;
  /** The principal's name, for the levels that show it. */
  principal: { name: string } | null;
  /** `name` and `birthYear` only where the level shows them; `age` is the age reached this year. */
  members: { name?: string; birthYear?: number; age: number | null; relation: string | null }[];
  needs: string[];
}

type Stored = { principalName: string; members: unknown; needs: string[] };

/** The household as `level` shows it, and the personal fields it holds (what the log records). */
export function householdAt(caseId: string, level: HouseholdLevel | null, stored: Stored, thisYear = new Date().getUTCFullYear()): { view: HouseholdView; fields: HouseholdField[] } {
  const members = z.array(HouseholdMember).catch([]).parse(stored.members);
  const size = 1 + members.length;
  if (!level) return { view: { caseId, level: 'none', size, principal: null, members: [], needs: [] }, fields: [] };
  const shows = new Set<HouseholdField>(LEVEL_FIELDS[level]);
  const view: HouseholdView = {
    caseId,
    level,
    size,
    principal: shows.has('principalName') ? { name: stored.principalName } : null,
    members: members.map((m) => ({
      ...(shows.has('memberNames') ? { name: m.name } : {}),
      ...(shows.has('birthYears') && m.birthYear !== undefined ? { birthYear: m.birthYear } : {}),
      age: shows.has('ages') && m.birthYear !== undefined ? Math.max(0, thisYear - m.birthYear) : null,
      relation: shows.has('relations') ? (m.relation ?? null) : null,
    })),
    needs: shows.has('needs') ? stored.needs : [],
  };
  const held: Record<HouseholdField, boolean> = {
    principalName: view.principal !== null,
    memberNames: view.members.some((m) => m.name !== undefined),
    birthYears: view.members.some((m) => m.birthYear !== undefined),
    ages: view.members.some((m) => m.age !== null),
    relations: view.members.some((m) => m.relation !== null),
    needs: view.needs.length > 0,
  };
  return { view, fields: LEVEL_FIELDS[level].filter((f) => held[f]) };
}

export const householdNotFound = () => new ProblemError(404, 'Household not found', 'No household is recorded for this case.');
export const isHouseholdNotFound = (error: unknown) => error instanceof ProblemError && error.status === 404 && error.title === 'Household not found';

/** `GET /v1/cases/{id}/household` and the case page: the household as the caller may see it, its read recorded. */
export async function readHousehold({ sql }: Pick<Deps, 'sql'>, caller: Caller, caseId: string, door: 'api' | 'web' = 'api'): Promise<HouseholdView> {
  return sql.begin(async (tx) => {
    const { coordinator } = await visibleCase(tx, caller, caseId);
    return readVisibleHousehold(tx, caller, { id: caseId, coordinator }, door);
  });
}

/** The same, in the caller's transaction, for a reader just found to take part in the case. */
async function readVisibleHousehold(tx: Queryable, caller: Caller, c: { id: string; coordinator: string | null }, door: 'api' | 'web'): Promise<HouseholdView> {
  // A candidate of a match decides on what the household needs, not on who they are.
  const level = (await candidateOnly(tx, c.id, caller.organisationId)) ? 'candidate' : householdLevel(caller, c.coordinator);
  const [stored] = await tx<Stored[]>`SELECT principal_name AS "principalName", members, needs FROM case_households WHERE case_id = ${c.id}`;
  if (!stored) {
    // Erased with the case's personal data (usecases/erasure.ts): still 404, saying when.
    const [erased] = await tx<{ at: Date }[]>`SELECT erased_at AS at FROM case_erasures WHERE case_id = ${c.id}`;
    if (erased) throw new ProblemError(404, 'Household not found', `The household's personal data was erased on ${erased.at.toISOString()}.`, { erasedAt: erased.at.toISOString() });
    throw householdNotFound();
  }
  const { view, fields } = householdAt(c.id, level, stored);
  if (level && fields.length > 0) {
    await tx`
      INSERT INTO personal_data_reads (case_id, person_id, organisation_id, level, fields, door)
      VALUES (${c.id}, ${caller.personId}, ${caller.organisationId}, ${level}, ${fields}, ${door})`;
  }
  return view;
}

// The read log.

/**
 * What a row of the log says was read: a household at its level, an attached file
 * (usecases/attachments.ts), sent check-in reports (usecases/checkin-reports.ts), or a sponsor
 * group's members and checks read by a coordinator of the case (usecases/group-members.ts).
 */
export const READ_LEVELS = ['full', 'principal', 'housing', 'candidate', 'document', 'reports', 'group-roster'] as const;
export const READ_FIELDS = ['principalName', 'memberNames', 'birthYears', 'ages', 'relations', 'needs', 'document', 'reports', 'groupRoster'] as const;
export type ReadLevel = (typeof READ_LEVELS)[number];
export type ReadField = (typeof READ_FIELDS)[number];

export const ReadLogQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(400).optional().describe('`nextCursor` of the previous page'),
});
export type ReadLogQuery = z.infer<typeof ReadLogQuery>;

export interface PersonalDataRead {
  id: string;
  at: string;
  reader: { personId: string; name: string; organisation: { id: string; name: string; kind: string } };
  level: ReadLevel;
  fields: ReadField[];
  door: 'api' | 'web';
}

export interface ReadLogPage {
  items: PersonalDataRead[];
  nextCursor: string | null;
}

const LIST = 'personal-data-reads:newest';

export const notTheCoordinator = () => new ProblemError(403, 'Not the coordinator', 'Only the coordinator of the case reads who read its household.');

/** `GET /v1/cases/{id}/reads`: who read the household, newest first; for the case's coordinator (others who take part get 403). */
export async function readLog({ sql }: Pick<Deps, 'sql'>, caller: Caller, caseId: string, q: ReadLogQuery): Promise<ReadLogPage> {
  const { coordinator } = await visibleCase(sql, caller, caseId);
  if (coordinator !== caller.organisationId) throw notTheCoordinator();
  return visibleReadLog(sql, caseId, q);
}

/** One page of the log, for a reader just found to be the case's coordinator. */
export async function visibleReadLog(sql: Queryable, caseId: string, q: ReadLogQuery): Promise<ReadLogPage> {
  const after = q.cursor ? decodeCursor(q.cursor, LIST, ['timestamp', 'text'] as const) : undefined;
  if (after && !/^\d{1,18}$/.test(after[1])) throw invalidInput('cursor', 'not a cursor this API gave out for this list');
  const rows = await sql<{ id: string; at: Date; sortKey: string; personId: string; name: string; orgId: string; orgName: string; orgKind: string; level: ReadLevel; fields: ReadField[]; door: 'api' | 'web' }[]>`
    SELECT r.id::text AS id, r.at, r.at::text AS "sortKey", r.person_id AS "personId", p.name, r.organisation_id AS "orgId", o.name AS "orgName", o.kind AS "orgKind",
           r.level, r.fields, r.door
    FROM personal_data_reads r JOIN people p ON p.id = r.person_id JOIN organisations o ON o.id = r.organisation_id
    WHERE r.case_id = ${caseId} ${after ? sql`AND (r.at, r.id) < (${after[0]}::timestamptz, ${after[1]}::bigint)` : sql``}
    ORDER BY r.at DESC, r.id DESC
    LIMIT ${q.limit + 1}`;
  const shown = rows.slice(0, q.limit);
  const last = shown.at(-1);
  return {
    items: shown.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      reader: { personId: r.personId, name: r.name, organisation: { id: r.orgId, name: r.orgName, kind: r.orgKind } },
      level: r.level,
      fields: r.fields,
      door: r.door,
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor(LIST, [last.sortKey, last.id]) : null,
  };
}
