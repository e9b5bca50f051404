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
  /**
   * Why a step that was done opened again: its outcome expired (a consent past its validity) or
   * the group it checked changed. Absent on a step opening for the first time.
   */
  reopened?: { reason: 'expired' | 'group-changed'; at: number; times: number };
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

/** One candidate asked to take the case: facts only (the reason of a decline stays in PostgreSQL). */
export interface MatchProposal {
  organisationId: string;
  proposedAt: number;
  answerBy: number;
  status: 'open' | 'accepted' | 'declined' | 'lapsed';
  reasonRef?: TextRef;
  reminderSent: boolean;
  answeredAt?: number;
}

/** How many past proposals a match step keeps (the timeline has every one). */
export const KEPT_PROPOSALS = 10;

export interface MatchGateState extends GateCommon {
  kind: 'match';
  /** The party slot the accepted candidate fills. */
  fillsSlot: string;
  /** The candidates still to be asked, in the coordinator's order (the one asked now is not in it). */
  shortlist: string[];
  /** The open proposal, if any, and the newest answered or lapsed ones. */
  proposals: MatchProposal[];
  proposalsMade: number;
  declines: number;
}

/** A group's requirements as last read from PostgreSQL: counts only, never who. */
export interface GroupEvaluation {
  /** The group's roster version this was read at (grows with every change of members or checks). */
  rosterVersion: number;
  members: number;
  /** Per check: how many members lack it (every-member checks) or whether nobody has it (some-member: 1). */
  missing: { check: string; members: number }[];
  at: number;
}

export interface GroupCheckGateState extends GateCommon {
  kind: 'group-check';
  /** The newest roster version the case heard of; read again when newer than `evaluation`'s. */
  rosterVersion: number;
  evaluation?: GroupEvaluation;
  /** The group was told what it lacks (once per opening; later readings change only the counts). */
  told?: boolean;
}

export type GateState = DecisionGateState | TaskGateState | HousingGateState | AgreementGateState | CheckinsGateState | MatchGateState | GroupCheckGateState;

/**
 * An outcome the case still relies on after its stage: until the stage `neededUntil` completes,
 * it may expire (`expiresAt`) or, for a group's requirements, be undone by a change of the group
 * (`group`); either opens its step again.
 */
export interface ReliedOutcome {
  gateId: string;
  /** Index of the stage whose completion ends the need. */
  neededUntil: number;
  expiresAt?: number;
  /** The group whose requirements the step checked, the newest roster version told and the one read. */
  group?: string;
  rosterVersion?: number;
  readVersion?: number;
}

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
  /** Outcomes of done steps the case still relies on (absent in cases begun before there were any). */
  relied?: ReliedOutcome[];
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
/** A step's template, in any stage (step ids are unique in a pathway): a reopened step may be of an earlier stage. */
export const gateTemplate = (s: CaseState, gateId: string) => s.template.stages.flatMap((st) => st.gates).find((g) => g.id === gateId);
export const coordinatorOrg = (s: CaseState): string => {
  const slot = s.template.parties.find((p) => p.kind === 'coordinator')!;
  return s.parties[slot.id]!;
};

/** Past its due date with nobody having acted: coordinators should look. */
export function isStuck(gate: GateState, now: number): boolean {
  if (gate.status !== 'open') return false;
  return now > gate.dueAt;
}
