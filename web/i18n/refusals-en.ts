/**
 * Why an action was refused, in English for the pages: close to the API's `detail`, but with the
 * titles of steps and stages and dates as people read them — no ids, no ISO instants.
 */
import type { CaseCoordinatorAction, ProgrammeCoordinatorAction, ReasonedAction } from '../../domain/refusal.js';
import type { ProgrammeStatus } from '../../domain/programme-model.js';
import type { RefusalLookups, RefusalWords } from './refusal-words.js';

const step = (l: RefusalLookups, gateId: string): string => {
  const title = l.step(gateId);
  return title ? `step "${title}"` : 'this step';
};

const COORDINATOR_ONLY: Record<CaseCoordinatorAction, string> = {
  hold: "only the case's coordinator can put it on hold",
  resume: "only the case's coordinator can resume it",
  withdraw: "only the case's coordinator can withdraw it",
  nudge: "only the case's coordinator can send a reminder for a step",
  extend: "only the case's coordinator can move a step's due date",
  reassign: "only the case's coordinator can give a step to another organisation",
  publish_agreement: "only the case's coordinator publishes versions of the agreement",
  complete: "only the case's coordinator completes a step for a departure batch",
};

const PROGRAMME_COORDINATOR_ONLY: Record<ProgrammeCoordinatorAction, string> = {
  publish_mou: "only the programme's coordinator publishes versions of the MoU",
  pause: "only the programme's coordinator can pause it",
  resume: "only the programme's coordinator can resume it",
  set_quota: "only the programme's coordinator can change the quota",
  close: "only the programme's coordinator can close it",
};

const REASON_NEEDED: Record<ReasonedAction, string> = {
  hold: 'a hold needs a reason',
  withdraw: 'a withdrawal needs a reason',
  extend: 'moving a due date needs a reason',
  reassign: 'giving a step to another organisation needs a reason',
  decide: 'a rejection needs a reason',
  decline_housing_request: 'declining a housing request needs a reason',
  decline_offer: 'declining an offer needs a reason',
  request_changes: 'a change request needs a comment',
  decline_match: 'declining a proposed case needs a reason',
  request_mou_changes: 'a change request needs a comment',
  pause: 'a pause needs a reason',
  close: 'closing needs a reason',
};

/** A programme as it is, after "it": "…; it is still a draft". */
const PROGRAMME_IS: Record<ProgrammeStatus, string> = {
  draft: 'is still a draft',
  negotiating: 'is waiting for its MoU to be signed',
  active: 'is active',
  paused: 'is paused',
  closed: 'is closed',
};

export const refusalsEn: RefusalWords = {
  'case-final': (p) => `the case is ${p.status}; no further actions are possible`,
  'case-closed': () => 'this case is closed; no further actions are possible',
  'case-on-hold': (p, l) => `the case is on hold since ${l.date(p.since)}`,
  'case-already-on-hold': (p, l) => `the case is already on hold since ${l.date(p.since)}`,
  'case-not-on-hold': () => 'the case is not on hold',
  'case-held-by-programme': () => 'the case is held because its programme is paused; resume the programme instead',
  'case-waitlisted': () => 'the case is waiting for a place in the programme',
  'programme-paused': (p, l) => `the programme is paused since ${l.date(p.since)}; actions resume when it does`,
  'coordinator-only': (p) => COORDINATOR_ONLY[p.action],
  'reason-needed': (p) => REASON_NEEDED[p.action],
  'gate-unknown': () => 'this pathway has no such step',
  'gate-not-open': (p, l) => {
    const stage = p.stageId === undefined ? undefined : l.stage(p.stageId);
    return stage ? `${step(l, p.gateId)} is not open: the case is in stage "${stage}"` : `${step(l, p.gateId)} is not open now`;
  },
  'gate-done': (p, l) => `${step(l, p.gateId)} is already ${p.gateKind === 'decision' ? 'decided' : 'completed'}`,
  'gate-rejected': (p, l) => `${step(l, p.gateId)} was rejected`,
  'gate-kind-mismatch': (p, l) => `this action does not apply to ${step(l, p.gateId)}`,
  'not-your-turn': (p, l) => `your organisation does not act at ${step(l, p.gateId)} now`,
  'due-date-invalid': () => 'the new due date is not a date',
  'due-date-past': () => 'the new due date must be in the future',
  'due-date-not-later': (p, l) => `the new due date must be later than the current one (${l.date(p.currentDueAt)})`,
  'reassign-agreement': () => 'an agreement is signed by its signatories; it cannot be given to another organisation',
  'reassign-coordinator-gate': () => "a coordinator's own step cannot be given to another organisation",
  'reassign-same-organisation': () => 'the step is already with that organisation',
  'offer-open': (p, l) => `a housing offer is open until ${l.date(p.validUntil)}; wait for the answer or its lapse`,
  'offer-valid-until-past': () => '"offer open until" must be in the future',
  'offer-already-made': () => 'this housing offer was already made',
  'offer-unknown': () => 'this housing offer does not exist (any more) at this step',
  'offer-lapsed': (p, l) => `this housing offer lapsed on ${l.date(p.lapsedAt)}`,
  'offer-answered': (p) => `this housing offer was already ${p.status}`,
  'agreement-executed': () => 'the agreement is already signed by every party',
  'agreement-executed-no-new-version': () => 'the agreement is already signed by every party; it cannot get a new version',
  'agreement-unpublished': () => 'no version of the agreement has been published yet',
  'not-a-signatory': () => 'your organisation is not a signatory of this agreement',
  'agreement-version-stale': (p) => `version ${p.version} is not the current version (${p.currentVersion}); read the current version before signing`,
  'agreement-already-signed': (p) => `your organisation has already signed version ${p.version}`,
  'checkins-complete': () => 'every check-in report is already in',
  'checkin-out-of-order': (p) => `the next report due is number ${p.nextIndex + 1}`,
  'match-proposal-open': (p, l) => `the case is proposed to an organisation that may answer until ${l.date(p.answerBy)}; wait for its answer or the lapse`,
  'match-proposal-lapsed': (p, l) => `the proposal lapsed on ${l.date(p.lapsedAt)}`,
  'shortlist-invalid': (p) => `choose 1 to ${p.max} different organisations`,
  'not-done-in-batch': (p, l) => `${step(l, p.gateId)} is not done at a batch's ${p.event === 'departure' ? 'departure' : 'arrival'}`,
  'checkin-too-early': (p, l) => `report ${p.reportIndex + 1} is due on ${l.date(p.dueAt)}; it can be submitted from ${l.date(p.openFrom)}`,
  'programme-closed': () => 'the programme is closed',
  'programme-coordinator-only': (p) => PROGRAMME_COORDINATOR_ONLY[p.action],
  'programme-already-paused': (p, l) => `the programme is already paused since ${l.date(p.since)}`,
  'programme-not-active': (p) => `only an active programme can be paused; it ${PROGRAMME_IS[p.status]}`,
  'programme-not-paused': (p) => `the programme is not paused; it ${PROGRAMME_IS[p.status]}`,
  'quota-invalid': () => 'the quota must be a whole number of places, 0 or more',
  'quota-below-taken': (p) => `the quota cannot go below the ${p.taken} places already used or reserved`,
  'programme-has-open-cases': (p) => (p.openCases === 1 ? '1 case is still open; close or withdraw it first' : `${p.openCases} cases are still open; close or withdraw them first`),
};
