/**
 * What a caller may see. A case is visible to the organisations that take part in it (sponsor
 * group, municipality, university, agencies, coordinator); a programme to its coordinator and its
 * MoU signatories. Anything else is answered 404, so its existence is not revealed.
 */
import type { Queryable } from '../infra/db.js';
import type { Caller } from './caller.js';
import { ProblemError } from './problem.js';

export const caseNotFound = () => new ProblemError(404, 'Case not found', 'No case with this id is visible to you.');
export const programmeNotFound = () => new ProblemError(404, 'Programme not found', 'No programme with this id is visible to you.');

/** A case the caller's organisation takes part in; `coordinator` is its coordinating organisation. */
export async function visibleCase(sql: Queryable, caller: Caller, caseId: string): Promise<{ reference: string; programmeId: string | null; coordinator: string | null }> {
  const [row] = await sql<{ reference: string; programmeId: string | null; coordinator: string | null }[]>`
    SELECT c.reference, c.programme_id AS "programmeId", c.coordinator_organisation_id AS coordinator FROM cases c
    WHERE c.id = ${caseId} AND EXISTS (SELECT 1 FROM case_parties p WHERE p.case_id = c.id AND p.organisation_id = ${caller.organisationId})`;
  if (!row) throw caseNotFound();
  return row;
}

export async function visibleProgramme(sql: Queryable, caller: Caller, programmeId: string): Promise<{ name: string; coordinator: string }> {
  const [row] = await sql<{ name: string; coordinator: string }[]>`
    SELECT name, coordinator_organisation_id AS coordinator FROM programmes
    WHERE id = ${programmeId} AND (coordinator_organisation_id = ${caller.organisationId} OR ${caller.organisationId}::uuid = ANY(mou_signatories))`;
  if (!row) throw programmeNotFound();
  return row;
}
