// Every open step is someone's visible turn, named by what to do, with the one date that party
// must meet: the answer the inbox, the board, the case page and the reminders share.
import { describe, expect, it } from 'vitest';
import { Recorder } from '../../domain/case-effects.js';
import { tick } from '../../domain/case-timers.js';
import { turnOf } from '../../domain/case-turn.js';
import { caseView } from '../../domain/case-view.js';
import type { CheckinsGateState, HousingGateState } from '../../domain/case-model.js';
import { act, actor, DAY, doc, driveTo, iso, makeCase, offer, ORG, OTHER_MUNICIPALITY, T0, text } from './helpers.js';

const atHousing = () => {
  const { s } = makeCase();
  driveTo(s, 'housing', T0);
  return { s, gate: s.gates[0] as HousingGateState };
};
const declineRequest = (who = actor('municipality')) => ({ type: 'decline_housing_request', gateId: 'housing', actor: who, reasonRef: text('no-room') }) as const;

describe('whose turn it is', () => {
  it('names a decision by the template’s instruction, for the party that decides, by the step’s due date', () => {
    const { s } = makeCase();
    const gate = s.gates[0]!;
    expect(turnOf(s, gate, T0)).toEqual({ todo: 'decide', text: 'Decide on eligibility', organisations: [ORG.coordinator], dueAt: gate.dueAt });
  });

  it('a housing step: the municipality offers; the respondent answers by the day the offer lapses (one deadline)', () => {
    const { s, gate } = atHousing();
    expect(turnOf(s, gate, T0)).toEqual({ todo: 'make-offer', organisations: [ORG.municipality], dueAt: gate.dueAt });
    act(s, { type: 'offer_housing', gateId: 'housing', actor: actor('municipality'), offer: offer('o1', T0, 5) }, T0);
    expect(turnOf(s, gate, T0)).toEqual({ todo: 'answer-offer', organisations: [ORG.sponsor], dueAt: T0 + 5 * DAY });
    const view = caseView(s, T0).gates[0]!;
    expect(view.turn).toMatchObject({ todo: 'answer-offer', dueAt: iso(T0 + 5 * DAY) });
    expect(caseView(s, T0).nextDueAt).toBe(iso(T0 + 5 * DAY));
  });

  it('a declined housing request leaves the municipality: the coordinator chooses another, whose turn it then is', () => {
    const { s, gate } = atHousing();
    act(s, declineRequest(), T0 + DAY);
    expect(turnOf(s, gate, T0 + DAY)).toEqual({ todo: 'choose-another', declinedBy: ORG.municipality, organisations: [ORG.coordinator], dueAt: gate.dueAt });
    expect(caseView(s, T0 + DAY).waitingOn).toEqual([ORG.coordinator]);
    act(s, { type: 'reassign', gateId: 'housing', actor: actor('coordinator'), organisationId: OTHER_MUNICIPALITY, reasonRef: text('other') }, T0 + 2 * DAY);
    expect(turnOf(s, gate, T0 + 2 * DAY)).toMatchObject({ todo: 'make-offer', organisations: [OTHER_MUNICIPALITY] });
  });

  it('a municipality that declined and then offers after all is answered as any offer; its answer does not bring the decline back', () => {
    const { s, gate } = atHousing();
    act(s, declineRequest(), T0);
    act(s, { type: 'offer_housing', gateId: 'housing', actor: actor('municipality'), offer: offer('o1', T0 + DAY) }, T0 + DAY);
    expect(turnOf(s, gate, T0 + DAY)).toMatchObject({ todo: 'answer-offer', organisations: [ORG.sponsor] });
    act(s, { type: 'decline_offer', gateId: 'housing', actor: actor('sponsor'), offerId: 'o1', reasonRef: text('too small') }, T0 + 2 * DAY);
    expect(turnOf(s, gate, T0 + 2 * DAY)).toMatchObject({ todo: 'make-offer', organisations: [ORG.municipality] });
  });

  it('an agreement is the coordinator’s to publish, then each unsigned party’s to sign that version', () => {
    const { s } = makeCase();
    driveTo(s, 'agreement', T0);
    const gate = s.gates[0]!;
    expect(turnOf(s, gate, T0)).toMatchObject({ todo: 'publish-agreement', organisations: [ORG.coordinator] });
    act(s, { type: 'publish_agreement', gateId: 'sponsorship-agreement', actor: actor('coordinator'), document: doc(1) }, T0);
    act(s, { type: 'sign', gateId: 'sponsorship-agreement', actor: actor('sponsor'), version: 1 }, T0);
    expect(turnOf(s, gate, T0)).toMatchObject({ todo: 'sign-agreement', version: 1, organisations: [ORG.municipality, ORG.coordinator] });
  });

  it('a check-in report is nobody’s turn before it is due, then the sponsor’s: "report 2 of 4", by its deadline', () => {
    const { s } = makeCase();
    driveTo(s, 'support', T0);
    const gate = s.gates[0] as CheckinsGateState;
    expect(turnOf(s, gate, T0)).toBeUndefined();
    expect(caseView(s, T0).gates[0]!.turn).toBeNull();
    const due = gate.reports[0]!.dueAt;
    tick(s, new Recorder(s, s.caseId, due));
    expect(turnOf(s, gate, due)).toEqual({ todo: 'send-report', report: 1, of: 4, organisations: [ORG.sponsor], dueAt: gate.dueAt });
    expect(gate.dueAt).toBeGreaterThan(due);
    act(s, { type: 'submit_checkin', gateId: 'checkins', actor: actor('sponsor'), reportIndex: 0, reportRef: 'r1' }, due + DAY);
    expect(turnOf(s, gate, due + DAY)).toBeUndefined();
    const second = gate.reports[1]!.dueAt;
    expect(turnOf(s, gate, second)).toMatchObject({ todo: 'send-report', report: 2, of: 4 });
  });

  it('nobody’s turn at a closed step', () => {
    const { s } = makeCase();
    const gate = s.gates[0]!;
    act(s, { type: 'decide', gateId: 'eligibility', actor: actor('coordinator'), outcome: 'approve' }, T0);
    expect(turnOf(s, gate, T0)).toBeUndefined();
  });
});
