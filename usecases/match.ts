/**
 * Match offers beside the workflow: which organisations a coordinator may shortlist for a match
 * step (those of the kind of the party slot it fills), the check of a shortlist before it is sent,
 * and who reads a case as a *candidate* — an organisation asked to take the case and not (yet) one
 * of its parties. The projection writes a candidate into `case_parties` under the slot
 * `proposed:<slot>` while its proposal is open (activities/projection.ts), so it finds and reads
 * the case then, and no longer once it declined or let the proposal lapse; what it reads is
 * narrowed here (`candidateOnly`): the household without names or birth dates, no files but those
 * of the match step.
 */
import type { CaseView } from '../domain/case-view.js';
import type { OrganisationKind } from '../domain/organisation.js';
import type { PathwayTemplate } from '../domain/pathway.js';
import { builtInTemplate } from '../domain/templates/index.js';
import type { Queryable } from '../infra/db.js';
import { ProblemError } from './problem.js';

/** The `case_parties` slot of a candidate asked to fill `slot` (written by activities/projection.ts). */
export const PROPOSED_PREFIX = 'proposed:';
export const proposedSlot = (slot: string) => `${PROPOSED_PREFIX}${slot}`;
export const isProposedSlot = (slot: string) => slot.startsWith(PROPOSED_PREFIX);


export interface OrganisationChoice {
  id: string;
  name: string;
}

/** Organisations of one kind, by name: the choices of a shortlist. Names are not personal data. */
export async function organisationsOfKind(sql: Queryable, kind: OrganisationKind): Promise<OrganisationChoice[]> {
  return sql<OrganisationChoice[]>`SELECT id, name FROM organisations WHERE kind = ${kind} ORDER BY name, id`;
}

/** The template a case follows: its programme's, or the built-in one it was opened on. */
export async function caseTemplate(sql: Queryable, caseId: string): Promise<PathwayTemplate | undefined> {
  const [row] = await sql<{ pathwayId: string | null; template: PathwayTemplate | null }[]>`
    SELECT c.pathway_id AS "pathwayId", p.template FROM cases c LEFT JOIN programmes p ON p.id = c.programme_id WHERE c.id = ${caseId}`;
  return row?.template ?? (row?.pathwayId ? builtInTemplate(row.pathwayId) : undefined);
}

/** The party slot a match step fills and the kind of organisation that fills it; undefined for a step that is no match. */
export function matchSlotOf(template: PathwayTemplate | undefined, gateId: string): { slot: string; kind: OrganisationKind } | undefined {
  const gate = template?.stages.flatMap((s) => s.gates).find((g) => g.id === gateId);
  if (gate?.kind !== 'match') return undefined;
  const kind = template!.parties.find((p) => p.id === gate.fills)?.kind;
  return kind ? { slot: gate.fills, kind } : undefined;
}

/**
 * Refuses a shortlist naming an organisation that does not exist or is not of the kind the match
 * step fills: 422, naming the first such candidate. A step that is no match is left to the
 * workflow, which refuses the action with its own reason.
 */
export async function checkCandidates(sql: Queryable, caseId: string, gateId: string | undefined, candidates: string[]): Promise<void> {
  if (!gateId) return;
  const fills = matchSlotOf(await caseTemplate(sql, caseId), gateId);
  if (!fills) return;
  const rows = await sql<{ id: string; kind: string }[]>`SELECT id, kind FROM organisations WHERE id = ANY(${candidates}::uuid[])`;
  const kinds = new Map(rows.map((r) => [r.id, r.kind]));
  for (const [i, id] of candidates.entries()) {
    const kind = kinds.get(id);
    if (kind === fills.kind) continue;
    const message = kind ? `candidate ${id} is a ${kind}, not a ${fills.kind}: this step fills the party "${fills.slot}"` : `candidate ${id} is no organisation`;
    throw new ProblemError(422, 'Candidate not eligible', message, { candidate: id, errors: [{ field: 'candidates', message, index: i }] });
  }
}

/**
 * Whether the organisation reads this case only as a candidate: it is asked to take the case
 * (a `proposed:` slot) and fills none of its parties' slots.
 */
export async function candidateOnly(sql: Queryable, caseId: string, organisationId: string): Promise<boolean> {
  const slots = await sql<{ slot: string }[]>`SELECT slot FROM case_parties WHERE case_id = ${caseId} AND organisation_id = ${organisationId}`;
  return slots.length > 0 && slots.every((s) => isProposedSlot(s.slot));
}

/**
 * The case's state as a candidate reads it: of its match steps, only its own proposals and not who
 * else is on the shortlist (nor why others declined: their reasons are then not read either).
 */
export function asCandidateSees(state: CaseView | null, organisationId: string): CaseView | null {
  if (!state) return state;
  const own = (proposals: unknown) => ((proposals as { organisationId: string }[] | undefined) ?? []).filter((p) => p.organisationId === organisationId);
  return { ...state, gates: state.gates.map((g) => (g.kind === 'match' ? { ...g, detail: { ...g.detail, shortlist: [], proposals: own(g.detail.proposals) } } : g)) };
}

/** A timeline event about another candidate's proposal (asked, reminded, declined with its reason, lapsed), which a candidate does not read. */
export const aboutOtherCandidate = (e: { kind: string; data: Record<string, unknown> }, organisationId: string): boolean =>
  e.kind.startsWith('match_') && typeof e.data.organisationId === 'string' && e.data.organisationId !== organisationId;
