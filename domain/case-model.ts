/**
 * The state of one case, as its workflow holds it: ids and non-personal facts only. Pure types
 * and constructors; the workflow, the API and the projection share them.
 */
import { unsigned, type AgreementState } from './agreement.js';
import type { PathwayTemplate } from './pathway.js';

/** Where the case is in its life. Holding (coordinator) and programme pause are tracked apart. */
export type CaseStatus = 'active' | 'waitlisted' | 'completed' | 'rejected' | 'withdrawn';
export const FINAL_STATUSES: readonly CaseStatus[] = ['completed', 'rejected', 'withdrawn'];

/** The case's place in the programme quota. */
export type PlaceStatus = 'not_needed_yet' | 'requested' | 'reserved' | 'used' | 'released';

interface GateCommon {
  id: string;
  title: string;
  /** The template's party slot that acts at this gate, and the organisation filling it now. */
  slot: string;
  assignee: string;
  openedAt: number;
  dueAt: number;
  remindersSent: number;
  escalationsSent: number;
  status: 'open' | 'done' | 'rejected';
  closedAt?: number;
}

export interface DecisionGateState extends GateCommon {
  kind: 'decision';
  decision?: { outcome: 'approved' | 'rejected'; reason?: string; by: string; at: number };
  infoRequests: { reason: string; by: string; at: number }[];
}

export interface TaskGateState extends GateCommon {
  kind: 'task';
  completion?: { by: string; note?: string; at: number };
}

/** A housing offer: facts only. The address lives in PostgreSQL under `offerId`. */
export interface HousingOffer {
  offerId: string;
  madeBy: string;
  rooms: number;
  accessible: boolean;
  availableFrom: string;
  validUntil: number;
  status: 'open' | 'accepted' | 'declined' | 'lapsed';
  reason?: string;
  expiryReminderSent: boolean;
  at: number;
}

export interface HousingGateState extends GateCommon {
  kind: 'housing';
  respondentSlot: string;
  respondent: string;
  offers: HousingOffer[];
  capacityDeclines: { organisationId: string; reason: string; at: number }[];
  respondentDeclines: number;
  declineEscalationsSent: number;
}

export interface AgreementGateState extends GateCommon {
  kind: 'agreement';
  agreement: AgreementState;
}

export interface CheckinReport {
  index: number;
  dueAt: number;
  submittedAt?: number;
  reportRef?: string;
  remindersSent: number;
  escalationsSent: number;
}

export interface CheckinsGateState extends GateCommon {
  kind: 'checkins';
  reports: CheckinReport[];
  endsAt: number;
}

export type GateState = DecisionGateState | TaskGateState | HousingGateState | AgreementGateState | CheckinsGateState;

export interface CaseState {
  caseId: string;
  reference: string;
  programmeId?: string;
  template: PathwayTemplate;
  /** Which organisation fills each of the template's party slots. */
  parties: Record<string, string>;
  status: CaseStatus;
  openedAt: number;
  stageIndex: number;
  stageEnteredAt: number;
  /** The gates of the current stage. */
  gates: GateState[];
  completedStages: { stageId: string; completedAt: number }[];
  hold?: { since: number; reason: string; by: string };
  programmePausedSince?: number;
  /** Since when the case has been held without a break, by a hold, a programme pause or both. */
  heldSince?: number;
  place: PlaceStatus;
  outcome?: { status: CaseStatus; reason: string; at: number };
  /** Counter for timeline events and notifications: their keys stay unique across runs. */
  seq: number;
  /** Grows with every change; the projection keeps only the newest. */
  version: number;
}

export const isFinal = (s: CaseState) => FINAL_STATUSES.includes(s.status);
export const isHeld = (s: CaseState) => s.hold !== undefined || s.programmePausedSince !== undefined;
export const currentStage = (s: CaseState) => s.template.stages[s.stageIndex];
export const gateTemplate = (s: CaseState, gateId: string) => currentStage(s)?.gates.find((g) => g.id === gateId);
export const coordinatorOrg = (s: CaseState): string => {
  const slot = s.template.parties.find((p) => p.kind === 'coordinator')!;
  return s.parties[slot.id]!;
};

/** The organisations a gate waits on right now. */
export function waitingOn(s: CaseState, gate: GateState, now: number): string[] {
  if (gate.status !== 'open') return [];
  switch (gate.kind) {
    case 'decision':
    case 'task':
      return [gate.assignee];
    case 'housing':
      return gate.offers.some((o) => o.status === 'open') ? [gate.respondent] : [gate.assignee];
    case 'agreement':
      return gate.agreement.version === 0 ? [coordinatorOrg(s)] : unsigned(gate.agreement);
    case 'checkins':
      return gate.reports.some((r) => r.submittedAt === undefined && r.dueAt <= now) ? [gate.assignee] : [];
  }
}

/** Past its due date with nobody having acted: coordinators should look. */
export function isStuck(gate: GateState, now: number): boolean {
  if (gate.status !== 'open') return false;
  return now > gate.dueAt;
}
