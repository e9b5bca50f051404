/**
 * A programme: one pathway run under one MoU, with a quota of places. Its workflow owns the
 * quota (cases reserve, use and release places; a full programme waitlists) and can be paused —
 * an election, a change of government — so that every open case holds until it is resumed.
 */
import type { AgreementDocument, AgreementState } from './agreement.js';
import type { ActorRef } from './case-actions.js';
import type { TimePolicy } from './pathway.js';

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
  pause?: { since: number; reason: string };
  /** Cases holding a place until arrival, cases whose place is used (arrived), cases waiting. */
  reserved: string[];
  used: string[];
  waitlist: string[];
  /** Every case of the programme that is not closed: a pause reaches each of them. */
  openCases: string[];
  closedReason?: string;
  seq: number;
  version: number;
}

export type ProgrammeAction =
  | { type: 'publish_mou'; actor: ActorRef; document: AgreementDocument }
  | { type: 'sign_mou'; actor: ActorRef; version: number }
  | { type: 'request_mou_changes'; actor: ActorRef; comment: string }
  | { type: 'pause'; actor: ActorRef; reason: string }
  | { type: 'resume'; actor: ActorRef }
  | { type: 'set_quota'; actor: ActorRef; quota: number }
  | { type: 'close'; actor: ActorRef; reason: string };

export interface ProgrammeView {
  programmeId: string;
  name: string;
  pathwayId: string;
  status: ProgrammeStatus;
  paused: { since: string; reason: string } | null;
  quota: { total: number; used: number; reserved: number; free: number; waitlisted: number };
  mou: { version: number; document: AgreementDocument | null; signatories: string[]; unsigned: string[]; executedAt: string | null; dueAt: string | null; remindersSent: number };
  openCases: number;
  waitlist: string[];
  coordinatorOrg: string;
  version: number;
}
