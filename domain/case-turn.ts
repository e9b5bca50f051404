/**
 * Whose turn it is at an open step, to do what, by when: the one answer the inbox, the board, the
 * case page, the reminders and the API all give. Every open task is someone's visible turn, with
 * one deadline — the one that person must meet (an offer's answer is due when the offer lapses,
 * not when the housing step is due).
 */
import { unsigned } from './agreement.js';
import { coordinatorOrg, gateTemplate, type CaseState, type GateState, type HousingGateState } from './case-model.js';

/** What the party whose turn it is has to do, named as an instruction, with what the words need. */
export type Todo =
  /** `text`: the template's instruction for this step, when it has one. */
  | { todo: 'decide'; text?: string }
  | { todo: 'complete'; text?: string }
  | { todo: 'make-offer' }
  | { todo: 'answer-offer' }
  /** The municipality said it has no room: the coordinator gives the step to another one. */
  | { todo: 'choose-another'; declinedBy: string }
  | { todo: 'publish-agreement' }
  | { todo: 'sign-agreement'; version: number }
  | { todo: 'send-report'; report: number; of: number }
  /** The coordinator proposes the case to candidates; `declines`: how many said no (or did not answer) so far. */
  | { todo: 'propose-match'; declines: number }
  /** The candidate proposed to takes the case or declines it. */
  | { todo: 'answer-match' }
  /** The sponsor group completes what its members lack: `missing`, summed over the checks. */
  | { todo: 'meet-group-requirements'; missing: number };

export type TodoCode = Todo['todo'];
export const TODO_CODES = [
  'decide',
  'complete',
  'make-offer',
  'answer-offer',
  'choose-another',
  'publish-agreement',
  'sign-agreement',
  'send-report',
  'propose-match',
  'answer-match',
  'meet-group-requirements',
] as const satisfies readonly TodoCode[];

export type Turn = Todo & {
  /** The organisations whose turn it is (several sign one agreement). */
  organisations: string[];
  /** The one date they must act by. */
  dueAt: number;
};

/**
 * The municipality declined the request for lack of room and has not offered since: nothing more
 * will come from it, so the step is the coordinator's until it is given to another.
 */
export function declinedForCapacity(gate: HousingGateState): boolean {
  const decline = gate.lastCapacityDecline;
  if (!decline || decline.organisationId !== gate.assignee) return false;
  return !gate.offers.some((o) => o.madeBy === gate.assignee && o.at > decline.at);
}

function instruction(s: CaseState, gateId: string): string | undefined {
  const template = gateTemplate(s, gateId);
  return template && (template.kind === 'decision' || template.kind === 'task') ? template.todo : undefined;
}

/** Whose turn it is at `gate` at `now`; undefined when nobody's (closed, or a report not due yet). */
export function turnOf(s: CaseState, gate: GateState, now: number): Turn | undefined {
  if (gate.status !== 'open') return undefined;
  const at = (organisations: string[], todo: Todo, dueAt = gate.dueAt): Turn => ({ ...todo, organisations, dueAt });
  switch (gate.kind) {
    case 'decision':
    case 'task': {
      const text = instruction(s, gate.id);
      return at([gate.assignee], { todo: gate.kind === 'decision' ? 'decide' : 'complete', ...(text ? { text } : {}) });
    }
    case 'housing': {
      const open = gate.offers.find((o) => o.status === 'open');
      if (open) return at([gate.respondent], { todo: 'answer-offer' }, open.validUntil);
      if (declinedForCapacity(gate)) return at([coordinatorOrg(s)], { todo: 'choose-another', declinedBy: gate.assignee });
      return at([gate.assignee], { todo: 'make-offer' });
    }
    case 'agreement':
      if (gate.agreement.version === 0) return at([coordinatorOrg(s)], { todo: 'publish-agreement' });
      return at(unsigned(gate.agreement), { todo: 'sign-agreement', version: gate.agreement.version });
    case 'checkins': {
      // A report is the sponsor's turn from its due date (the first reminder), until the gate's
      // due date, which is that report's deadline; before, it may be sent early but waits on nobody.
      const next = gate.reports.find((r) => r.submittedAt === undefined);
      if (!next || next.dueAt > now) return undefined;
      return at([gate.assignee], { todo: 'send-report', report: next.index + 1, of: gate.reports.length });
    }
    case 'match': {
      const open = gate.proposals.find((p) => p.status === 'open');
      if (open) return at([open.organisationId], { todo: 'answer-match' }, open.answerBy);
      return at([gate.assignee], { todo: 'propose-match', declines: gate.proposals.filter((p) => p.status === 'declined' || p.status === 'lapsed').length });
    }
    case 'group-check':
      // Until the group is first read, nobody is asked for anything (it may well be met).
      if (!gate.evaluation) return undefined;
      return at([gate.assignee], { todo: 'meet-group-requirements', missing: gate.evaluation.missing.reduce((n, m) => n + m.members, 0) });
  }
}

/** The organisations a gate waits on right now. */
export function waitingOn(s: CaseState, gate: GateState, now: number): string[] {
  return turnOf(s, gate, now)?.organisations ?? [];
}
