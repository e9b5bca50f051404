/**
 * Why an action is refused, as a code and what it concerns — never a sentence. The rules return
 * one; the doors put it into words: the API in English (refusal-text.ts, the `detail` callers
 * have always had), the pages in the reader's language with the titles of steps and stages.
 * Plain JSON (ids, ISO instants, numbers), so it travels in a Temporal failure's details.
 */
import type { CaseAction, GateAction } from './case-actions.js';
import type { CaseStatus, GateState } from './case-model.js';
import type { BatchEvent } from './pathway.js';
import type { ProgrammeAction, ProgrammeStatus } from './programme-model.js';

/** An instant as `Date.prototype.toISOString` writes it. */
type Instant = string;

/** The case actions only the case's coordinator may take. */
export type CaseCoordinatorAction = Extract<CaseAction['type'], 'hold' | 'resume' | 'withdraw' | 'nudge' | 'extend' | 'reassign' | 'publish_agreement' | 'complete'>;
/** The programme actions only the programme's coordinator may take. */
export type ProgrammeCoordinatorAction = Extract<ProgrammeAction['type'], 'publish_mou' | 'pause' | 'resume' | 'set_quota' | 'close'>;
/** Actions that need a reason (or a comment) written with them; `decide` when it rejects. */
export type ReasonedAction =
  | Extract<CaseAction['type'], 'hold' | 'withdraw' | 'extend' | 'reassign' | 'decide' | 'decline_housing_request' | 'decline_offer' | 'request_changes' | 'decline_match'>
  | Extract<ProgrammeAction['type'], 'request_mou_changes' | 'pause' | 'close'>;

export type Refusal =
  // The case as a whole
  | { code: 'case-final'; status: Extract<CaseStatus, 'completed' | 'rejected' | 'withdrawn'> }
  /** Its workflow has closed: nothing hears the action any more (said by the use case, not the rules). */
  | { code: 'case-closed' }
  | { code: 'case-on-hold'; since: Instant }
  | { code: 'case-already-on-hold'; since: Instant }
  | { code: 'case-not-on-hold' }
  | { code: 'case-held-by-programme' }
  | { code: 'case-waitlisted' }
  | { code: 'programme-paused'; since: Instant }
  | { code: 'coordinator-only'; action: CaseCoordinatorAction }
  | { code: 'reason-needed'; action: ReasonedAction }
  // Gates (steps)
  | { code: 'gate-unknown'; gateId: string }
  /** `stageId` is absent only when the case is in no stage. */
  | { code: 'gate-not-open'; gateId: string; stageId?: string }
  | { code: 'gate-done'; gateId: string; gateKind: GateState['kind'] }
  | { code: 'gate-rejected'; gateId: string }
  | { code: 'gate-kind-mismatch'; gateId: string; gateKind: GateState['kind']; action: GateAction['type'] }
  | { code: 'not-your-turn'; gateId: string }
  | { code: 'due-date-invalid' }
  | { code: 'due-date-past' }
  | { code: 'due-date-not-later'; currentDueAt: Instant }
  | { code: 'reassign-agreement' }
  | { code: 'reassign-coordinator-gate' }
  | { code: 'reassign-same-organisation' }
  // Housing offers
  | { code: 'offer-open'; offerId: string; validUntil: Instant }
  | { code: 'offer-valid-until-past' }
  | { code: 'offer-already-made'; offerId: string }
  | { code: 'offer-unknown'; offerId: string }
  | { code: 'offer-lapsed'; offerId: string; lapsedAt: Instant }
  | { code: 'offer-answered'; offerId: string; status: 'accepted' | 'declined' }
  // Agreements and MoUs
  | { code: 'agreement-executed' }
  | { code: 'agreement-executed-no-new-version' }
  | { code: 'agreement-unpublished' }
  | { code: 'not-a-signatory' }
  | { code: 'agreement-version-stale'; version: number; currentVersion: number }
  | { code: 'agreement-already-signed'; version: number }
  // Check-ins
  | { code: 'checkins-complete' }
  | { code: 'checkin-out-of-order'; nextIndex: number }
  | { code: 'checkin-too-early'; reportIndex: number; dueAt: Instant; openFrom: Instant }
  // Match offers
  | { code: 'match-proposal-open'; organisationId: string; answerBy: Instant }
  | { code: 'match-proposal-lapsed'; lapsedAt: Instant }
  | { code: 'shortlist-invalid'; max: number }
  // Departure batches
  | { code: 'not-done-in-batch'; gateId: string; event: BatchEvent }
  // Programmes
  | { code: 'programme-closed' }
  | { code: 'programme-coordinator-only'; action: ProgrammeCoordinatorAction }
  | { code: 'programme-already-paused'; since: Instant }
  | { code: 'programme-not-active'; status: ProgrammeStatus }
  | { code: 'programme-not-paused'; status: ProgrammeStatus }
  | { code: 'quota-invalid' }
  | { code: 'quota-below-taken'; taken: number }
  | { code: 'programme-has-open-cases'; openCases: number };

export type RefusalCode = Refusal['code'];
export type RefusalOf<C extends RefusalCode> = Extract<Refusal, { code: C }>;
/** What a refusal concerns: everything but its code (the API's `params`). */
export type RefusalParams<C extends RefusalCode = RefusalCode> = Omit<RefusalOf<C>, 'code'>;

// A record, so that a code added to the union and not here (or the other way round) does not compile.
const CODES: Record<RefusalCode, true> = {
  'case-final': true,
  'case-closed': true,
  'case-on-hold': true,
  'case-already-on-hold': true,
  'case-not-on-hold': true,
  'case-held-by-programme': true,
  'case-waitlisted': true,
  'programme-paused': true,
  'coordinator-only': true,
  'reason-needed': true,
  'gate-unknown': true,
  'gate-not-open': true,
  'gate-done': true,
  'gate-rejected': true,
  'gate-kind-mismatch': true,
  'not-your-turn': true,
  'due-date-invalid': true,
  'due-date-past': true,
  'due-date-not-later': true,
  'reassign-agreement': true,
  'reassign-coordinator-gate': true,
  'reassign-same-organisation': true,
  'offer-open': true,
  'offer-valid-until-past': true,
  'offer-already-made': true,
  'offer-unknown': true,
  'offer-lapsed': true,
  'offer-answered': true,
  'agreement-executed': true,
  'agreement-executed-no-new-version': true,
  'agreement-unpublished': true,
  'not-a-signatory': true,
  'agreement-version-stale': true,
  'agreement-already-signed': true,
  'checkins-complete': true,
  'checkin-out-of-order': true,
  'checkin-too-early': true,
  'match-proposal-open': true,
  'match-proposal-lapsed': true,
  'shortlist-invalid': true,
  'not-done-in-batch': true,
  'programme-closed': true,
  'programme-coordinator-only': true,
  'programme-already-paused': true,
  'programme-not-active': true,
  'programme-not-paused': true,
  'quota-invalid': true,
  'quota-below-taken': true,
  'programme-has-open-cases': true,
};

/** Every refusal code, so tests can hold every door to having words for each. */
export const REFUSAL_CODES = Object.keys(CODES) as RefusalCode[];

export const isRefusalCode = (value: unknown): value is RefusalCode => typeof value === 'string' && Object.hasOwn(CODES, value);

/** The parameters of a refusal, split from its code: what the API sends as `params`. */
export function refusalParams(refusal: Refusal): RefusalParams {
  const { code: _code, ...params } = refusal;
  return params;
}

/**
 * A refusal read back from outside (a failure's details, a stored answer): a known code and flat
 * JSON values, or undefined. Loose on purpose — a worker of another version may add a parameter;
 * whoever renders it still falls back to words without it.
 */
export function asRefusal(value: unknown): Refusal | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { code, ...params } = value as Record<string, unknown>;
  if (!isRefusalCode(code)) return undefined;
  const flat = Object.values(params).every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)));
  return flat ? ({ code, ...params } as Refusal) : undefined;
}
