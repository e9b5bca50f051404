/**
 * Who reads and who adds a case's files (usecases/attachments.ts), declared once: every
 * organisation reads what it uploaded itself; beyond that, by its part in the case
 * (`ATTACHMENT_ACCESS`, repeated in the README's "Who reads what"), everything (`all`), the case's
 * own documents and those of the steps it acts on (`case`), or only those of the steps it acts on
 * (`steps`). Any party adds files to the case and to the steps it acts on, the party that writes
 * check-in reports to those reports, and the case's coordinator anywhere.
 *
 * Who acts on a step comes from the case's pathway (the step's actor, respondent or signatories,
 * filled by the case's parties) and from the step itself while it is open (a reassigned step names
 * its new assignee): the case's state holds only the current stage's steps, and a file on a step
 * stays readable to those who acted on it after the case moves on.
 */
import type { CaseView } from '../domain/case-view.js';
import type { OrganisationKind } from '../domain/organisation.js';
import { slotsUsed, type PathwayTemplate } from '../domain/pathway.js';
import { builtInTemplate } from '../domain/templates/index.js';
import type { Queryable } from '../infra/db.js';
import type { Caller } from './caller.js';
import { invalidInput, ProblemError } from './problem.js';

/** How far a party's reading of a case's files reaches, besides what its organisation uploaded. */
export type AttachmentReach = 'all' | 'case' | 'steps';

/**
 * The access table, by the reader's part in the case: `coordinator` is the case's own coordinating
 * organisation, every other party by its organisation's kind. The coordinator runs the whole case
 * and the sponsor group supports the household through all of it: everything. A national agency
 * decides on the household with the case's own documents (plans, pledges): those and its steps'. A
 * university or municipality needs only what belongs to the steps it acts on (its housing offer,
 * its admission) — not a family's pledges or receipts.
 */
export const ATTACHMENT_ACCESS = {
  coordinator: 'all',
  sponsor_group: 'all',
  national_agency: 'case',
  university: 'steps',
  municipality: 'steps',
} as const satisfies Record<OrganisationKind, AttachmentReach>;

export function attachmentReach(caller: Caller, coordinator: string | null): AttachmentReach {
  if (coordinator === caller.organisationId) return ATTACHMENT_ACCESS.coordinator;
  // A coordinating organisation that is not this case's coordinator acts only where it is named.
  if (caller.organisationKind === 'coordinator') return 'steps';
  return ATTACHMENT_ACCESS[caller.organisationKind];
}

/** The case's steps, in the pathway's order, with who acts on each, who writes its reports and which reports it has now. */
export interface CaseSteps {
  coordinator: string | null;
  steps: { gateId: string; actors: Set<string>; reportWriters: Set<string>; reports: number[] }[];
  /** Organisations a match step asks to take the case and that are none of its parties: they reach the files of the steps they act on (the match), no more. */
  candidates?: Set<string>;
}


export async function caseSteps(sql: Queryable, caseId: string, coordinator: string | null, state: CaseView | null): Promise<CaseSteps> {
  const [row] = await sql<{ pathwayId: string | null; template: PathwayTemplate | null }[]>`
    SELECT c.pathway_id AS "pathwayId", p.template FROM cases c LEFT JOIN programmes p ON p.id = c.programme_id WHERE c.id = ${caseId}`;
  const template = row?.template ?? (row?.pathwayId ? builtInTemplate(row.pathwayId) : undefined);
  const parties = state?.parties ?? {};
  const steps = (template?.stages ?? []).flatMap((stage) =>
    stage.gates.map((g) => {
      const named = slotsUsed(g).flatMap((slot) => (parties[slot] ? [parties[slot]] : []));
      const live = state?.gates.find((open) => open.id === g.id);
      const d = (live?.detail ?? {}) as { respondent?: string; signatories?: string[]; reports?: { index: number }[] };
      const now = live ? [live.assignee, ...live.waitingOn, ...(d.respondent ? [d.respondent] : []), ...(d.signatories ?? [])] : [];
      const writer = live?.assignee ?? named[0];
      return {
        gateId: g.id,
        actors: new Set([...named, ...now]),
        reportWriters: new Set(g.kind === 'checkins' && writer ? [writer] : []),
        reports: g.kind === 'checkins' ? (d.reports ?? []).map((r) => r.index) : [],
      };
    }),
  );
  const candidates = new Set(Object.values(state?.proposedTo ?? {}).filter((org) => !Object.values(parties).includes(org)));
  return { coordinator, steps, candidates };
}

/** Whether the caller may read a file placed on the case (`gateId` null) or on a step, uploaded by `organisationId`. */
export function mayReadAttachment(caller: Caller, c: CaseSteps, a: { gateId: string | null; organisationId: string }): boolean {
  if (a.organisationId === caller.organisationId) return true;
  const reach = c.candidates?.has(caller.organisationId) ? 'steps' : attachmentReach(caller, c.coordinator);
  if (reach === 'all') return true;
  if (a.gateId === null) return reach === 'case';
  return !!c.steps.find((s) => s.gateId === a.gateId)?.actors.has(caller.organisationId);
}

/** Refuses an upload to a step or report the case does not have, or that the caller does not act on or write. */
export function checkPlace(caller: Caller, c: CaseSteps, place: { gateId?: string; reportIndex?: number }): void {
  if (place.reportIndex !== undefined && place.gateId === undefined) throw invalidInput('gateId', 'a report is named by its step (gateId) and its index');
  if (place.gateId === undefined) {
    if (c.candidates?.has(caller.organisationId)) throw new ProblemError(403, 'Not your step', 'The case is proposed to your organisation: attach files to the match step until you take the case.');
    return;
  }
  const step = c.steps.find((s) => s.gateId === place.gateId);
  if (!step) throw invalidInput('gateId', `the case's pathway has no step "${place.gateId}"`);
  const coordinating = c.coordinator === caller.organisationId;
  if (place.reportIndex !== undefined) {
    if (!step.reports.includes(place.reportIndex)) throw invalidInput('reportIndex', `the step "${place.gateId}" has no check-in report ${place.reportIndex} now`);
    if (!coordinating && !step.reportWriters.has(caller.organisationId)) throw new ProblemError(403, 'Not your report', 'Only the party that writes these check-in reports and the coordinator attach files to them.');
    return;
  }
  if (!coordinating && !step.actors.has(caller.organisationId)) throw new ProblemError(403, 'Not your step', 'Attach files to the case, or to a step your organisation acts on.');
}

/** Where the caller may attach a file besides the case itself, in the pathway's order: its steps, and the reports it writes. */
export function attachablePlaces(caller: Caller, c: CaseSteps): { gateId: string; reportIndex?: number }[] {
  const coordinating = c.coordinator === caller.organisationId;
  return c.steps.flatMap((s) => {
    if (!coordinating && !s.actors.has(caller.organisationId)) return [];
    const reports = coordinating || s.reportWriters.has(caller.organisationId) ? s.reports : [];
    return [{ gateId: s.gateId }, ...reports.map((reportIndex) => ({ gateId: s.gateId, reportIndex }))];
  });
}
