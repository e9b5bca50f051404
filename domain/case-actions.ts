/**
 * Every action a person can take on a case, and the rules that refuse an invalid one with a
 * reason. The workflow's update validators call `refuseAction`; nothing refused enters history.
 */
import { refusePublish, refuseRequestChanges, refuseSign, type AgreementDocument } from './agreement.js';
import { coordinatorOrg, currentStage, isFinal, type CaseState, type GateState } from './case-model.js';
import type { Role } from './organisation.js';
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
  | { type: 'complete'; gateId: string; actor: ActorRef; noteRef?: TextRef }
  | { type: 'offer_housing'; gateId: string; actor: ActorRef; offer: HousingOfferFacts }
  | { type: 'decline_housing_request'; gateId: string; actor: ActorRef; reasonRef: TextRef }
  | { type: 'accept_offer'; gateId: string; actor: ActorRef; offerId: string }
  | { type: 'decline_offer'; gateId: string; actor: ActorRef; offerId: string; reasonRef: TextRef }
  | { type: 'publish_agreement'; gateId: string; actor: ActorRef; document: AgreementDocument }
  | { type: 'sign'; gateId: string; actor: ActorRef; version: number }
  | { type: 'request_changes'; gateId: string; actor: ActorRef; commentRef: TextRef }
  | { type: 'submit_checkin'; gateId: string; actor: ActorRef; reportIndex: number; reportRef: string };

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
};

const iso = (ms: number) => new Date(ms).toISOString();
const isCoordinator = (s: CaseState, a: ActorRef) => a.role === 'coordinator' && a.organisationId === coordinatorOrg(s);

function findOpenGate(s: CaseState, gateId: string): GateState | string {
  const gate = s.gates.find((g) => g.id === gateId);
  if (!gate) {
    const stage = s.template.stages.find((st) => st.gates.some((g) => g.id === gateId));
    if (!stage) return `this pathway has no gate "${gateId}"`;
    return `gate "${gateId}" is not open: the case is in stage "${currentStage(s)?.id}"`;
  }
  if (gate.status === 'done') return `gate "${gateId}" is already ${gate.kind === 'decision' ? 'decided' : 'completed'}`;
  if (gate.status === 'rejected') return `gate "${gateId}" was rejected`;
  return gate;
}

/** Why `action` is not valid now, or undefined when it is. */
export function refuseAction(s: CaseState, action: CaseAction, now: number): string | undefined {
  if (isFinal(s)) return `the case is ${s.status}; no further actions are possible`;
  switch (action.type) {
    case 'hold':
      if (!isCoordinator(s, action.actor)) return "only the case's coordinator can put it on hold";
      if (s.hold) return `the case is already on hold since ${iso(s.hold.since)}`;
      return action.reasonRef ? undefined : 'a hold needs a reason';
    case 'resume':
      if (!isCoordinator(s, action.actor)) return "only the case's coordinator can resume it";
      if (!s.hold) return s.programmePausedSince ? 'the case is held because its programme is paused; resume the programme instead' : 'the case is not on hold';
      return undefined;
    case 'withdraw':
      if (!isCoordinator(s, action.actor)) return "only the case's coordinator can withdraw it";
      return action.reasonRef ? undefined : 'a withdrawal needs a reason';
  }
  if (action.type === 'nudge' || action.type === 'extend' || action.type === 'reassign') {
    if (!isCoordinator(s, action.actor)) return `only the case's coordinator can ${action.type} a gate`;
    const gate = findOpenGate(s, action.gateId);
    if (typeof gate === 'string') return gate;
    if ((action.type === 'extend' || action.type === 'reassign') && !action.reasonRef) return `${action.type === 'extend' ? 'moving a due date' : 'reassigning'} needs a reason`;
    if (action.type === 'extend') {
      const dueAt = Date.parse(action.dueAt);
      if (Number.isNaN(dueAt)) return 'dueAt is not a date';
      if (dueAt <= now) return 'the new due date must be in the future';
      if (dueAt <= gate.dueAt) return `the new due date must be later than the current one (${iso(gate.dueAt)})`;
    }
    if (action.type === 'reassign') {
      if (gate.kind === 'agreement') return 'an agreement is signed by its signatories; it cannot be reassigned';
      if (s.template.parties.find((p) => p.id === gate.slot)?.kind === 'coordinator') return "a coordinator's own gate cannot be reassigned to another organisation";
      if (action.organisationId === gate.assignee) return 'the gate is already assigned to that organisation';
    }
    return undefined;
  }
  if (s.programmePausedSince !== undefined) return `the programme is paused since ${iso(s.programmePausedSince)}; actions resume when it does`;
  if (s.hold) return `the case is on hold since ${iso(s.hold.since)}`;
  if (s.status === 'waitlisted') return 'the case is waiting for a place in the programme';
  const gate = findOpenGate(s, action.gateId);
  if (typeof gate === 'string') return gate;
  if (gate.kind !== GATE_KIND_OF[action.type]) return `gate "${gate.id}" is a ${gate.kind} gate; "${action.type}" does not apply to it`;
  return refuseGateAction(s, gate, action, now);
}

function refuseGateAction(s: CaseState, gate: GateState, action: GateAction, now: number): string | undefined {
  const org = action.actor.organisationId;
  const notYours = `your organisation does not act at gate "${gate.id}" now`;
  switch (action.type) {
    case 'decide':
      if (gate.assignee !== org) return notYours;
      if (action.outcome === 'reject' && !action.reasonRef) return 'a rejection needs a reason';
      return undefined;
    case 'complete':
      return gate.assignee === org ? undefined : notYours;
    case 'offer_housing':
    case 'decline_housing_request': {
      if (gate.kind !== 'housing') return undefined;
      if (gate.assignee !== org) return notYours;
      const open = gate.offers.find((o) => o.status === 'open');
      if (open) return `offer ${open.offerId} is open until ${iso(open.validUntil)}; wait for the answer or its lapse`;
      if (action.type === 'decline_housing_request' && !action.reasonRef) return 'declining a housing request needs a reason';
      if (action.type === 'offer_housing') {
        const validUntil = Date.parse(action.offer.validUntil);
        if (Number.isNaN(validUntil) || validUntil <= now) return 'validUntil must be a date in the future';
        if (gate.offers.some((o) => o.offerId === action.offer.offerId)) return `offer ${action.offer.offerId} was already made`;
      }
      return undefined;
    }
    case 'accept_offer':
    case 'decline_offer': {
      if (gate.kind !== 'housing') return undefined;
      if (gate.respondent !== org) return notYours;
      const offer = gate.offers.find((o) => o.offerId === action.offerId);
      if (!offer) return `there is no offer ${action.offerId} at this gate`;
      if (offer.status === 'lapsed' || (offer.status === 'open' && now >= offer.validUntil)) return `offer ${offer.offerId} lapsed at ${iso(offer.validUntil)}`;
      if (offer.status !== 'open') return `offer ${offer.offerId} was already ${offer.status}`;
      if (action.type === 'decline_offer' && !action.reasonRef) return 'declining an offer needs a reason';
      return undefined;
    }
    case 'publish_agreement':
      if (gate.kind !== 'agreement') return undefined;
      if (!isCoordinator(s, action.actor)) return "only the case's coordinator publishes versions of the agreement";
      return refusePublish(gate.agreement);
    case 'sign':
      return gate.kind === 'agreement' ? refuseSign(gate.agreement, org, action.version) : undefined;
    case 'request_changes':
      if (gate.kind !== 'agreement') return undefined;
      if (!action.commentRef) return 'a change request needs a comment';
      return refuseRequestChanges(gate.agreement, org);
    case 'submit_checkin': {
      if (gate.kind !== 'checkins') return undefined;
      if (gate.assignee !== org) return notYours;
      const next = gate.reports.find((r) => r.submittedAt === undefined);
      if (!next) return 'every check-in report is already in';
      if (action.reportIndex !== next.index) return `the next report due is number ${next.index + 1} (index ${next.index})`;
      if (now < next.dueAt - CHECKIN_EARLY_WINDOW_MS) return `report ${next.index + 1} is due on ${iso(next.dueAt)}; it can be submitted from ${iso(next.dueAt - CHECKIN_EARLY_WINDOW_MS)}`;
      return undefined;
    }
  }
}

