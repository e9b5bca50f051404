/**
 * Every action a person can take on a case, and the rules that refuse an invalid one with a
 * reason (a `Refusal`: a code and what it concerns). The workflow's update validators call
 * `refuseAction`; nothing refused enters history.
 */
import { refusePublish, refuseRequestChanges, refuseSign, type AgreementDocument } from './agreement.js';
import { coordinatorOrg, currentStage, gateTemplate, isFinal, type CaseState, type GateState } from './case-model.js';
import type { BatchEvent } from './pathway.js';
import type { Role } from './organisation.js';
import type { Refusal, RefusalOf } from './refusal.js';
import type { TextRef } from './text-ref.js';

/** Who acts: resolved by the API from the caller's token. */
export interface ActorRef {
  personId: string;
  organisationId: string;
  role: Role;
}

export interface HousingOfferFacts {
  offerId: string;
  rooms: number;
  accessible: boolean;
  availableFrom: string;
  validUntil: string;
}

/** Reasons, notes and comments travel as `…Ref`: the id of the text, which stays in PostgreSQL. */
export type GateAction =
  | { type: 'decide'; gateId: string; actor: ActorRef; outcome: 'approve' | 'reject' | 'request_info'; reasonRef?: TextRef }
  /** `batch`: done for every case of a departure batch, by its coordinator (the step's template says at which moment). */
  | { type: 'complete'; gateId: string; actor: ActorRef; noteRef?: TextRef; batch?: { batchId: string; event: BatchEvent } }
  | { type: 'offer_housing'; gateId: string; actor: ActorRef; offer: HousingOfferFacts }
  | { type: 'decline_housing_request'; gateId: string; actor: ActorRef; reasonRef: TextRef }
  | { type: 'accept_offer'; gateId: string; actor: ActorRef; offerId: string }
  | { type: 'decline_offer'; gateId: string; actor: ActorRef; offerId: string; reasonRef: TextRef }
  | { type: 'publish_agreement'; gateId: string; actor: ActorRef; document: AgreementDocument }
  | { type: 'sign'; gateId: string; actor: ActorRef; version: number }
  | { type: 'request_changes'; gateId: string; actor: ActorRef; commentRef: TextRef }
  | { type: 'submit_checkin'; gateId: string; actor: ActorRef; reportIndex: number; reportRef: string }
  /** The coordinator's shortlist, in order: the first is asked now, the others after a decline or a lapse. */
  | { type: 'propose_match'; gateId: string; actor: ActorRef; candidates: string[] }
  | { type: 'accept_match'; gateId: string; actor: ActorRef }
  | { type: 'decline_match'; gateId: string; actor: ActorRef; reasonRef: TextRef };

export type CoordinatorAction =
  | { type: 'nudge'; gateId: string; actor: ActorRef }
  | { type: 'extend'; gateId: string; actor: ActorRef; dueAt: string; reasonRef: TextRef }
  | { type: 'reassign'; gateId: string; actor: ActorRef; organisationId: string; reasonRef: TextRef }
  | { type: 'hold'; actor: ActorRef; reasonRef: TextRef }
  | { type: 'resume'; actor: ActorRef }
  | { type: 'withdraw'; actor: ActorRef; reasonRef: TextRef };

export type CaseAction = GateAction | CoordinatorAction;

/** A check-in report may be submitted from this long before it is due. */
export const CHECKIN_EARLY_WINDOW_MS = 14 * 86_400_000;

const GATE_KIND_OF: Record<GateAction['type'], GateState['kind']> = {
  decide: 'decision',
  complete: 'task',
  offer_housing: 'housing',
  decline_housing_request: 'housing',
  accept_offer: 'housing',
  decline_offer: 'housing',
  publish_agreement: 'agreement',
  sign: 'agreement',
  request_changes: 'agreement',
  submit_checkin: 'checkins',
  propose_match: 'match',
  accept_match: 'match',
  decline_match: 'match',
};

/** How many candidates one shortlist may hold. */
export const MAX_SHORTLIST = 10;

const iso = (ms: number) => new Date(ms).toISOString();
const isCoordinator = (s: CaseState, a: ActorRef) => a.role === 'coordinator' && a.organisationId === coordinatorOrg(s);

function findOpenGate(s: CaseState, gateId: string): GateState | Refusal {
  const gate = s.gates.find((g) => g.id === gateId);
  if (!gate) {
    const stage = s.template.stages.find((st) => st.gates.some((g) => g.id === gateId));
    if (!stage) return { code: 'gate-unknown', gateId };
    return { code: 'gate-not-open', gateId, stageId: currentStage(s)?.id };
  }
  if (gate.status === 'done') return { code: 'gate-done', gateId, gateKind: gate.kind };
  if (gate.status === 'rejected') return { code: 'gate-rejected', gateId };
  return gate;
}

const isRefusal = (x: GateState | Refusal): x is Refusal => 'code' in x;

/** Why `action` is not valid now, or undefined when it is. */
export function refuseAction(s: CaseState, action: CaseAction, now: number): Refusal | undefined {
  if (isFinal(s)) return { code: 'case-final', status: s.status as RefusalOf<'case-final'>['status'] };
  switch (action.type) {
    case 'hold':
      if (!isCoordinator(s, action.actor)) return { code: 'coordinator-only', action: 'hold' };
      if (s.hold) return { code: 'case-already-on-hold', since: iso(s.hold.since) };
      return action.reasonRef ? undefined : { code: 'reason-needed', action: 'hold' };
    case 'resume':
      if (!isCoordinator(s, action.actor)) return { code: 'coordinator-only', action: 'resume' };
      if (!s.hold) return s.programmePausedSince ? { code: 'case-held-by-programme' } : { code: 'case-not-on-hold' };
      return undefined;
    case 'withdraw':
      if (!isCoordinator(s, action.actor)) return { code: 'coordinator-only', action: 'withdraw' };
      return action.reasonRef ? undefined : { code: 'reason-needed', action: 'withdraw' };
  }
  if (action.type === 'nudge' || action.type === 'extend' || action.type === 'reassign') {
    if (!isCoordinator(s, action.actor)) return { code: 'coordinator-only', action: action.type };
    const gate = findOpenGate(s, action.gateId);
    if (isRefusal(gate)) return gate;
    if ((action.type === 'extend' || action.type === 'reassign') && !action.reasonRef) return { code: 'reason-needed', action: action.type };
    if (action.type === 'extend') {
      const dueAt = Date.parse(action.dueAt);
      if (Number.isNaN(dueAt)) return { code: 'due-date-invalid' };
      if (dueAt <= now) return { code: 'due-date-past' };
      if (dueAt <= gate.dueAt) return { code: 'due-date-not-later', currentDueAt: iso(gate.dueAt) };
    }
    if (action.type === 'reassign') {
      if (gate.kind === 'agreement') return { code: 'reassign-agreement' };
      if (s.template.parties.find((p) => p.id === gate.slot)?.kind === 'coordinator') return { code: 'reassign-coordinator-gate' };
      if (action.organisationId === gate.assignee) return { code: 'reassign-same-organisation' };
    }
    return undefined;
  }
  if (s.programmePausedSince !== undefined) return { code: 'programme-paused', since: iso(s.programmePausedSince) };
  if (s.hold) return { code: 'case-on-hold', since: iso(s.hold.since) };
  if (s.status === 'waitlisted') return { code: 'case-waitlisted' };
  const gate = findOpenGate(s, action.gateId);
  if (isRefusal(gate)) return gate;
  if (gate.kind !== GATE_KIND_OF[action.type]) return { code: 'gate-kind-mismatch', gateId: gate.id, gateKind: gate.kind, action: action.type };
  return refuseGateAction(s, gate, action, now);
}

function refuseGateAction(s: CaseState, gate: GateState, action: GateAction, now: number): Refusal | undefined {
  const org = action.actor.organisationId;
  const notYours: Refusal = { code: 'not-your-turn', gateId: gate.id };
  switch (action.type) {
    case 'decide':
      if (gate.assignee !== org) return notYours;
      if (action.outcome === 'reject' && !action.reasonRef) return { code: 'reason-needed', action: 'decide' };
      return undefined;
    case 'complete': {
      if (!action.batch) return gate.assignee === org ? undefined : notYours;
      const template = gateTemplate(s, gate.id);
      if (template?.kind !== 'task' || template.doneInBatch !== action.batch.event) return { code: 'not-done-in-batch', gateId: gate.id, event: action.batch.event };
      return isCoordinator(s, action.actor) ? undefined : { code: 'coordinator-only', action: 'complete' };
    }
    case 'propose_match': {
      if (gate.kind !== 'match') return undefined;
      if (gate.assignee !== org) return notYours;
      const open = gate.proposals.find((p) => p.status === 'open');
      if (open) return { code: 'match-proposal-open', organisationId: open.organisationId, answerBy: iso(open.answerBy) };
      const n = action.candidates.length;
      if (n === 0 || n > MAX_SHORTLIST || new Set(action.candidates).size !== n) return { code: 'shortlist-invalid', max: MAX_SHORTLIST };
      return undefined;
    }
    case 'accept_match':
    case 'decline_match': {
      if (gate.kind !== 'match') return undefined;
      const open = gate.proposals.find((p) => p.status === 'open');
      if (!open || open.organisationId !== org) return notYours;
      if (now >= open.answerBy) return { code: 'match-proposal-lapsed', lapsedAt: iso(open.answerBy) };
      if (action.type === 'decline_match' && !action.reasonRef) return { code: 'reason-needed', action: 'decline_match' };
      return undefined;
    }
    case 'offer_housing':
    case 'decline_housing_request': {
      if (gate.kind !== 'housing') return undefined;
      if (gate.assignee !== org) return notYours;
      const open = gate.offers.find((o) => o.status === 'open');
      if (open) return { code: 'offer-open', offerId: open.offerId, validUntil: iso(open.validUntil) };
      if (action.type === 'decline_housing_request' && !action.reasonRef) return { code: 'reason-needed', action: 'decline_housing_request' };
      if (action.type === 'offer_housing') {
        const validUntil = Date.parse(action.offer.validUntil);
        if (Number.isNaN(validUntil) || validUntil <= now) return { code: 'offer-valid-until-past' };
        if (gate.offers.some((o) => o.offerId === action.offer.offerId)) return { code: 'offer-already-made', offerId: action.offer.offerId };
      }
      return undefined;
    }
    case 'accept_offer':
    case 'decline_offer': {
      if (gate.kind !== 'housing') return undefined;
      if (gate.respondent !== org) return notYours;
      const offer = gate.offers.find((o) => o.offerId === action.offerId);
      if (!offer) return { code: 'offer-unknown', offerId: action.offerId };
      if (offer.status === 'lapsed' || (offer.status === 'open' && now >= offer.validUntil)) return { code: 'offer-lapsed', offerId: offer.offerId, lapsedAt: iso(offer.validUntil) };
      if (offer.status !== 'open') return { code: 'offer-answered', offerId: offer.offerId, status: offer.status };
      if (action.type === 'decline_offer' && !action.reasonRef) return { code: 'reason-needed', action: 'decline_offer' };
      return undefined;
    }
    case 'publish_agreement':
      if (gate.kind !== 'agreement') return undefined;
      if (!isCoordinator(s, action.actor)) return { code: 'coordinator-only', action: 'publish_agreement' };
      return refusePublish(gate.agreement);
    case 'sign':
      return gate.kind === 'agreement' ? refuseSign(gate.agreement, org, action.version) : undefined;
    case 'request_changes':
      if (gate.kind !== 'agreement') return undefined;
      if (!action.commentRef) return { code: 'reason-needed', action: 'request_changes' };
      return refuseRequestChanges(gate.agreement, org);
    case 'submit_checkin': {
      if (gate.kind !== 'checkins') return undefined;
      if (gate.assignee !== org) return notYours;
      const next = gate.reports.find((r) => r.submittedAt === undefined);
      if (!next) return { code: 'checkins-complete' };
      if (action.reportIndex !== next.index) return { code: 'checkin-out-of-order', nextIndex: next.index };
      if (now < next.dueAt - CHECKIN_EARLY_WINDOW_MS) return { code: 'checkin-too-early', reportIndex: next.index, dueAt: iso(next.dueAt), openFrom: iso(next.dueAt - CHECKIN_EARLY_WINDOW_MS) };
      return undefined;
    }
  }
}
