/** Applies an accepted action to the case state, recording what it causes. Pure. */
import { publish, requestChanges, sign } from './agreement.js';
import type { CaseAction, GateAction } from './case-actions.js';
import type { Recorder } from './case-effects.js';
import { divertTo, endCase, fillSlot, proposeNext, relyOn, sponsorSlot } from './case-lifecycle.js';
import { coordinatorOrg, gateTemplate, KEPT_OFFERS, type CaseState, type GateState, type HousingGateState } from './case-model.js';
import { beginHold, endHold, settleCheckins, skipPassedReminders } from './case-timers.js';
import { waitingOn } from './case-turn.js';

export function applyAction(s: CaseState, action: CaseAction, rec: Recorder): void {
  const by = action.actor.personId;
  switch (action.type) {
    case 'hold':
      s.hold = { since: rec.now, reasonRef: action.reasonRef, by };
      beginHold(s, rec.now);
      rec.event('case_held', by, { textRef: action.reasonRef });
      return;
    case 'resume': {
      const heldFor = rec.now - s.hold!.since;
      s.hold = undefined;
      endHold(s, rec.now);
      rec.event('case_resumed', by, { data: { heldDays: Math.round(heldFor / 86_400_000) } });
      return;
    }
    case 'withdraw':
      endCase(s, { status: 'withdrawn', code: 'withdrawn', by, textRef: action.reasonRef }, rec);
      return;
  }
  const gate = s.gates.find((g) => g.id === action.gateId)!;
  switch (action.type) {
    case 'nudge':
      rec.event('gate_nudged', by, { gateId: gate.id });
      rec.notify('reminder', waitingOn(s, gate, rec.now), { gateTitle: gate.title, dueAt: gate.dueAt, detail: 'nudge' });
      return;
    case 'extend':
      rec.event('deadline_extended', by, { gateId: gate.id, textRef: action.reasonRef, data: { from: new Date(gate.dueAt).toISOString(), to: action.dueAt } });
      extendGate(gate, Date.parse(action.dueAt), rec.now);
      skipPassedReminders(s, gate, rec.now);
      return;
    case 'reassign': {
      const from = gate.assignee;
      // The new organisation takes the slot for the rest of the case (e.g. another municipality),
      // at every open gate where that slot acts or answers, not only this one.
      s.parties[gate.slot] = action.organisationId;
      for (const g of s.gates) {
        if (g.status !== 'open') continue;
        if (g.slot === gate.slot) g.assignee = action.organisationId;
        if (g.kind === 'housing' && g.respondentSlot === gate.slot) g.respondent = action.organisationId;
      }
      rec.event('gate_reassigned', by, { gateId: gate.id, textRef: action.reasonRef, data: { from, to: action.organisationId } });
      rec.notify('action-required', [action.organisationId], { gateTitle: gate.title, dueAt: gate.dueAt });
      return;
    }
  }
  applyGateAction(s, gate, action, rec);
}

/** The coordinator's date stands as set: a hold that ends later does not move it. */
function extendGate(gate: GateState, dueAt: number, now: number): void {
  if (gate.kind === 'checkins') {
    // The overdue report gets the extra time; the reports after it keep their dates.
    const next = gate.reports.find((r) => r.submittedAt === undefined);
    if (next) {
      next.dueAt += dueAt - gate.dueAt;
      next.escalationsSent = 0;
    }
  }
  gate.dueAt = dueAt;
  gate.dueSetAt = now;
  gate.escalationsSent = 0;
}

/** Keeps the open offer and the newest few others. */
function keepOffers(gate: HousingGateState): void {
  while (gate.offers.length > KEPT_OFFERS) {
    const oldest = gate.offers.findIndex((o) => o.status !== 'open');
    if (oldest < 0) return;
    gate.offers.splice(oldest, 1);
  }
}

function done(s: CaseState, gate: GateState, rec: Recorder): void {
  gate.status = 'done';
  gate.closedAt = rec.now;
  relyOn(s, gate, rec);
}

function applyGateAction(s: CaseState, gate: GateState, action: GateAction, rec: Recorder): void {
  const by = action.actor.personId;
  const sponsor = s.parties[sponsorSlot(s)];
  if (action.type === 'decide' && gate.kind === 'decision') {
    if (action.outcome === 'request_info') {
      gate.infoRequests += 1;
      gate.lastInfoRequest = { reasonRef: action.reasonRef, by, at: rec.now };
      rec.event('information_requested', by, { gateId: gate.id, textRef: action.reasonRef });
      rec.notify('case-update', sponsor ? [sponsor] : [coordinatorOrg(s)], { gateTitle: gate.title, detail: 'information-requested' });
      return;
    }
    const outcome = action.outcome === 'approve' ? 'approved' : 'rejected';
    gate.decision = { outcome, reasonRef: action.reasonRef, by, at: rec.now };
    rec.event(`gate_${outcome}`, by, { gateId: gate.id, textRef: action.reasonRef });
    if (outcome === 'approved') return done(s, gate, rec);
    gate.status = 'rejected';
    gate.closedAt = rec.now;
    const template = gateTemplate(s, gate.id);
    if (template?.kind === 'decision' && template.onReject.action === 'divert') return divertTo(s, template.onReject.toStage, rec);
    return endCase(s, { status: 'rejected', code: 'rejected', by, gateId: gate.id, textRef: action.reasonRef }, rec);
  }
  if (action.type === 'complete' && gate.kind === 'task') {
    gate.completion = { by, noteRef: action.noteRef, at: rec.now };
    rec.event('task_completed', by, { gateId: gate.id, textRef: action.noteRef, ...(action.batch ? { data: { batchId: action.batch.batchId, batchEvent: action.batch.event } } : {}) });
    return done(s, gate, rec);
  }
  if (gate.kind === 'housing') {
    const template = gateTemplate(s, gate.id);
    switch (action.type) {
      case 'offer_housing': {
        const { offerId, rooms, accessible, availableFrom, validUntil } = action.offer;
        gate.offers.push({ offerId, madeBy: action.actor.organisationId, rooms, accessible, availableFrom, validUntil: Date.parse(validUntil), status: 'open', expiryReminderSent: false, at: rec.now });
        gate.offersMade += 1;
        keepOffers(gate);
        rec.event('housing_offered', by, { gateId: gate.id, data: { offerId, rooms, accessible, availableFrom, validUntil } });
        rec.notify('offer-made', [gate.respondent], { gateTitle: gate.title, dueAt: Date.parse(validUntil) });
        return;
      }
      case 'decline_housing_request':
        gate.capacityDeclines += 1;
        gate.lastCapacityDecline = { organisationId: action.actor.organisationId, reasonRef: action.reasonRef, at: rec.now };
        rec.event('housing_request_declined', by, { gateId: gate.id, textRef: action.reasonRef });
        rec.notify('escalation', [coordinatorOrg(s)], { gateTitle: gate.title, detail: 'no-housing-capacity' });
        return;
      case 'accept_offer': {
        const offer = gate.offers.find((o) => o.offerId === action.offerId)!;
        offer.status = 'accepted';
        rec.event('housing_offer_accepted', by, { gateId: gate.id, data: { offerId: offer.offerId } });
        rec.notify('case-update', [gate.assignee], { gateTitle: gate.title, detail: 'offer-accepted' });
        return done(s, gate, rec);
      }
      case 'decline_offer': {
        const offer = gate.offers.find((o) => o.offerId === action.offerId)!;
        offer.status = 'declined';
        offer.reasonRef = action.reasonRef;
        gate.respondentDeclines += 1;
        rec.event('housing_offer_declined', by, { gateId: gate.id, textRef: action.reasonRef, data: { offerId: offer.offerId } });
        rec.notify('action-required', [gate.assignee], { gateTitle: gate.title, dueAt: gate.dueAt, detail: 'offer-declined' });
        const limit = template?.kind === 'housing' ? template.escalateAfterDeclines : 2;
        if (gate.respondentDeclines >= limit) {
          gate.declineEscalationsSent += 1;
          rec.event('escalated', 'system', { gateId: gate.id, data: { declines: gate.respondentDeclines } });
          rec.notify('escalation', [coordinatorOrg(s)], { gateTitle: gate.title, detail: 'repeated-declines' });
        }
        return;
      }
    }
  }
  if (gate.kind === 'agreement') {
    const a = gate.agreement;
    switch (action.type) {
      case 'publish_agreement':
        publish(a, action.document);
        rec.event('agreement_published', by, { gateId: gate.id, data: { version: a.version, contentHash: action.document.contentHash } });
        rec.notify('action-required', a.signatories, { gateTitle: `${gate.title} (v${a.version})`, dueAt: gate.dueAt, detail: 'sign' });
        return;
      case 'sign':
        sign(a, action.actor.organisationId, by, rec.now);
        rec.event('agreement_signed', by, { gateId: gate.id, data: { version: a.version } });
        if (a.executedAt !== undefined) {
          rec.event('agreement_executed', 'system', { gateId: gate.id, data: { version: a.version } });
          rec.notify('case-update', a.signatories, { gateTitle: gate.title, detail: 'agreement-executed' });
          done(s, gate, rec);
        }
        return;
      case 'request_changes':
        requestChanges(a, action.actor.organisationId, by, action.commentRef, rec.now);
        rec.event('agreement_changes_requested', by, { gateId: gate.id, textRef: action.commentRef, data: { version: a.version } });
        rec.notify('action-required', [coordinatorOrg(s)], { gateTitle: gate.title, detail: 'changes-requested' });
        return;
    }
  }
  if (gate.kind === 'match') {
    switch (action.type) {
      case 'propose_match':
        gate.shortlist = [...action.candidates];
        rec.event('match_shortlisted', by, { gateId: gate.id, data: { candidates: action.candidates.length } });
        proposeNext(s, gate, rec);
        return;
      case 'accept_match': {
        const proposal = gate.proposals.find((p) => p.status === 'open')!;
        proposal.status = 'accepted';
        proposal.answeredAt = rec.now;
        gate.shortlist = [];
        fillSlot(s, gate.fillsSlot, proposal.organisationId);
        rec.event('match_accepted', by, { gateId: gate.id, data: { organisationId: proposal.organisationId } });
        rec.notify('case-update', [coordinatorOrg(s)], { gateTitle: gate.title, detail: 'match-accepted' });
        return done(s, gate, rec);
      }
      case 'decline_match': {
        const proposal = gate.proposals.find((p) => p.status === 'open')!;
        proposal.status = 'declined';
        proposal.reasonRef = action.reasonRef;
        proposal.answeredAt = rec.now;
        gate.declines += 1;
        rec.event('match_declined', by, { gateId: gate.id, textRef: action.reasonRef, data: { organisationId: proposal.organisationId } });
        proposeNext(s, gate, rec);
        return;
      }
    }
  }
  if (action.type === 'submit_checkin' && gate.kind === 'checkins') {
    const report = gate.reports[action.reportIndex]!;
    report.submittedAt = rec.now;
    report.reportRef = action.reportRef;
    rec.event('checkin_submitted', by, { gateId: gate.id, data: { report: report.index + 1 } });
    settleCheckins(s, gate, rec);
  }
}
