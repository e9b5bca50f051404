/**
 * A case's state shaped for the lists: one row per open gate and organisation it waits on (the
 * inbox reads a party's rows, the board a coordinator's), whether the case is on hold, and the
 * step due first. Only a case that is moving has open gates on a list: a waitlisted or closed case
 * waits on nobody.
 */
import type { TodoCode } from '../domain/case-turn.js';
import { dueToMeet, type CaseView, type TurnView } from '../domain/case-view.js';

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
  /** The date the party whose turn it is must meet (the step's own when it is nobody's turn). */
  due_at: string;
  /** What that party is to do (null when nobody's turn), and what the words for it need. */
  todo: TodoCode | null;
  todo_params: Record<string, string | number>;
  reminders_sent: number;
  escalations_sent: number;
  on_hold: OnHold;
  /** Why a step that was done is open again (an expired outcome, a changed group), and since when. */
  reopened: 'expired' | 'group-changed' | null;
  reopened_at: string | null;
}

/** A paused programme holds every case in it; a coordinator's hold holds one. */
export function caseOnHold(view: CaseView): OnHold {
  if (view.programmePaused) return 'paused';
  return view.held ? 'held' : null;
}

/** The open gate due first (by the date its party must meet), which the lists show as the case's next step. */
export function nextStepOf(view: CaseView): { gateId: string; title: string; dueAt: string; todo: TodoCode | null } | null {
  if (view.status !== 'active') return null;
  const first = view.gates.filter((g) => g.status === 'open').sort((a, b) => dueToMeet(a).localeCompare(dueToMeet(b)))[0];
  return first ? { gateId: first.id, title: first.title, dueAt: dueToMeet(first), todo: first.turn?.todo ?? null } : null;
}

/** The instruction's parameters: the turn without what the row already holds. */
function todoParams(turn: TurnView | null): Record<string, string | number> {
  if (!turn) return {};
  const { todo: _todo, organisations: _organisations, dueAt: _dueAt, ...params } = turn;
  return params;
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
        due_at: dueToMeet(g),
        todo: g.turn?.todo ?? null,
        todo_params: todoParams(g.turn),
        reminders_sent: g.remindersSent,
        escalations_sent: g.escalationsSent,
        on_hold,
        reopened: g.reopened?.reason ?? null,
        reopened_at: g.reopened?.at ?? null,
      }));
    });
}
