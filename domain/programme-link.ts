/**
 * What a case and its programme tell each other. Both directions are Temporal updates sent by
 * activities (never signals, never from inside a workflow task), so every message is answered,
 * retried until it is, and applied once: each carries an id that the receiver remembers.
 */
import type { ProgrammeStatus } from './programme-model.js';

/** A case tells its programme that it opened or closed, or asks for, gives back or uses a place. */
export type CaseMessage =
  | { kind: 'opened' }
  | { kind: 'request_place' }
  /** `held` is what the case held until now: a reserved place, or its turn on the waiting list. */
  | { kind: 'release_place'; held: 'reserved' | 'requested' }
  | { kind: 'use_place' }
  | { kind: 'closed' };

/** A message waiting in the case's outbox. Each kind happens at most once in a case's life, so the id is the case id and the kind. */
export interface OutgoingMessage {
  id: string;
  message: CaseMessage;
}

export const messageId = (caseId: string, message: CaseMessage) => `case:${caseId}:${message.kind}`;

/** The programme's answer to every message: whether it took it, and its pause state as of now. */
export interface ProgrammeReply {
  accepted: boolean;
  /**
   * Why not, when not accepted (a programme that is closed takes no new case). Words, not a
   * `Refusal`: replies are recorded in both workflows' histories and kept in a refused case's
   * outcome, so their shape stays as running cases know it.
   */
  refusal?: string;
  status: ProgrammeStatus;
  /** Grows with every pause and resume; a case applies only a newer one. */
  epoch: number;
  paused: boolean;
  /** For `request_place`: a place now, or a turn on the waiting list. */
  place?: 'reserved' | 'waitlisted';
}

/** A programme tells its cases of a pause or resume, or offers a waiting case its place. */
export type ProgrammeNotice = { kind: 'status'; epoch: number; paused: boolean } | { kind: 'place_granted'; round: number };

/** A case's answer to a notice: whether it took it (a place offered to a case that left is refused). */
export interface NoticeReply {
  accepted: boolean;
}

export const noticeId = (programmeId: string, caseId: string, notice: ProgrammeNotice) =>
  notice.kind === 'status' ? `programme:${programmeId}:status:${notice.epoch}:${caseId}` : `programme:${programmeId}:grant:${notice.round}:${caseId}`;
