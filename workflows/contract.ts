/**
 * The contract between workflows, worker and API: task queue, workflow ids, messages and state
 * types. Defined once here and imported by both sides; nothing here may touch Node or I/O.
 *
 * Every message into a workflow is an update (people's actions, and what a case and its
 * programme tell each other), never a signal: an update is answered, carries an id the workflow
 * remembers, and is refused before it enters history when it does not apply.
 */
import { defineSearchAttributeKey, type UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CaseAction } from '../domain/case-actions.js';
import type { Effects } from '../domain/case-effects.js';
import type { NewCase } from '../domain/case-lifecycle.js';
import type { CaseState } from '../domain/case-model.js';
import type { CaseView } from '../domain/case-view.js';
import type { CaseMessage, NoticeReply, ProgrammeNotice, ProgrammeReply } from '../domain/programme-link.js';
import type { NewProgramme, ProgrammeAction, ProgrammeState, ProgrammeView } from '../domain/programme-model.js';
import type { Refusal } from '../domain/refusal.js';

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

/** One update per action type, named as `names` says, answering `Answer`, taking the action but its `type`. */
type UpdatesFor<Answer, A extends { type: string }, N extends Record<A['type'], string>> = {
  [T in A['type']]: UpdateDefinition<Answer, [Omit<Extract<A, { type: T }>, 'type'>], N[T]>;
};

/** The update definitions for `names`, under the same keys and in their order. */
function defineUpdates<Answer, A extends { type: string }, N extends Record<A['type'], string>>(names: N): UpdatesFor<Answer, A, N> {
  // At run time a definition is only its name: the types above are what the compiler cannot see here.
  return Object.fromEntries(Object.entries<string>(names).map(([type, name]) => [type, defineUpdate(name)])) as unknown as UpdatesFor<Answer, A, N>;
}

export const caseStateQuery = defineQuery<CaseView>('caseState');
/**
 * Whether an action would be refused now, by the same rules as the update's validator, without
 * applying anything: the pages ask it before asking a person to confirm an action that cannot be
 * undone, so nobody confirms what will be refused. A query: nothing enters history.
 */
export const wouldRefuseQuery = defineQuery<Refusal | null, [CaseAction]>('wouldRefuse');

/**
 * The name each action on a case has on the wire. These names are fixed: running workflows and
 * recorded histories (test/histories/) know their updates by them — an action whose type is
 * renamed keeps its old name here. A new action of the domain is a type error until it has one.
 */
const caseUpdateNames = {
  decide: 'decide',
  complete: 'complete',
  offer_housing: 'offerHousing',
  decline_housing_request: 'declineHousingRequest',
  accept_offer: 'acceptOffer',
  decline_offer: 'declineOffer',
  publish_agreement: 'publishAgreement',
  sign: 'sign',
  request_changes: 'requestChanges',
  submit_checkin: 'submitCheckin',
  propose_match: 'proposeMatch',
  accept_match: 'acceptMatch',
  decline_match: 'declineMatch',
  nudge: 'nudge',
  extend: 'extend',
  reassign: 'reassign',
  hold: 'hold',
  resume: 'resume',
  withdraw: 'withdraw',
} as const satisfies Record<CaseAction['type'], string>;

/** One update per action on a case; each returns the case's new state or is refused with a reason. */
export const caseUpdates = defineUpdates<CaseView, CaseAction, typeof caseUpdateNames>(caseUpdateNames);

/** Programme → case: a pause or resume, or a place from the waiting list. */
export const programmeNoticeUpdate = defineUpdate<NoticeReply, [ProgrammeNotice]>('programmeNotice');

/**
 * A sponsor group's members or their checks changed (PostgreSQL holds who): the case reads the
 * group's requirements again at its steps that check that group. Idempotent by `rosterVersion`:
 * an older or repeated notice changes nothing.
 */
export const groupChangedUpdate = defineUpdate<{ accepted: boolean }, [{ organisationId: string; rosterVersion: number }]>('groupChanged');

export const programmeStateQuery = defineQuery<ProgrammeView>('programmeState');

export type ProgrammeActionInput<T extends ProgrammeAction['type']> = Omit<Extract<ProgrammeAction, { type: T }>, 'type'>;

/** The name each programme action has on the wire: fixed, like the cases' (see `caseUpdateNames`). */
const programmeUpdateNames = {
  publish_mou: 'publishMou',
  sign_mou: 'signMou',
  request_mou_changes: 'requestMouChanges',
  pause: 'pause',
  resume: 'resume',
  set_quota: 'setQuota',
  close: 'close',
} as const satisfies Record<ProgrammeAction['type'], string>;

/** One update per programme action. */
export const programmeUpdates = defineUpdates<ProgrammeView, ProgrammeAction, typeof programmeUpdateNames>(programmeUpdateNames);

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

/** A bulk action's workflow: one per bulk action, so a retried start finds the one already running. */
export const bulkActionWorkflowId = (bulkId: string): string => `bulk:${bulkId}`;

/** The coordinator's actions a bulk action takes over many cases. */
export const BULK_ACTIONS = ['nudge', 'extend', 'reassign', 'hold', 'resume'] as const;
export type BulkActionType = (typeof BULK_ACTIONS)[number];

/**
 * Why an item of a bulk action was not done, when it is not the case's own refusal:
 * `no-open-step` (nothing to nudge, extend or reassign), `organisation-kind-mismatch` (the step
 * waits on another kind of organisation than the one it would go to), `no-answer` (the case did
 * not answer, time after time: the action may still apply, once), `update-failed` (the case failed
 * the action for a reason other than a refusal).
 */
export const BULK_ITEM_CODES = ['no-open-step', 'organisation-kind-mismatch', 'no-answer', 'update-failed'] as const;
export type BulkItemCode = (typeof BULK_ITEM_CODES)[number];

/** Ids only: the bulk action's rows in PostgreSQL say what to do; `after` resumes a pass after continue-as-new. */
export interface BulkActionWorkflowInput {
  bulkId: string;
  after?: number;
}
