/**
 * The state of one case, as its workflow holds it: ids and non-personal facts only (free text is
 * referred to by id), and bounded however many actions the case sees. Pure types and
 * constructors; the workflow, the API and the projection share them.
 */
import type { AgreementState } from './agreement.js';
import type { PathwayTemplate } from './pathway.js';
import type { OutgoingMessage } from './programme-link.js';
import type { TextRef } from './text-ref.js';

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
  /** When a coordinator set `dueAt` explicitly: a hold that ends later does not move it. */
  dueSetAt?: number;
  remindersSent: number;
  escalationsSent: number;
  status: 'open' | 'done' | 'rejected';
  closedAt?: number;
}

export interface DecisionGateState extends GateCommon {
  kind: 'decision';
  decision?: { outcome: 'approved' | 'rejected'; reasonRef?: TextRef; by: string; at: number };
  infoRequests: number;
  lastInfoRequest?: { reasonRef?: TextRef; by: string; at: number };
}

export interface TaskGateState extends GateCommon {
  kind: 'task';
  completion?: { by: string; noteRef?: TextRef; at: number };
}

/** A housing offer: facts only. The address lives in PostgreSQL under `offerId`. */
export interface HousingOffer {
  offerId: string;
  madeBy: string;
  rooms: number;
  accessible: boolean;
  availableFrom: string;
  /** As the municipality gave it: a hold of the case does not move it. */
  validUntil: number;
  status: 'open' | 'accepted' | 'declined' | 'lapsed';
  reasonRef?: TextRef;
  expiryReminderSent: boolean;
  at: number;
}

/** How many past offers a housing gate keeps (the timeline has every one). */
export const KEPT_OFFERS = 5;

export interface HousingGateState extends GateCommon {
  kind: 'housing';
  respondentSlot: string;
  respondent: string;
  /** The open offer, if any, and the newest few answered or lapsed ones. */
  offers: HousingOffer[];
  offersMade: number;
  capacityDeclines: number;
  lastCapacityDecline?: { organisationId: string; reasonRef: TextRef; at: number };
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

/** Why a case ended: a code the pages put into words, and who ended it with what they wrote. */
export interface CaseOutcome {
  status: CaseStatus;
  code: 'completed' | 'rejected' | 'withdrawn' | 'programme-refused';
  by: string;
  at: number;
  gateId?: string;
  textRef?: TextRef;
  /** For `programme-refused`: the programme's (non-personal) reason. */
  detail?: string;
}

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
  /** The newest stages completed (a divert can revisit stages, so this is bounded). */
  completedStages: { stageId: string; completedAt: number }[];
  hold?: { since: number; reasonRef: TextRef; by: string };
  programmePausedSince?: number;
  /** The programme's newest pause/resume this case has applied. */
  programmeEpoch: number;
  /** Since when the case has been held without a break, by a hold, a programme pause or both. */
  heldSince?: number;
  place: PlaceStatus;
  /** The id of the programme's offer this case accepted its place from (answers a repeated offer). */
  placeGrantedBy?: string;
  /** Messages to the programme not yet answered, oldest first; sent one at a time. */
  outbox: OutgoingMessage[];
  outcome?: CaseOutcome;
  /** Ids of the newest updates applied: a repeated one (e.g. after continue-as-new) is not applied twice. */
  recentUpdates: string[];
  /** Counter for timeline events and notifications: their keys stay unique across runs. */
  seq: number;
  /** Grows with every change; the projection keeps only the newest. */
  version: number;
}

/** How many update ids a case or programme remembers. */
export const REMEMBERED_UPDATES = 200;
export const KEPT_COMPLETED_STAGES = 40;

export const isFinal = (s: CaseState) => FINAL_STATUSES.includes(s.status);
export const isHeld = (s: CaseState) => s.hold !== undefined || s.programmePausedSince !== undefined;
export const currentStage = (s: CaseState) => s.template.stages[s.stageIndex];
export const gateTemplate = (s: CaseState, gateId: string) => currentStage(s)?.gates.find((g) => g.id === gateId);
export const coordinatorOrg = (s: CaseState): string => {
  const slot = s.template.parties.find((p) => p.kind === 'coordinator')!;
  return s.parties[slot.id]!;
};

/** Past its due date with nobody having acted: coordinators should look. */
export function isStuck(gate: GateState, now: number): boolean {
  if (gate.status !== 'open') return false;
  return now > gate.dueAt;
}
