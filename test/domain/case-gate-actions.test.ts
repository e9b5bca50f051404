/** The housing, agreement and check-in gates: each refusal of their validators, and their effects. */
import { describe, expect, it } from 'vitest';
import { refusePublish, refuseSign } from '../../domain/agreement.js';
import { refuseAction } from '../../domain/case-actions.js';
import { Recorder } from '../../domain/case-effects.js';
import { advance } from '../../domain/case-lifecycle.js';
import { waitingOn, type AgreementGateState, type CheckinsGateState, type HousingGateState } from '../../domain/case-model.js';
import { tick } from '../../domain/case-timers.js';
import { DAY, ORG, T0, act, actor, doc, driveTo, iso, makeCase, offer } from './helpers.js';

describe('housing gate', () => {
  const atHousing = () => {
    const { s } = makeCase();
    driveTo(s, 'housing', T0);
    return { s, gate: s.gates[0] as HousingGateState };
  };
  const offerAction = (offerId: string, validUntil: string, who = actor('municipality')) =>
    ({ type: 'offer_housing', gateId: 'housing', actor: who, offer: { ...offer(offerId, T0), validUntil } }) as const;
  const accept = (offerId: string, who = actor('sponsor')) => ({ type: 'accept_offer', gateId: 'housing', actor: who, offerId }) as const;
  const decline = (offerId: string, reason: string) => ({ type: 'decline_offer', gateId: 'housing', actor: actor('sponsor'), offerId, reason }) as const;

  it('refuses offers by others, offers valid until a past date or no date, and offers while one is open', () => {
    const { s } = atHousing();
    expect(refuseAction(s, offerAction('o1', iso(T0 + 10 * DAY), actor('sponsor')), T0)).toMatch(/your organisation does not act at gate "housing" now/);
    expect(refuseAction(s, offerAction('o1', iso(T0 - DAY)), T0)).toMatch(/validUntil must be a date in the future/);
    expect(refuseAction(s, offerAction('o1', 'end of the month'), T0)).toMatch(/validUntil must be a date in the future/);
    const rec = act(s, offerAction('o1', iso(T0 + 10 * DAY)), T0);
    expect(rec.effects.notifications).toMatchObject([{ template: 'offer-made', organisationIds: [ORG.sponsor] }]);
    expect(waitingOn(s, s.gates[0]!, T0)).toEqual([ORG.sponsor]);
    expect(refuseAction(s, offerAction('o2', iso(T0 + 10 * DAY)), T0)).toMatch(`offer o1 is open until ${iso(T0 + 10 * DAY)}; wait for the answer or its lapse`);
    expect(refuseAction(s, { type: 'decline_housing_request', gateId: 'housing', actor: actor('municipality'), reason: 'full' }, T0)).toMatch(/offer o1 is open until/);
  });

  it('refuses answers by the municipality, to unknown offers, without a reason, or to an offer already declined', () => {
    const { s, gate } = atHousing();
    act(s, offerAction('o1', iso(T0 + 10 * DAY)), T0);
    expect(refuseAction(s, accept('o1', actor('municipality')), T0)).toMatch(/your organisation does not act at gate "housing" now/);
    expect(refuseAction(s, accept('o9'), T0)).toMatch(/there is no offer o9 at this gate/);
    expect(refuseAction(s, decline('o1', '  '), T0)).toMatch(/declining an offer needs a reason/);
    const rec = act(s, decline('o1', 'too far from school'), T0 + DAY);
    expect(gate.offers[0]).toMatchObject({ status: 'declined', reason: 'too far from school' });
    expect(rec.effects.notifications).toMatchObject([{ template: 'action-required', organisationIds: [ORG.municipality], detail: 'offer-declined' }]);
    expect(refuseAction(s, accept('o1'), T0 + DAY)).toMatch(/offer o1 was already declined/);
    expect(refuseAction(s, offerAction('o1', iso(T0 + 10 * DAY)), T0 + DAY)).toMatch(/offer o1 was already made/);
  });

  it('refuses accepting a lapsed offer, before and after the timer marks it lapsed', () => {
    const { s, gate } = atHousing();
    act(s, offerAction('o1', iso(T0 + 10 * DAY)), T0);
    expect(refuseAction(s, accept('o1'), T0 + 10 * DAY + 1)).toMatch(`offer o1 lapsed at ${iso(T0 + 10 * DAY)}`);
    tick(s, new Recorder(s, s.caseId, T0 + 10 * DAY));
    expect(gate.offers[0]!.status).toBe('lapsed');
    expect(refuseAction(s, accept('o1'), T0 + 10 * DAY)).toMatch(/offer o1 lapsed at/);
    expect(waitingOn(s, gate, T0 + 10 * DAY)).toEqual([ORG.municipality]);
  });

  it('escalates to the coordinator after two declined offers, and an accepted offer closes the gate', () => {
    const { s, gate } = atHousing();
    act(s, offerAction('o1', iso(T0 + 10 * DAY)), T0);
    expect(act(s, decline('o1', 'stairs'), T0).effects.events.map((e) => e.kind)).toEqual(['housing_offer_declined']);
    act(s, offerAction('o2', iso(T0 + 10 * DAY)), T0);
    const rec = act(s, decline('o2', 'too small'), T0);
    expect(rec.effects.events.map((e) => e.kind)).toEqual(['housing_offer_declined', 'escalated']);
    expect(rec.effects.notifications.map((n) => [n.template, n.organisationIds])).toContainEqual(['escalation', [ORG.coordinator]]);
    expect(gate.declineEscalationsSent).toBe(1);
    act(s, offerAction('o3', iso(T0 + 10 * DAY)), T0);
    act(s, accept('o3'), T0 + DAY);
    expect(gate.status).toBe('done');
    expect(s.gates[0]!.id).toBe('sponsorship-agreement');
  });
});

describe('agreement gate', () => {
  const atAgreement = () => {
    const { s } = makeCase();
    driveTo(s, 'agreement', T0);
    return { s, gate: s.gates[0] as AgreementGateState };
  };
  const sign = (slot: 'sponsor' | 'municipality' | 'coordinator' | 'immigration', version: number) => ({ type: 'sign', gateId: 'sponsorship-agreement', actor: actor(slot), version }) as const;
  const publish = (n: number, who = actor('coordinator')) => ({ type: 'publish_agreement', gateId: 'sponsorship-agreement', actor: who, document: doc(n) }) as const;
  const changes = (comment: string) => ({ type: 'request_changes', gateId: 'sponsorship-agreement', actor: actor('municipality'), comment }) as const;

  it('refuses signing or asking changes before any version, and publishing by anyone but the coordinator', () => {
    const { s, gate } = atAgreement();
    expect(waitingOn(s, gate, T0)).toEqual([ORG.coordinator]);
    expect(refuseAction(s, sign('sponsor', 1), T0)).toMatch(/no version of the agreement has been published yet/);
    expect(refuseAction(s, changes('clause 3'), T0)).toMatch(/no version of the agreement has been published yet/);
    expect(refuseAction(s, publish(1, actor('sponsor')), T0)).toMatch(/only the case's coordinator publishes versions of the agreement/);
    expect(refuseAction(s, publish(1), T0)).toBeUndefined();
  });

  it('refuses a wrong version, a non-signatory, a second signature and an empty change request', () => {
    const { s, gate } = atAgreement();
    act(s, publish(1), T0);
    expect(refuseAction(s, sign('sponsor', 2), T0)).toMatch(/version 2 is not the current version \(1\); read the current version before signing/);
    expect(refuseAction(s, sign('immigration', 1), T0)).toMatch(/your organisation is not a signatory of this agreement/);
    act(s, sign('sponsor', 1), T0);
    expect(refuseAction(s, sign('sponsor', 1), T0)).toMatch(/your organisation has already signed version 1/);
    expect(refuseAction(s, changes('   '), T0)).toMatch(/a change request needs a comment/);
    const rec = act(s, changes('clause 3 names the wrong street'), T0);
    expect(gate.agreement.changeRequests).toMatchObject([{ organisationId: ORG.municipality, version: 1, comment: 'clause 3 names the wrong street' }]);
    expect(rec.effects.notifications).toMatchObject([{ template: 'action-required', organisationIds: [ORG.coordinator], detail: 'changes-requested' }]);
  });

  it('a new version voids earlier signatures; executed when all sign the current version', () => {
    const { s, gate } = atAgreement();
    act(s, publish(1), T0);
    act(s, sign('sponsor', 1), T0);
    act(s, sign('municipality', 1), T0);
    expect(waitingOn(s, gate, T0)).toEqual([ORG.coordinator]);
    act(s, publish(2), T0 + DAY);
    expect(gate.agreement.version).toBe(2);
    expect(waitingOn(s, gate, T0 + DAY)).toEqual([ORG.sponsor, ORG.municipality, ORG.coordinator]);
    expect(refuseAction(s, sign('sponsor', 1), T0 + DAY)).toMatch(/version 1 is not the current version \(2\)/);
    act(s, sign('sponsor', 2), T0 + DAY);
    act(s, sign('coordinator', 2), T0 + DAY);
    expect(gate.agreement.executedAt).toBeUndefined();
    const rec = act(s, sign('municipality', 2), T0 + 2 * DAY);
    expect(gate.agreement.executedAt).toBe(T0 + 2 * DAY);
    expect(gate.status).toBe('done');
    expect(rec.effects.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['agreement_signed', 'agreement_executed', 'stage_completed']));
    expect(s.gates[0]!.id).toBe('entry-visa');
  });

  it('refuses publishing once the agreement is executed', () => {
    const { s, gate } = atAgreement();
    const agreement = gate.agreement;
    driveTo(s, 'visa', T0);
    expect(agreement.executedAt).toBe(T0);
    expect(refusePublish(agreement)).toMatch(/the agreement is already executed; it cannot get a new version/);
    expect(refuseSign(agreement, ORG.sponsor, 1)).toMatch(/the agreement is already executed/);
    // The executed gate is done and the case moved on: the case-level validator refuses it as closed.
    expect(refuseAction(s, publish(2), T0)).toMatch(/gate "sponsorship-agreement" is not open: the case is in stage "visa"/);
  });
});

describe('check-in gate', () => {
  const atSupport = () => {
    const { s } = makeCase();
    driveTo(s, 'support', T0);
    return { s, gate: s.gates[0] as CheckinsGateState };
  };
  const submit = (reportIndex: number, who = actor('sponsor')) => ({ type: 'submit_checkin', gateId: 'checkins', actor: who, reportIndex, reportRef: `report-${reportIndex}` }) as const;

  it('opens with reports at 1, 3, 6 and 12 months and a deadline 14 days after the first', () => {
    const { gate } = atSupport();
    expect(gate.reports.map((r) => (r.dueAt - T0) / DAY)).toEqual([30, 90, 180, 360]);
    expect(gate.dueAt).toBe(T0 + 44 * DAY);
    expect(gate.endsAt).toBe(T0 + 360 * DAY);
  });

  it('refuses reports by another organisation, out of order, or too early', () => {
    const { s } = atSupport();
    expect(refuseAction(s, submit(0, actor('municipality')), T0 + 20 * DAY)).toMatch(/your organisation does not act at gate "checkins" now/);
    expect(refuseAction(s, submit(1), T0 + 20 * DAY)).toMatch(/the next report due is number 1 \(index 0\)/);
    expect(refuseAction(s, submit(0), T0 + 15 * DAY)).toMatch(`report 1 is due on ${iso(T0 + 30 * DAY)}; it can be submitted from ${iso(T0 + 16 * DAY)}`);
    expect(refuseAction(s, submit(0), T0 + 16 * DAY)).toBeUndefined();
  });

  it('moves the deadline with each report and completes the case when support ends', () => {
    const { s, gate } = atSupport();
    act(s, submit(0), T0 + 30 * DAY);
    expect(gate.dueAt).toBe(T0 + 104 * DAY);
    act(s, submit(1), T0 + 90 * DAY);
    act(s, submit(2), T0 + 180 * DAY);
    act(s, submit(3), T0 + 350 * DAY);
    expect(gate.status).toBe('open'); // the support period runs until day 360
    expect(refuseAction(s, submit(3), T0 + 351 * DAY)).toMatch(/every check-in report is already in/);
    const rec = new Recorder(s, s.caseId, T0 + 360 * DAY);
    tick(s, rec);
    advance(s, rec);
    expect(gate.status).toBe('done');
    expect(s.status).toBe('completed');
    expect(rec.effects.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['support_period_ended', 'case_completed']));
  });
});
