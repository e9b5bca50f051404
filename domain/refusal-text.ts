/**
 * A refusal in the English sentence the API has always sent as `detail` (and the workflow as its
 * failure message). Callers and tests read these words: change one only on purpose. The pages do
 * not use them; they word each code themselves (web/i18n/), with titles instead of ids.
 */
import type { CaseCoordinatorAction, ProgrammeCoordinatorAction, ReasonedAction, Refusal, RefusalCode, RefusalOf } from './refusal.js';

const COORDINATOR_ONLY: Record<CaseCoordinatorAction, string> = {
  hold: "only the case's coordinator can put it on hold",
  resume: "only the case's coordinator can resume it",
  withdraw: "only the case's coordinator can withdraw it",
  nudge: "only the case's coordinator can nudge a gate",
  extend: "only the case's coordinator can extend a gate",
  reassign: "only the case's coordinator can reassign a gate",
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
  reassign: 'reassigning needs a reason',
  decide: 'a rejection needs a reason',
  decline_housing_request: 'declining a housing request needs a reason',
  decline_offer: 'declining an offer needs a reason',
  request_changes: 'a change request needs a comment',
  decline_match: 'declining a match needs a reason',
  request_mou_changes: 'a change request needs a comment',
  pause: 'a pause needs a reason',
  close: 'closing needs a reason',
};

const ENGLISH: { [C in RefusalCode]: (r: RefusalOf<C>) => string } = {
  'case-final': (r) => `the case is ${r.status}; no further actions are possible`,
  'case-closed': () => 'this case is closed; no further actions are possible',
  'case-on-hold': (r) => `the case is on hold since ${r.since}`,
  'case-already-on-hold': (r) => `the case is already on hold since ${r.since}`,
  'case-not-on-hold': () => 'the case is not on hold',
  'case-held-by-programme': () => 'the case is held because its programme is paused; resume the programme instead',
  'case-waitlisted': () => 'the case is waiting for a place in the programme',
  'programme-paused': (r) => `the programme is paused since ${r.since}; actions resume when it does`,
  'coordinator-only': (r) => COORDINATOR_ONLY[r.action],
  'reason-needed': (r) => REASON_NEEDED[r.action],
  'gate-unknown': (r) => `this pathway has no gate "${r.gateId}"`,
  // A case in no stage is final, refused before any gate is looked at: the short form is for safety.
  'gate-not-open': (r) => (r.stageId === undefined ? `gate "${r.gateId}" is not open` : `gate "${r.gateId}" is not open: the case is in stage "${r.stageId}"`),
  'gate-done': (r) => `gate "${r.gateId}" is already ${r.gateKind === 'decision' ? 'decided' : 'completed'}`,
  'gate-rejected': (r) => `gate "${r.gateId}" was rejected`,
  'gate-kind-mismatch': (r) => `gate "${r.gateId}" is a ${r.gateKind} gate; "${r.action}" does not apply to it`,
  'not-your-turn': (r) => `your organisation does not act at gate "${r.gateId}" now`,
  'due-date-invalid': () => 'dueAt is not a date',
  'due-date-past': () => 'the new due date must be in the future',
  'due-date-not-later': (r) => `the new due date must be later than the current one (${r.currentDueAt})`,
  'reassign-agreement': () => 'an agreement is signed by its signatories; it cannot be reassigned',
  'reassign-coordinator-gate': () => "a coordinator's own gate cannot be reassigned to another organisation",
  'reassign-same-organisation': () => 'the gate is already assigned to that organisation',
  'offer-open': (r) => `offer ${r.offerId} is open until ${r.validUntil}; wait for the answer or its lapse`,
  'offer-valid-until-past': () => 'validUntil must be a date in the future',
  'offer-already-made': (r) => `offer ${r.offerId} was already made`,
  'offer-unknown': (r) => `there is no offer ${r.offerId} at this gate`,
  'offer-lapsed': (r) => `offer ${r.offerId} lapsed at ${r.lapsedAt}`,
  'offer-answered': (r) => `offer ${r.offerId} was already ${r.status}`,
  'agreement-executed': () => 'the agreement is already executed',
  'agreement-executed-no-new-version': () => 'the agreement is already executed; it cannot get a new version',
  'agreement-unpublished': () => 'no version of the agreement has been published yet',
  'not-a-signatory': () => 'your organisation is not a signatory of this agreement',
  'agreement-version-stale': (r) => `version ${r.version} is not the current version (${r.currentVersion}); read the current version before signing`,
  'agreement-already-signed': (r) => `your organisation has already signed version ${r.version}`,
  'checkins-complete': () => 'every check-in report is already in',
  'checkin-out-of-order': (r) => `the next report due is number ${r.nextIndex + 1} (index ${r.nextIndex})`,
  'checkin-too-early': (r) => `report ${r.reportIndex + 1} is due on ${r.dueAt}; it can be submitted from ${r.openFrom}`,
  'match-proposal-open': (r) => `the case is proposed to organisation ${r.organisationId}, who may answer until ${r.answerBy}; wait for the answer or its lapse`,
  'match-proposal-lapsed': (r) => `the proposal lapsed at ${r.lapsedAt}`,
  'shortlist-invalid': (r) => `the shortlist needs 1 to ${r.max} different candidates`,
  'not-done-in-batch': (r) => `gate "${r.gateId}" is not done at a batch's ${r.event}`,
  'programme-closed': () => 'the programme is closed',
  'programme-coordinator-only': (r) => PROGRAMME_COORDINATOR_ONLY[r.action],
  'programme-already-paused': (r) => `the programme is already paused since ${r.since}`,
  'programme-not-active': (r) => `only an active programme can be paused; it is ${r.status}`,
  'programme-not-paused': (r) => `the programme is not paused; it is ${r.status}`,
  'quota-invalid': () => 'the quota must be a whole number of places, 0 or more',
  'quota-below-taken': (r) => `the quota cannot go below the ${r.taken} places already used or reserved`,
  'programme-has-open-cases': (r) => `${r.openCases} case(s) are still open; close or withdraw them first`,
};

/** The refusal as the API's `detail`: the English sentence, ids and ISO instants as they are. */
export function refusalText(refusal: Refusal): string {
  return (ENGLISH[refusal.code] as (r: Refusal) => string)(refusal);
}
