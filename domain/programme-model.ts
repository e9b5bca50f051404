/**
 * A programme: one pathway run under one MoU, with a quota of places. Its workflow owns the
 * quota (cases reserve, use and release places; a full programme waitlists) and can be paused —
 * an election, a change of government — so that every open case holds until it is resumed.
 * Its state is bounded: counts and what its decisions need, never a list of every case (the
 * waiting list itself is in PostgreSQL, in the order cases joined it).
 */
import type { AgreementDocument, AgreementState } from './agreement.js';
import type { ActorRef } from './case-actions.js';
import type { TimePolicy } from './pathway.js';
import type { ProgrammeReply } from './programme-link.js';
import type { TextRef } from './text-ref.js';

export type ProgrammeStatus = 'draft' | 'negotiating' | 'active' | 'paused' | 'closed';

export interface NewProgramme {
  programmeId: string;
  name: string;
  pathwayId: string;
  quota: number;
  coordinatorOrg: string;
  /** Organisations that must all sign the MoU before the programme is active. */
  mouSignatories: string[];
  /** Reminders to unsigned parties and escalation to the coordinator for the MoU. */
  mouTime: TimePolicy;
}

export interface ProgrammeState extends NewProgramme {
  status: ProgrammeStatus;
  createdAt: number;
  mou: AgreementState;
  /** When the current MoU version was published; reminders count from here. */
  mouPublishedAt?: number;
  mouRemindersSent: number;
  mouEscalationsSent: number;
  pause?: { since: number; reasonRef: TextRef };
  /** Places held until arrival, places used (arrived), and cases waiting for one. */
  places: { reserved: number; used: number; waitlisted: number };
  /** Cases that opened and have not closed: a programme closes only when none are left. */
  openCases: number;
  /** Grows with every pause and resume; every open case is told the newest one. */
  epoch: number;
  /** The newest epoch every open case has been told of (the fan-out finished). */
  toldEpoch: number;
  /** Places offered to waiting cases and not yet answered (they count as reserved meanwhile). */
  grant?: { round: number; places: number };
  grantRounds: number;
  /** Position of the next case to join the waiting list. */
  waitlistSeq: number;
  /** Ids of the newest people's actions applied: a repeated one is not applied twice. */
  recentActions: string[];
  /** The newest cases' messages and their answers, so a repeated one gets the same answer. */
  recentMessages: { id: string; reply: ProgrammeReply }[];
  closedReasonRef?: TextRef;
  seq: number;
  version: number;
}

export type ProgrammeAction =
  | { type: 'publish_mou'; actor: ActorRef; document: AgreementDocument }
  | { type: 'sign_mou'; actor: ActorRef; version: number }
  | { type: 'request_mou_changes'; actor: ActorRef; commentRef: TextRef }
  | { type: 'pause'; actor: ActorRef; reasonRef: TextRef }
  | { type: 'resume'; actor: ActorRef }
  | { type: 'set_quota'; actor: ActorRef; quota: number }
  | { type: 'close'; actor: ActorRef; reasonRef: TextRef };

export interface ProgrammeView {
  programmeId: string;
  name: string;
  pathwayId: string;
  status: ProgrammeStatus;
  paused: { since: string; reasonRef: TextRef } | null;
  quota: { total: number; used: number; reserved: number; free: number; waitlisted: number };
  mou: {
    version: number;
    document: AgreementDocument | null;
    signatories: string[];
    unsigned: string[];
    executedAt: string | null;
    dueAt: string | null;
    remindersSent: number;
    changeRequestCount: number;
    changeRequests: { organisationId: string; version: number; commentRef: TextRef; at: string }[];
  };
  openCases: number;
  /** Whether every open case has been told of the newest pause or resume. */
  casesTold: boolean;
  coordinatorOrg: string;
  version: number;
}
