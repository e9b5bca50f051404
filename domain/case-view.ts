/**
 * What a case looks like from outside at a moment: returned by the workflow's query and by every
 * accepted update, projected to PostgreSQL, shown by the API and the pages.
 */
import { unsigned } from './agreement.js';
import { currentStage, isFinal, isHeld, isStuck, type CaseOutcome, type CaseState, type GateState } from './case-model.js';
import { nextWake } from './case-timers.js';
import type { TextRef } from './text-ref.js';
import { turnOf, type Todo } from './case-turn.js';

/** Whose turn it is at a step, to do what, by the one date they must meet. */
export type TurnView = Todo & { organisations: string[]; dueAt: string };

export interface GateView {
  id: string;
  kind: GateState['kind'];
  title: string;
  status: GateState['status'];
  waitingOn: string[];
  /** What is to be done now, by whom, by when; null when nobody's turn (a report not due yet). */
  turn: TurnView | null;
  assignee: string;
  openedAt: string;
  /** The step's own due date, on which reminders and escalations are counted. */
  dueAt: string;
  remindersSent: number;
  escalationsSent: number;
  stuck: boolean;
  daysOverdue: number;
  /** Kind-specific facts: offers, agreement version and signatures, check-in reports. */
  detail: Record<string, unknown>;
  /** Why a step that was done is open again: its outcome expired, or the group it checked changed. */
  reopened: { reason: 'expired' | 'group-changed'; at: string; times: number } | null;
}

/** The date a step must be acted on by: its turn's (an offer's answer: the day it lapses), else the step's own. */
export const dueToMeet = (g: Pick<GateView, 'turn' | 'dueAt'>): string => g.turn?.dueAt ?? g.dueAt;

export interface CaseView {
  caseId: string;
  reference: string;
  programmeId: string | null;
  pathway: { id: string; name: string; version: number };
  status: CaseState['status'];
  held: { since: string; reasonRef: TextRef } | null;
  programmePaused: boolean;
  /** Since when the programme's pause holds this case (the case applied it then). */
  programmePausedSince: string | null;
  place: CaseState['place'];
  stage: { id: string; title: string; index: number; of: number; enteredAt: string } | null;
  gates: GateView[];
  waitingOn: string[];
  stuck: boolean;
  nextDueAt: string | null;
  nextStep: string;
  parties: Record<string, string>;
  completedStages: { stageId: string; completedAt: string }[];
  outcome: (Omit<CaseOutcome, 'at'> & { at: string }) | null;
  /** When the workflow will next look by itself (a timer); past it, with no newer state, the case is stalled. */
  nextWakeAt: string | null;
  /** Messages to the programme not yet answered. */
  programmeMessagesPending: number;
  /** Outcomes of done steps the case still relies on: when each expires, until which stage it is needed. */
  relied: ReliedView[];
  /** Candidates a match step asks now, by the slot they would fill: they may read the case while asked. */
  proposedTo: Record<string, string>;
  version: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 86_400_000;

function detail(g: GateState): Record<string, unknown> {
  switch (g.kind) {
    case 'decision':
      return {
        decision: g.decision ? { ...g.decision, at: iso(g.decision.at) } : null,
        infoRequests: g.infoRequests,
        lastInfoRequest: g.lastInfoRequest ? { ...g.lastInfoRequest, at: iso(g.lastInfoRequest.at) } : null,
      };
    case 'task':
      return { completion: g.completion ? { ...g.completion, at: iso(g.completion.at) } : null };
    case 'housing':
      return {
        respondent: g.respondent,
        offers: g.offers.map((o) => ({ offerId: o.offerId, rooms: o.rooms, accessible: o.accessible, availableFrom: o.availableFrom, validUntil: iso(o.validUntil), status: o.status, reasonRef: o.reasonRef ?? null })),
        offersMade: g.offersMade,
        capacityDeclines: g.capacityDeclines,
        lastCapacityDecline: g.lastCapacityDecline ? { ...g.lastCapacityDecline, at: iso(g.lastCapacityDecline.at) } : null,
        respondentDeclines: g.respondentDeclines,
      };
    case 'agreement':
      return {
        version: g.agreement.version,
        document: g.agreement.document ?? null,
        signatories: g.agreement.signatories,
        unsigned: g.agreement.version === 0 ? g.agreement.signatories : unsigned(g.agreement),
        executedAt: g.agreement.executedAt ? iso(g.agreement.executedAt) : null,
        changeRequestCount: g.agreement.changeRequestCount,
        changeRequests: g.agreement.changeRequests.map((c) => ({ organisationId: c.organisationId, version: c.version, commentRef: c.commentRef, at: iso(c.at) })),
      };
    case 'checkins':
      // `reportRef`: the id of the sent report's text, kept in PostgreSQL (read by those entitled).
      return { endsAt: iso(g.endsAt), reports: g.reports.map((r) => ({ index: r.index, dueAt: iso(r.dueAt), submittedAt: r.submittedAt ? iso(r.submittedAt) : null, reportRef: r.reportRef ?? null })) };
    case 'match':
      return {
        fills: g.fillsSlot,
        shortlist: g.shortlist,
        proposals: g.proposals.map((p) => ({ organisationId: p.organisationId, proposedAt: iso(p.proposedAt), answerBy: iso(p.answerBy), status: p.status, reasonRef: p.reasonRef ?? null, answeredAt: p.answeredAt ? iso(p.answeredAt) : null })),
        proposalsMade: g.proposalsMade,
        declines: g.declines,
      };
    case 'group-check':
      // Counts only: who the members are stays with the group, in PostgreSQL.
      return { evaluation: g.evaluation ? { ...g.evaluation, at: iso(g.evaluation.at) } : null };
  }
}

/** Outcomes the case relies on, and until when: what a coordinator needs to see coming. */
export interface ReliedView {
  gateId: string;
  neededUntil: string;
  expiresAt: string | null;
}

function gateView(s: CaseState, g: GateState, now: number): GateView {
  const stuck = !isHeld(s) && isStuck(g, now);
  const turn = turnOf(s, g, now);
  return {
    id: g.id,
    kind: g.kind,
    title: g.title,
    status: g.status,
    waitingOn: turn?.organisations ?? [],
    turn: turn ? { ...turn, dueAt: iso(turn.dueAt) } : null,
    assignee: g.assignee,
    openedAt: iso(g.openedAt),
    dueAt: iso(g.dueAt),
    remindersSent: g.remindersSent,
    escalationsSent: g.escalationsSent,
    stuck,
    daysOverdue: stuck ? Math.floor((now - g.dueAt) / DAY) : 0,
    detail: detail(g),
    reopened: g.reopened ? { ...g.reopened, at: iso(g.reopened.at) } : null,
  };
}

function nextStep(s: CaseState, gates: GateView[]): string {
  if (isFinal(s)) return `closed: ${s.status}`;
  if (s.programmePausedSince !== undefined) return 'held: the programme is paused';
  if (s.hold) return 'held by the coordinator';
  if (s.status === 'waitlisted') return 'waiting for a place in the programme';
  const open = gates.filter((g) => g.status === 'open');
  const next = s.template.stages[s.stageIndex + 1];
  if (open.length === 0) return next ? `next: ${next.title}` : 'closing';
  const first = [...open].sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0]!;
  return `${first.title} — due ${first.dueAt.slice(0, 10)}${next ? `; then ${next.title}` : ''}`;
}

export function caseView(s: CaseState, now: number): CaseView {
  const stage = currentStage(s);
  const gates = s.gates.map((g) => gateView(s, g, now));
  const open = gates.filter((g) => g.status === 'open');
  const wake = nextWake(s);
  return {
    caseId: s.caseId,
    reference: s.reference,
    programmeId: s.programmeId ?? null,
    pathway: { id: s.template.id, name: s.template.name, version: s.template.version },
    status: s.status,
    held: s.hold ? { since: iso(s.hold.since), reasonRef: s.hold.reasonRef } : null,
    programmePaused: s.programmePausedSince !== undefined,
    programmePausedSince: s.programmePausedSince === undefined ? null : iso(s.programmePausedSince),
    place: s.place,
    stage: stage && !isFinal(s) ? { id: stage.id, title: stage.title, index: s.stageIndex, of: s.template.stages.length, enteredAt: iso(s.stageEnteredAt) } : null,
    gates,
    waitingOn: [...new Set(open.flatMap((g) => g.waitingOn))],
    stuck: open.some((g) => g.stuck),
    nextDueAt: open.length ? open.map(dueToMeet).sort()[0]! : null,
    nextStep: nextStep(s, gates),
    parties: { ...s.parties },
    completedStages: s.completedStages.map((c) => ({ stageId: c.stageId, completedAt: iso(c.completedAt) })),
    outcome: s.outcome ? { ...s.outcome, at: iso(s.outcome.at) } : null,
    nextWakeAt: wake === undefined ? null : iso(wake),
    programmeMessagesPending: s.outbox.length,
    relied: (s.relied ?? []).map((r) => ({ gateId: r.gateId, neededUntil: s.template.stages[r.neededUntil]?.id ?? '', expiresAt: r.expiresAt === undefined ? null : iso(r.expiresAt) })),
    proposedTo: Object.fromEntries(
      s.gates.flatMap((g) => (g.kind === 'match' && g.status === 'open' ? g.proposals.filter((p) => p.status === 'open').map((p) => [g.fillsSlot, p.organisationId]) : [])),
    ),
    version: s.version,
  };
}
