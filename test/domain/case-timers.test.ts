/** The case's clock with a fake `now`: reminders, escalations, offer lapses, check-ins, holds. */
import { describe, expect, it } from 'vitest';
import { Recorder } from '../../domain/case-effects.js';
import { applyProgrammeStatus } from '../../domain/case-lifecycle.js';
import { durationMs } from '../../domain/duration.js';
import { type CaseState, type CheckinsGateState, type HousingGateState } from '../../domain/case-model.js';
import { beginHold, endHold, nextWake, tick } from '../../domain/case-timers.js';
import { caseView } from '../../domain/case-view.js';
import { DAY, ORG, T0, act, actor, driveTo, iso, makeCase, offer, text } from './helpers.js';
import { refuseAction } from './refusal-words.js';
import { waitingOn } from '../../domain/case-turn.js';

/** Ticks at `at` and returns the kinds of events it recorded. */
function tickAt(s: CaseState, at: number) {
  const rec = new Recorder(s, s.caseId, at);
  tick(s, rec);
  return rec.effects;
}
const kinds = (e: { events: { kind: string }[] }) => e.events.map((x) => x.kind);

describe('case timers: a two-week gate', () => {
  it('reminds at 7 and 12 days and escalates at 14 and 21 days', () => {
    const { s } = makeCase();
    const gate = s.gates[0]!;
    expect(nextWake(s)).toBe(T0 + 7 * DAY);
    expect(kinds(tickAt(s, T0 + 6 * DAY))).toEqual([]);

    const first = tickAt(s, T0 + 7 * DAY);
    expect(kinds(first)).toEqual(['reminder_sent']);
    expect(first.notifications).toMatchObject([{ template: 'reminder', organisationIds: [ORG.coordinator], dueAt: T0 + 14 * DAY }]);
    expect(nextWake(s)).toBe(T0 + 12 * DAY);

    expect(kinds(tickAt(s, T0 + 12 * DAY))).toEqual(['reminder_sent']);
    expect(gate.remindersSent).toBe(2);
    expect(nextWake(s)).toBe(T0 + 14 * DAY);

    const escalation = tickAt(s, T0 + 14 * DAY);
    expect(kinds(escalation)).toEqual(['escalated']);
    expect(escalation.notifications).toMatchObject([{ template: 'escalation', organisationIds: [ORG.coordinator], detail: 'overdue' }]);
    expect(nextWake(s)).toBe(T0 + 21 * DAY);

    expect(kinds(tickAt(s, T0 + 21 * DAY))).toEqual(['escalated']);
    expect(gate.escalationsSent).toBe(2);
    expect(nextWake(s)).toBe(T0 + 28 * DAY);
  });

  it('sends one reminder, not several, for reminder points missed in a gap', () => {
    const { s } = makeCase();
    const fx = tickAt(s, T0 + 13 * DAY);
    expect(kinds(fx)).toEqual(['reminder_sent']);
    expect(fx.notifications).toHaveLength(1);
    expect(s.gates[0]!.remindersSent).toBe(2);
    expect(nextWake(s)).toBe(T0 + 14 * DAY);
  });

  it('after a gap past the due date sends no late reminder and one escalation', () => {
    const { s } = makeCase();
    const fx = tickAt(s, T0 + 30 * DAY);
    expect(kinds(fx)).toEqual(['escalated']);
    expect(s.gates[0]!).toMatchObject({ remindersSent: 2, escalationsSent: 3 });
    expect(nextWake(s)).toBe(T0 + 35 * DAY);
  });

  it('fires nothing while the case is on hold or its programme is paused', () => {
    const held = makeCase().s;
    held.hold = { since: T0, reasonRef: text(), by: 'person-coordinator' };
    expect(nextWake(held)).toBeUndefined();
    expect(tickAt(held, T0 + 30 * DAY).events).toEqual([]);
    expect(held.gates[0]!).toMatchObject({ remindersSent: 0, escalationsSent: 0 });

    const paused = makeCase({ programmeId: 'prog-1' }).s;
    applyProgrammeStatus(paused, { epoch: 1, paused: true }, new Recorder(paused, paused.caseId, T0));
    expect(nextWake(paused)).toBeUndefined();
    expect(tickAt(paused, T0 + 30 * DAY).events).toEqual([]);
  });

  it('nothing is scheduled once the case is final', () => {
    const { s } = makeCase();
    act(s, { type: 'withdraw', actor: actor('coordinator'), reasonRef: text() }, T0);
    expect(nextWake(s)).toBeUndefined();
    expect(tickAt(s, T0 + 30 * DAY).events).toEqual([]);
  });

  it('ending a hold moves due dates, and the reminders with them', () => {
    const { s } = makeCase();
    beginHold(s, T0);
    expect(endHold(s, T0 + 5 * DAY)).toBe(5 * DAY);
    expect(s.gates[0]!.dueAt).toBe(T0 + 19 * DAY);
    expect(nextWake(s)).toBe(T0 + 12 * DAY);
    expect(kinds(tickAt(s, T0 + 11 * DAY))).toEqual([]);
  });
});

describe('case timers: holds and pauses that overlap', () => {
  it('a hold and a programme pause that overlap move deadlines by the whole unbroken time held', () => {
    const { s } = makeCase({ programmeId: 'prog-1' }); // eligibility due at day 14
    act(s, { type: 'hold', actor: actor('coordinator'), reasonRef: text() }, T0 + 1 * DAY);
    applyProgrammeStatus(s, { epoch: 1, paused: true }, new Recorder(s, s.caseId, T0 + 2 * DAY));
    act(s, { type: 'resume', actor: actor('coordinator') }, T0 + 3 * DAY);
    expect(s.gates[0]!.dueAt).toBe(T0 + 14 * DAY); // still paused: nothing moves yet
    applyProgrammeStatus(s, { epoch: 2, paused: false }, new Recorder(s, s.caseId, T0 + 5 * DAY));
    expect(s.heldSince).toBeUndefined();
    expect(s.gates[0]!.dueAt).toBe(T0 + 18 * DAY);
  });

  it('a gate opened during the hold moves only by the time since it opened', () => {
    const { s } = makeCase();
    beginHold(s, T0);
    s.gates[0]!.openedAt = T0 + 10 * DAY;
    s.gates[0]!.dueAt = T0 + 24 * DAY;
    endHold(s, T0 + 11 * DAY);
    expect(s.gates[0]!.dueAt).toBe(T0 + 25 * DAY);
  });
});

describe('case timers: a due date set during a hold stands as set', () => {
  const hold = (s: CaseState, at: number) => act(s, { type: 'hold', actor: actor('coordinator'), reasonRef: text('hold') }, at);
  const resume = (s: CaseState, at: number) => act(s, { type: 'resume', actor: actor('coordinator') }, at);
  const extend = (s: CaseState, gateId: string, dueAt: number, at: number) =>
    act(s, { type: 'extend', gateId, actor: actor('coordinator'), dueAt: iso(dueAt), reasonRef: text('extend') }, at);

  it('held on 1 February, extended to 1 March during the hold, resumed on 1 April: due on 1 March', () => {
    const at = (date: string) => Date.parse(`2030-${date}T09:00:00.000Z`);
    const { s } = makeCase({ now: at('01-20') }); // eligibility due on 3 February
    hold(s, at('02-01'));
    extend(s, 'eligibility', at('03-01'), at('02-10'));
    resume(s, at('04-01'));
    expect(s.gates[0]!.dueAt).toBe(at('03-01'));
    expect(caseView(s, at('04-01')).gates[0]).toMatchObject({ dueAt: iso(at('03-01')), stuck: true, daysOverdue: 31 });
  });

  it('the gates not extended during the hold still move by the time held', () => {
    const { s } = makeCase();
    driveTo(s, 'commitment', T0); // sponsor plan due at day 14, municipal consent at day 42
    hold(s, T0 + DAY);
    extend(s, 'sponsor-plan', T0 + 20 * DAY, T0 + 2 * DAY);
    resume(s, T0 + 11 * DAY);
    expect(s.gates.map((g) => [g.id, (g.dueAt - T0) / DAY])).toEqual([
      ['sponsor-plan', 20],
      ['municipal-consent', 52],
    ]);
  });

  it('a due date set before the hold moves like any other', () => {
    const { s } = makeCase();
    extend(s, 'eligibility', T0 + 20 * DAY, T0 + DAY);
    hold(s, T0 + 2 * DAY);
    resume(s, T0 + 7 * DAY);
    expect(s.gates[0]!.dueAt).toBe(T0 + 25 * DAY);
  });

  it('so does a due date set during an earlier hold, once a later hold ends', () => {
    const { s } = makeCase();
    hold(s, T0 + DAY);
    extend(s, 'eligibility', T0 + 20 * DAY, T0 + 2 * DAY);
    resume(s, T0 + 3 * DAY);
    expect(s.gates[0]!.dueAt).toBe(T0 + 20 * DAY);
    hold(s, T0 + 4 * DAY);
    resume(s, T0 + 6 * DAY);
    expect(s.gates[0]!.dueAt).toBe(T0 + 22 * DAY);
  });

  it('the same for a programme pause', () => {
    const { s } = makeCase({ programmeId: 'prog-1' });
    applyProgrammeStatus(s, { epoch: 1, paused: true }, new Recorder(s, s.caseId, T0 + DAY));
    expect(refuseAction(s, { type: 'extend', gateId: 'eligibility', actor: actor('coordinator'), dueAt: iso(T0 + 30 * DAY), reasonRef: text() }, T0 + 2 * DAY)).toBeUndefined();
    extend(s, 'eligibility', T0 + 30 * DAY, T0 + 2 * DAY);
    applyProgrammeStatus(s, { epoch: 2, paused: false }, new Recorder(s, s.caseId, T0 + 10 * DAY));
    expect(s.gates[0]!.dueAt).toBe(T0 + 30 * DAY);
  });

  it('a check-in extended during a hold keeps its date; the later reports and the support period move', () => {
    const { s } = makeCase();
    driveTo(s, 'support', T0);
    const gate = s.gates[0] as CheckinsGateState;
    tickAt(s, T0 + 45 * DAY); // report 1 (due day 30, deadline day 44) is missed
    hold(s, T0 + 45 * DAY);
    extend(s, 'checkins', T0 + 60 * DAY, T0 + 46 * DAY);
    resume(s, T0 + 56 * DAY);
    expect(gate.dueAt).toBe(T0 + 60 * DAY);
    expect(gate.reports.map((r) => (r.dueAt - T0) / DAY)).toEqual([46, 101, 191, 371]);
    expect(gate.endsAt).toBe(T0 + 371 * DAY);
  });
});

describe('case timers: housing offers', () => {
  it('reminds before an open offer lapses, then lapses it', () => {
    const { s } = makeCase();
    driveTo(s, 'housing', T0);
    act(s, { type: 'offer_housing', gateId: 'housing', actor: actor('municipality'), offer: { offerId: 'o1', rooms: 2, accessible: true, availableFrom: '2030-05-01', validUntil: iso(T0 + 10 * DAY) } }, T0);
    expect(nextWake(s)).toBe(T0 + 7 * DAY); // 3 days before it lapses
    const reminder = tickAt(s, T0 + 7 * DAY);
    expect(kinds(reminder)).toEqual(['offer_expiry_reminder']);
    expect(reminder.notifications).toMatchObject([{ template: 'offer-expiring', organisationIds: [ORG.sponsor] }]);
    expect(nextWake(s)).toBe(T0 + 10 * DAY);
    const lapse = tickAt(s, T0 + 10 * DAY);
    expect(kinds(lapse)).toEqual(['housing_offer_lapsed']);
    expect(lapse.notifications).toMatchObject([{ template: 'offer-lapsed', organisationIds: [ORG.sponsor, ORG.municipality] }]);
    expect(nextWake(s)).toBe(T0 + 28 * DAY); // the gate's own first reminder (4 weeks)
  });

  const withOffer = (validForDays: number, opts: { programmeId?: string } = {}) => {
    const { s } = makeCase(opts);
    driveTo(s, 'housing', T0); // the housing gate is due at day 42
    act(s, { type: 'offer_housing', gateId: 'housing', actor: actor('municipality'), offer: offer('o1', T0, validForDays) }, T0);
    return { s, gate: s.gates[0] as HousingGateState };
  };

  it('an open offer lapses on its date while the case is held, and the hold does not move that date', () => {
    const { s, gate } = withOffer(10);
    act(s, { type: 'hold', actor: actor('coordinator'), reasonRef: text() }, T0 + 2 * DAY);
    expect(nextWake(s)).toBe(T0 + 10 * DAY);
    expect(tickAt(s, T0 + 9 * DAY).events).toEqual([]); // no expiry reminder while held
    const lapse = tickAt(s, T0 + 10 * DAY);
    expect(kinds(lapse)).toEqual(['housing_offer_lapsed']);
    expect(lapse.notifications).toMatchObject([{ template: 'offer-lapsed', organisationIds: [ORG.sponsor, ORG.municipality] }]);
    expect(gate).toMatchObject({ remindersSent: 0, escalationsSent: 0 });
    // Only the municipal consent's validity (six months from its approval) runs on while held.
    expect(nextWake(s)).toBe(T0 + durationMs('6 months'));

    act(s, { type: 'resume', actor: actor('coordinator') }, T0 + 20 * DAY);
    expect(gate.offers[0]).toMatchObject({ status: 'lapsed', validUntil: T0 + 10 * DAY });
    expect(gate.dueAt).toBe(T0 + 60 * DAY); // the gate's own date moved by the 18 days held
    expect(waitingOn(s, gate, T0 + 20 * DAY)).toEqual([ORG.municipality]);
    expect(refuseAction(s, { type: 'accept_offer', gateId: 'housing', actor: actor('sponsor'), offerId: 'o1' }, T0 + 20 * DAY)).toBe(`offer o1 lapsed at ${iso(T0 + 10 * DAY)}`);
  });

  it('an offer still open when a hold ends keeps the date it was given', () => {
    const { s, gate } = withOffer(30);
    act(s, { type: 'hold', actor: actor('coordinator'), reasonRef: text() }, T0 + 2 * DAY);
    act(s, { type: 'resume', actor: actor('coordinator') }, T0 + 12 * DAY);
    expect(gate.offers[0]).toMatchObject({ status: 'open', validUntil: T0 + 30 * DAY });
    expect(caseView(s, T0 + 12 * DAY).gates[0]!.detail).toMatchObject({ offers: [{ offerId: 'o1', validUntil: iso(T0 + 30 * DAY) }] });
    expect(nextWake(s)).toBe(T0 + 27 * DAY); // its expiry reminder, 3 days before the unchanged date
  });

  it('an open offer lapses on its date while the programme is paused', () => {
    const { s, gate } = withOffer(10, { programmeId: 'prog-1' });
    applyProgrammeStatus(s, { epoch: 1, paused: true }, new Recorder(s, s.caseId, T0 + DAY));
    expect(nextWake(s)).toBe(T0 + 10 * DAY);
    expect(kinds(tickAt(s, T0 + 10 * DAY))).toEqual(['housing_offer_lapsed']);
    applyProgrammeStatus(s, { epoch: 2, paused: false }, new Recorder(s, s.caseId, T0 + 15 * DAY));
    expect(gate.offers[0]).toMatchObject({ status: 'lapsed', validUntil: T0 + 10 * DAY });
  });
});

describe('case timers: check-in reports', () => {
  const atSupport = () => {
    const { s } = makeCase();
    driveTo(s, 'support', T0);
    return { s, gate: s.gates[0] as CheckinsGateState };
  };

  it('announces a report when due, reminds after 7 days, and escalates a missed one at the end of the grace', () => {
    const { s, gate } = atSupport();
    expect(nextWake(s)).toBe(T0 + 30 * DAY);
    const due = tickAt(s, T0 + 30 * DAY);
    expect(kinds(due)).toEqual(['checkin_due']);
    expect(due.notifications).toMatchObject([{ template: 'action-required', organisationIds: [ORG.sponsor], dueAt: T0 + 44 * DAY }]);
    expect(nextWake(s)).toBe(T0 + 37 * DAY);
    expect(kinds(tickAt(s, T0 + 37 * DAY))).toEqual(['reminder_sent']);
    expect(nextWake(s)).toBe(T0 + 44 * DAY);
    const missed = tickAt(s, T0 + 44 * DAY);
    expect(kinds(missed)).toEqual(['checkin_missed']);
    expect(missed.notifications).toMatchObject([{ template: 'escalation', organisationIds: [ORG.coordinator], detail: 'checkin-missed' }]);
    expect(gate).toMatchObject({ remindersSent: 2, escalationsSent: 1 });
    expect(nextWake(s)).toBe(T0 + 51 * DAY);
  });

  it('ending a hold moves the support period and the reports not yet in', () => {
    const { s, gate } = atSupport();
    act(s, { type: 'submit_checkin', gateId: 'checkins', actor: actor('sponsor'), reportIndex: 0, reportRef: 'r0' }, T0 + 30 * DAY);
    beginHold(s, T0 + 30 * DAY);
    endHold(s, T0 + 40 * DAY);
    expect(gate.reports.map((r) => (r.dueAt - T0) / DAY)).toEqual([30, 100, 190, 370]);
    expect(gate.endsAt).toBe(T0 + 370 * DAY);
    expect(gate.dueAt).toBe(T0 + 114 * DAY);
  });

  it('an extension gives the overdue report the extra time and stops the escalations', () => {
    const { s, gate } = atSupport();
    tickAt(s, T0 + 45 * DAY);
    expect(gate.reports[0]!.escalationsSent).toBe(1);
    act(s, { type: 'extend', gateId: 'checkins', actor: actor('coordinator'), dueAt: iso(T0 + 60 * DAY), reasonRef: text() }, T0 + 45 * DAY);
    expect(gate.dueAt).toBe(T0 + 60 * DAY);
    expect(gate.reports[0]!).toMatchObject({ dueAt: T0 + 46 * DAY, escalationsSent: 0 });
    expect(gate.reports[1]!.dueAt).toBe(T0 + 90 * DAY);
    expect(nextWake(s)).toBe(T0 + 60 * DAY);
  });
});
