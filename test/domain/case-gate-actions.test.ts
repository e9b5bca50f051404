/** The housing, agreement and check-in gates: each refusal of their validators, and their effects. */
import { describe, expect, it } from 'vitest';
import { KEPT_CHANGE_REQUESTS } from '../../domain/agreement.js';
import type { CaseAction } from '../../domain/case-actions.js';
import { Recorder } from '../../domain/case-effects.js';
import { advance, newCaseState, startCase } from '../../domain/case-lifecycle.js';
import { KEPT_COMPLETED_STAGES, KEPT_OFFERS, type CaseState, type AgreementGateState, type CheckinsGateState, type DecisionGateState, type HousingGateState } from '../../domain/case-model.js';
import { tick } from '../../domain/case-timers.js';
import { caseView } from '../../domain/case-view.js';
import { PathwayTemplate } from '../../domain/pathway.js';
import { twoWeeks } from '../../domain/templates/policies.js';
import { DAY, ORG, T0, act, actor, deliverOutbox, doc, driveTo, iso, makeCase, offer, reply, text } from './helpers.js';
import { refuseAction, refusePublish, refuseSign } from './refusal-words.js';
import { waitingOn } from '../../domain/case-turn.js';

describe('decision gate', () => {
  const requestInfo = (n: number) => ({ type: 'decide', gateId: 'eligibility', actor: actor('coordinator'), outcome: 'request_info', reasonRef: text(n) }) as const;

  it('a request for information keeps the gate open, counts it and keeps only the newest', () => {
    const { s } = makeCase();
    const gate = s.gates[0] as DecisionGateState;
    const rec = act(s, requestInfo(1), T0 + DAY);
    expect(rec.effects.events).toMatchObject([{ kind: 'information_requested', gateId: 'eligibility', textRef: 'text-1' }]);
    expect(rec.effects.notifications).toMatchObject([{ template: 'case-update', organisationIds: [ORG.sponsor], detail: 'information-requested' }]);
    act(s, requestInfo(2), T0 + 2 * DAY);
    expect(gate).toMatchObject({ status: 'open', infoRequests: 2, lastInfoRequest: { reasonRef: 'text-2', by: 'person-coordinator', at: T0 + 2 * DAY } });
    expect(caseView(s, T0 + 2 * DAY).gates[0]!.detail).toMatchObject({ infoRequests: 2, lastInfoRequest: { reasonRef: 'text-2', at: iso(T0 + 2 * DAY) } });
  });

  it('a decision records the id of its reason, never the text', () => {
    const { s } = makeCase();
    const gate = s.gates[0] as DecisionGateState;
    const rec = act(s, { type: 'decide', gateId: 'eligibility', actor: actor('coordinator'), outcome: 'approve', reasonRef: text('why') }, T0);
    expect(gate.decision).toEqual({ outcome: 'approved', reasonRef: 'text-why', by: 'person-coordinator', at: T0 });
    expect(rec.effects.events[0]).toMatchObject({ kind: 'gate_approved', gateId: 'eligibility', textRef: 'text-why' });
    const { s: other } = makeCase();
    const rejected = other.gates[0] as DecisionGateState;
    act(other, { type: 'decide', gateId: 'eligibility', actor: actor('coordinator'), outcome: 'reject', reasonRef: text('no') }, T0);
    expect(rejected.decision).toEqual({ outcome: 'rejected', reasonRef: 'text-no', by: 'person-coordinator', at: T0 });
  });
});

describe('task gate', () => {
  it('a completion carries the id of its note', () => {
    const { s } = makeCase();
    driveTo(s, 'pre-departure', T0);
    const rec = act(s, { type: 'complete', gateId: 'orientation', actor: actor('iom'), noteRef: text('note') }, T0);
    expect(s.gates[0]).toMatchObject({ status: 'done', completion: { by: 'person-iom', noteRef: 'text-note', at: T0 } });
    expect(rec.effects.events).toMatchObject([{ kind: 'task_completed', gateId: 'orientation', textRef: 'text-note' }]);
  });
});

describe('housing gate', () => {
  const atHousing = () => {
    const { s } = makeCase();
    driveTo(s, 'housing', T0);
    return { s, gate: s.gates[0] as HousingGateState };
  };
  const offerAction = (offerId: string, validUntil: string, who = actor('municipality')) =>
    ({ type: 'offer_housing', gateId: 'housing', actor: who, offer: { ...offer(offerId, T0), validUntil } }) as const;
  const accept = (offerId: string, who = actor('sponsor')) => ({ type: 'accept_offer', gateId: 'housing', actor: who, offerId }) as const;
  const decline = (offerId: string, reasonRef: string) => ({ type: 'decline_offer', gateId: 'housing', actor: actor('sponsor'), offerId, reasonRef }) as const;

  it('refuses offers by others, offers valid until a past date or no date, and offers while one is open', () => {
    const { s } = atHousing();
    expect(refuseAction(s, offerAction('o1', iso(T0 + 10 * DAY), actor('sponsor')), T0)).toMatch(/your organisation does not act at gate "housing" now/);
    expect(refuseAction(s, offerAction('o1', iso(T0 - DAY)), T0)).toMatch(/validUntil must be a date in the future/);
    expect(refuseAction(s, offerAction('o1', 'end of the month'), T0)).toMatch(/validUntil must be a date in the future/);
    const rec = act(s, offerAction('o1', iso(T0 + 10 * DAY)), T0);
    expect(rec.effects.notifications).toMatchObject([{ template: 'offer-made', organisationIds: [ORG.sponsor] }]);
    expect(waitingOn(s, s.gates[0]!, T0)).toEqual([ORG.sponsor]);
    expect(refuseAction(s, offerAction('o2', iso(T0 + 10 * DAY)), T0)).toMatch(`offer o1 is open until ${iso(T0 + 10 * DAY)}; wait for the answer or its lapse`);
    expect(refuseAction(s, { type: 'decline_housing_request', gateId: 'housing', actor: actor('municipality'), reasonRef: text() }, T0)).toMatch(/offer o1 is open until/);
  });

  it('refuses answers by the municipality, to unknown offers, without a reason, or to an offer already declined', () => {
    const { s, gate } = atHousing();
    act(s, offerAction('o1', iso(T0 + 10 * DAY)), T0);
    expect(refuseAction(s, accept('o1', actor('municipality')), T0)).toMatch(/your organisation does not act at gate "housing" now/);
    expect(refuseAction(s, accept('o9'), T0)).toMatch(/there is no offer o9 at this gate/);
    expect(refuseAction(s, decline('o1', ''), T0)).toMatch(/declining an offer needs a reason/);
    expect(refuseAction(s, { type: 'decline_offer', gateId: 'housing', actor: actor('sponsor'), offerId: 'o1' } as CaseAction, T0)).toMatch(/declining an offer needs a reason/);
    const rec = act(s, decline('o1', text('school')), T0 + DAY);
    expect(gate.offers[0]).toMatchObject({ status: 'declined', reasonRef: 'text-school' });
    expect(rec.effects.events).toMatchObject([{ kind: 'housing_offer_declined', textRef: 'text-school', data: { offerId: 'o1' } }]);
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
    expect(act(s, decline('o1', text('stairs')), T0).effects.events.map((e) => e.kind)).toEqual(['housing_offer_declined']);
    act(s, offerAction('o2', iso(T0 + 10 * DAY)), T0);
    const rec = act(s, decline('o2', text('small')), T0);
    expect(rec.effects.events.map((e) => e.kind)).toEqual(['housing_offer_declined', 'escalated']);
    expect(rec.effects.events[1]!.data).toEqual({ declines: 2 });
    expect(rec.effects.notifications.map((n) => [n.template, n.organisationIds])).toContainEqual(['escalation', [ORG.coordinator]]);
    expect(gate.declineEscalationsSent).toBe(1);
    act(s, offerAction('o3', iso(T0 + 10 * DAY)), T0);
    act(s, accept('o3'), T0 + DAY);
    expect(gate.status).toBe('done');
    expect(s.gates[0]!.id).toBe('sponsorship-agreement');
  });

  it('a municipality without capacity says so: the coordinator is told, and the gate counts it and keeps the newest', () => {
    const { s, gate } = atHousing();
    const declineRequest = (n: number) => ({ type: 'decline_housing_request', gateId: 'housing', actor: actor('municipality'), reasonRef: text(n) }) as const;
    expect(refuseAction(s, { ...declineRequest(1), actor: actor('sponsor') }, T0)).toMatch(/your organisation does not act at gate "housing" now/);
    const rec = act(s, declineRequest(1), T0);
    expect(rec.effects.events).toMatchObject([{ kind: 'housing_request_declined', textRef: 'text-1' }]);
    expect(rec.effects.notifications).toMatchObject([{ template: 'escalation', organisationIds: [ORG.coordinator], detail: 'no-housing-capacity' }]);
    act(s, declineRequest(2), T0 + DAY);
    expect(gate).toMatchObject({ status: 'open', capacityDeclines: 2, lastCapacityDecline: { organisationId: ORG.municipality, reasonRef: 'text-2', at: T0 + DAY } });
    expect(caseView(s, T0 + DAY).gates[0]!.detail).toMatchObject({ capacityDeclines: 2, lastCapacityDecline: { reasonRef: 'text-2', at: iso(T0 + DAY) } });
  });

  it(`keeps the open offer and the newest ${KEPT_OFFERS} offers, and counts every one made`, () => {
    const { s, gate } = atHousing();
    for (let i = 1; i <= 7; i++) {
      act(s, offerAction(`o${i}`, iso(T0 + 10 * DAY)), T0);
      act(s, decline(`o${i}`, text(i)), T0);
    }
    act(s, offerAction('o8', iso(T0 + 10 * DAY)), T0);
    expect(gate.offers.map((o) => [o.offerId, o.status])).toEqual([
      ['o4', 'declined'],
      ['o5', 'declined'],
      ['o6', 'declined'],
      ['o7', 'declined'],
      ['o8', 'open'],
    ]);
    expect(gate).toMatchObject({ offersMade: 8, respondentDeclines: 7 });
    expect(caseView(s, T0).gates[0]!.detail).toMatchObject({ offersMade: 8, respondentDeclines: 7 });
    expect(waitingOn(s, gate, T0)).toEqual([ORG.sponsor]);
    act(s, accept('o8'), T0);
    expect(gate.status).toBe('done');
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
  const changes = (commentRef: string) => ({ type: 'request_changes', gateId: 'sponsorship-agreement', actor: actor('municipality'), commentRef }) as const;

  it('refuses signing or asking changes before any version, and publishing by anyone but the coordinator', () => {
    const { s, gate } = atAgreement();
    expect(waitingOn(s, gate, T0)).toEqual([ORG.coordinator]);
    expect(refuseAction(s, sign('sponsor', 1), T0)).toMatch(/no version of the agreement has been published yet/);
    expect(refuseAction(s, changes(text()), T0)).toMatch(/no version of the agreement has been published yet/);
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
    expect(refuseAction(s, changes(''), T0)).toMatch(/a change request needs a comment/);
    const rec = act(s, changes(text('street')), T0);
    expect(gate.agreement.changeRequests).toEqual([{ organisationId: ORG.municipality, personId: 'person-municipality', version: 1, commentRef: 'text-street', at: T0 }]);
    expect(gate.agreement.changeRequestCount).toBe(1);
    expect(rec.effects.events).toMatchObject([{ kind: 'agreement_changes_requested', textRef: 'text-street', data: { version: 1 } }]);
    expect(rec.effects.notifications).toMatchObject([{ template: 'action-required', organisationIds: [ORG.coordinator], detail: 'changes-requested' }]);
  });

  it('a new version voids earlier signatures; executed when all sign the current version', () => {
    const { s, gate } = atAgreement();
    act(s, publish(1), T0);
    act(s, sign('sponsor', 1), T0);
    act(s, sign('municipality', 1), T0);
    expect(waitingOn(s, gate, T0)).toEqual([ORG.coordinator]);
    expect(gate.agreement.signatures.map((x) => x.organisationId)).toEqual([ORG.sponsor, ORG.municipality]);
    act(s, publish(2), T0 + DAY);
    expect(gate.agreement.version).toBe(2);
    expect(gate.agreement.signatures).toEqual([]); // only the current version's are kept
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

  it(`counts every change request and keeps the newest ${KEPT_CHANGE_REQUESTS}`, () => {
    const { s, gate } = atAgreement();
    act(s, publish(1), T0);
    for (let i = 1; i <= 7; i++) act(s, changes(text(i)), T0 + i);
    expect(gate.agreement.changeRequestCount).toBe(7);
    expect(gate.agreement.changeRequests.map((c) => c.commentRef)).toEqual(['text-3', 'text-4', 'text-5', 'text-6', 'text-7']);
    expect(caseView(s, T0 + 7).gates[0]!.detail).toMatchObject({
      changeRequestCount: 7,
      changeRequests: expect.arrayContaining([{ organisationId: ORG.municipality, version: 1, commentRef: 'text-7', at: iso(T0 + 7) }]),
    });
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

describe('case state stays bounded', () => {
  /** The longest list anywhere in the state. */
  function longestList(value: unknown): number {
    if (Array.isArray(value)) return Math.max(value.length, ...value.map(longestList));
    if (value && typeof value === 'object') return Math.max(0, ...Object.values(value).map(longestList));
    return 0;
  }
  const MAX_STATE_CHARS = 50_000;

  it('however many actions a case sees: information requests, declined offers, change requests and new versions', () => {
    const { s } = makeCase({ programmeId: 'prog-1' });
    let now = T0;
    let largest = 0;
    const step = (action: CaseAction) => {
      now += 60_000;
      act(s, action, now);
      largest = Math.max(largest, JSON.stringify(s).length);
    };
    const N = 1_000;

    for (let i = 0; i < N; i++) step({ type: 'decide', gateId: 'eligibility', actor: actor('coordinator'), outcome: 'request_info', reasonRef: text(i) });
    expect(s.gates[0]).toMatchObject({ infoRequests: N, lastInfoRequest: { reasonRef: text(N - 1) } });
    step({ type: 'decide', gateId: 'eligibility', actor: actor('coordinator'), outcome: 'approve' });
    deliverOutbox(s, now, (m) => reply(m.kind === 'request_place' ? { place: 'reserved' } : {}));
    driveTo(s, 'housing', now);

    const housing = s.gates[0] as HousingGateState;
    for (let i = 0; i < N; i++) {
      step({ type: 'offer_housing', gateId: 'housing', actor: actor('municipality'), offer: offer(`o${i}`, now) });
      step({ type: 'decline_offer', gateId: 'housing', actor: actor('sponsor'), offerId: `o${i}`, reasonRef: text(i) });
    }
    expect(housing.offers).toHaveLength(KEPT_OFFERS);
    expect(housing).toMatchObject({ offersMade: N, respondentDeclines: N });
    driveTo(s, 'agreement', now);

    const agreement = (s.gates[0] as AgreementGateState).agreement;
    for (let i = 1; i <= N; i++) {
      step({ type: 'publish_agreement', gateId: 'sponsorship-agreement', actor: actor('coordinator'), document: doc(i) });
      step({ type: 'sign', gateId: 'sponsorship-agreement', actor: actor('sponsor'), version: i });
      step({ type: 'request_changes', gateId: 'sponsorship-agreement', actor: actor('municipality'), commentRef: text(i) });
    }
    expect(agreement).toMatchObject({ version: N, changeRequestCount: N });
    expect(agreement.changeRequests).toHaveLength(KEPT_CHANGE_REQUESTS);
    expect(agreement.signatures).toHaveLength(1);

    expect(longestList(s)).toBeLessThanOrEqual(KEPT_COMPLETED_STAGES);
    expect(largest).toBeLessThan(MAX_STATE_CHARS);
    expect(JSON.stringify(caseView(s, now)).length).toBeLessThan(MAX_STATE_CHARS);
  });

  it(`a case sent round the same stages again and again keeps the newest ${KEPT_COMPLETED_STAGES} completed stages`, () => {
    // Review, then a check whose rejection sends the case back to review.
    const loop = PathwayTemplate.parse({
      id: 'loop',
      name: 'Review loop',
      version: 1,
      parties: [{ id: 'coordinator', kind: 'coordinator', title: 'Coordinator' }],
      stages: [
        { id: 'review', title: 'Review', gates: [{ id: 'review', kind: 'decision', title: 'Review', actor: 'coordinator', time: twoWeeks }] },
        { id: 'check', title: 'Check', gates: [{ id: 'check', kind: 'decision', title: 'Check', actor: 'coordinator', time: twoWeeks, onReject: { action: 'divert', toStage: 'review' } }] },
      ],
    });
    const s: CaseState = newCaseState({ caseId: 'case-loop', reference: 'SR-L', template: loop, parties: { coordinator: ORG.coordinator } }, T0);
    startCase(s, new Recorder(s, s.caseId, T0));
    for (let i = 0; i < 100; i++) {
      act(s, { type: 'decide', gateId: 'review', actor: actor('coordinator'), outcome: 'approve' }, T0 + i);
      act(s, { type: 'decide', gateId: 'check', actor: actor('coordinator'), outcome: 'reject', reasonRef: text(i) }, T0 + i);
    }
    expect(s.status).toBe('active');
    expect(s.gates.map((g) => g.id)).toEqual(['review']);
    expect(s.completedStages).toHaveLength(KEPT_COMPLETED_STAGES);
    expect(s.completedStages.at(-1)).toEqual({ stageId: 'review', completedAt: T0 + 99 });
  });
});
