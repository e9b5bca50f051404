/**
 * The contract between workflows, worker and API: task queue, workflow ids, messages and state
 * types. Defined once here and imported by both sides; nothing here may touch Node or I/O.
 *
 * Every message into a workflow is an update (people's actions, and what a case and its
 * programme tell each other), never a signal: an update is answered, carries an id the workflow
 * remembers, and is refused before it enters history when it does not apply.
 */
import { defineSearchAttributeKey } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CaseAction } from '../domain/case-actions.js';
import type { Effects } from '../domain/case-effects.js';
import type { NewCase } from '../domain/case-lifecycle.js';
import type { CaseState } from '../domain/case-model.js';
import type { CaseView } from '../domain/case-view.js';
import type { CaseMessage, NoticeReply, ProgrammeNotice, ProgrammeReply } from '../domain/programme-link.js';
import type { NewProgramme, ProgrammeAction, ProgrammeState, ProgrammeView } from '../domain/programme-model.js';

/** The task queue cases (their workflows and activities) run on. */
export const TASK_QUEUE = 'saferoutes';

/**
 * Programmes run on a queue of their own beside their cases' queue. Every case talks to its
 * programme, so a programme must never wait behind its cases: when thousands of cases are opened
 * at once, their first tasks fill the cases' queue, and a programme's task queued behind them (and
 * its projection behind their activities) stopped the programme for as long — while each of those
 * cases waited on it. The worker polls both (worker/worker.ts).
 */
export const programmeTaskQueue = (caseQueue: string): string => `${caseQueue}-programmes`;

export const caseWorkflowId = (caseId: string): string => `case:${caseId}`;
export const programmeWorkflowId = (programmeId: string): string => `programme:${programmeId}`;

/**
 * Workflow input: ids and non-personal facts only. `state` resumes a run after continue-as-new,
 * with `pending`: what the run before changed but had not yet written to PostgreSQL.
 */
export interface CaseWorkflowInput {
  case: NewCase;
  state?: CaseState;
  pending?: Effects;
  /** Continue-as-new past this many history events (the server may suggest it sooner). */
  maxHistoryEvents?: number;
}

export interface ProgrammeWorkflowInput {
  programme: NewProgramme;
  state?: ProgrammeState;
  pending?: Effects;
  maxHistoryEvents?: number;
}

/** The input of the update for one action: the action without its `type`. */
export type ActionInput<T extends CaseAction['type']> = Omit<Extract<CaseAction, { type: T }>, 'type'>;

export const caseStateQuery = defineQuery<CaseView>('caseState');

/** One update per action on a case; each returns the case's new state or is refused with a reason. */
export const caseUpdates = {
  decide: defineUpdate<CaseView, [ActionInput<'decide'>]>('decide'),
  complete: defineUpdate<CaseView, [ActionInput<'complete'>]>('complete'),
  offer_housing: defineUpdate<CaseView, [ActionInput<'offer_housing'>]>('offerHousing'),
  decline_housing_request: defineUpdate<CaseView, [ActionInput<'decline_housing_request'>]>('declineHousingRequest'),
  accept_offer: defineUpdate<CaseView, [ActionInput<'accept_offer'>]>('acceptOffer'),
  decline_offer: defineUpdate<CaseView, [ActionInput<'decline_offer'>]>('declineOffer'),
  publish_agreement: defineUpdate<CaseView, [ActionInput<'publish_agreement'>]>('publishAgreement'),
  sign: defineUpdate<CaseView, [ActionInput<'sign'>]>('sign'),
  request_changes: defineUpdate<CaseView, [ActionInput<'request_changes'>]>('requestChanges'),
  submit_checkin: defineUpdate<CaseView, [ActionInput<'submit_checkin'>]>('submitCheckin'),
  nudge: defineUpdate<CaseView, [ActionInput<'nudge'>]>('nudge'),
  extend: defineUpdate<CaseView, [ActionInput<'extend'>]>('extend'),
  reassign: defineUpdate<CaseView, [ActionInput<'reassign'>]>('reassign'),
  hold: defineUpdate<CaseView, [ActionInput<'hold'>]>('hold'),
  resume: defineUpdate<CaseView, [ActionInput<'resume'>]>('resume'),
  withdraw: defineUpdate<CaseView, [ActionInput<'withdraw'>]>('withdraw'),
} satisfies { [T in CaseAction['type']]: unknown };

/** Programme → case: a pause or resume, or a place from the waiting list. */
export const programmeNoticeUpdate = defineUpdate<NoticeReply, [ProgrammeNotice]>('programmeNotice');

export const programmeStateQuery = defineQuery<ProgrammeView>('programmeState');

export type ProgrammeActionInput<T extends ProgrammeAction['type']> = Omit<Extract<ProgrammeAction, { type: T }>, 'type'>;

/** One update per programme action. */
export const programmeUpdates = {
  publish_mou: defineUpdate<ProgrammeView, [ProgrammeActionInput<'publish_mou'>]>('publishMou'),
  sign_mou: defineUpdate<ProgrammeView, [ProgrammeActionInput<'sign_mou'>]>('signMou'),
  request_mou_changes: defineUpdate<ProgrammeView, [ProgrammeActionInput<'request_mou_changes'>]>('requestMouChanges'),
  pause: defineUpdate<ProgrammeView, [ProgrammeActionInput<'pause'>]>('pause'),
  resume: defineUpdate<ProgrammeView, [ProgrammeActionInput<'resume'>]>('resume'),
  set_quota: defineUpdate<ProgrammeView, [ProgrammeActionInput<'set_quota'>]>('setQuota'),
  close: defineUpdate<ProgrammeView, [ProgrammeActionInput<'close'>]>('close'),
} satisfies { [T in ProgrammeAction['type']]: unknown };

/** Case → programme: it opened or closed, or asks for / gives back / uses a place. */
export const caseMessageUpdate = defineUpdate<ProgrammeReply, [{ caseId: string; message: CaseMessage }]>('caseMessage');

/** Search attributes operators filter on in the Temporal Web UI. */
export const searchAttributes = {
  stage: defineSearchAttributeKey('Stage', 'KEYWORD'),
  waitingOn: defineSearchAttributeKey('WaitingOn', 'KEYWORD_LIST'),
  stuck: defineSearchAttributeKey('Stuck', 'BOOL'),
  programmeId: defineSearchAttributeKey('ProgrammeId', 'KEYWORD'),
} as const;
/** Every one of them, for the servers that must register them (the dev server, the worker at start). */
export const searchAttributeKeys = Object.values(searchAttributes);
