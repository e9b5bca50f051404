/**
 * A case's state shaped for the lists: one row per open gate and organisation it waits on (the
 * inbox reads a party's rows, the board a coordinator's), whether the case is on hold, and the
 * step due first. Only a case that is moving has open gates on a list: a waitlisted or closed case
 * waits on nobody.
 */
import type { CaseView } from '../domain/case-view.js';

export type OnHold = 'held' | 'paused' | null;

export interface OpenGateRow {
  case_id: string;
  gate_id: string;
  waiting_on: string | null;
  first_party: boolean;
  all_waiting_on: string[];
  gate_kind: string;
  title: string;
  reference: string;
  coordinator_organisation_id: string | null;
  programme_id: string | null;
  pathway_id: string;
  pathway_name: string;
  opened_at: string;
  due_at: string;
  reminders_sent: number;
  escalations_sent: number;
  on_hold: OnHold;
}

/** A paused programme holds every case in it; a coordinator's hold holds one. */
export function caseOnHold(view: CaseView): OnHold {
  if (view.programmePaused) return 'paused';
  return view.held ? 'held' : null;
}

/** The open gate due first, which the lists show as the case's next step. */
export function nextStepOf(view: CaseView): { gateId: string; title: string; dueAt: string } | null {
  if (view.status !== 'active') return null;
  const first = view.gates.filter((g) => g.status === 'open').sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
  return first ? { gateId: first.id, title: first.title, dueAt: first.dueAt } : null;
}

export function openGateRows(view: CaseView, coordinator: string | null): OpenGateRow[] {
  if (view.status !== 'active') return [];
  const on_hold = caseOnHold(view);
  return view.gates
    .filter((g) => g.status === 'open')
    .flatMap((g) => {
      const parties = [...new Set(g.waitingOn)];
      return (parties.length ? parties : [null]).map((waiting_on, i) => ({
        case_id: view.caseId,
        gate_id: g.id,
        waiting_on,
        first_party: i === 0,
        all_waiting_on: parties,
        gate_kind: g.kind,
        title: g.title,
        reference: view.reference,
        coordinator_organisation_id: coordinator,
        programme_id: view.programmeId,
        pathway_id: view.pathway.id,
        pathway_name: view.pathway.name,
        opened_at: g.openedAt,
        due_at: g.dueAt,
        reminders_sent: g.remindersSent,
        escalations_sent: g.escalationsSent,
        on_hold,
      }));
    });
}
