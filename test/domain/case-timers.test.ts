/** The case's clock with a fake `now`: reminders, escalations, offer lapses, check-ins, holds. */
import { describe, expect, it } from 'vitest';
import { Recorder } from '../../domain/case-effects.js';
import type { CaseState, CheckinsGateState } from '../../domain/case-model.js';
import { beginHold, endHold, nextWake, tick } from '../../domain/case-timers.js';
import { DAY, ORG, T0, act, actor, driveTo, iso, makeCase } from './helpers.js';

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
    held.hold = { since: T0, reason: 'medical check', by: 'person-coordinator' };
    expect(nextWake(held)).toBeUndefined();
    expect(tickAt(held, T0 + 30 * DAY).events).toEqual([]);
    expect(held.gates[0]!).toMatchObject({ remindersSent: 0, escalationsSent: 0 });

    const paused = makeCase({ programmeId: 'prog-1' }).s;
    paused.programmePausedSince = T0;
    expect(nextWake(paused)).toBeUndefined();
    expect(tickAt(paused, T0 + 30 * DAY).events).toEqual([]);
  });

  it('nothing is scheduled once the case is final', () => {
    const { s } = makeCase();
    act(s, { type: 'withdraw', actor: actor('coordinator'), reason: 'moved on' }, T0);
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
    const { s } = makeCase(); // eligibility due at day 14
    act(s, { type: 'hold', actor: actor('coordinator'), reason: 'medical report' }, T0 + 1 * DAY);
    s.programmePausedSince = T0 + 2 * DAY;
    beginHold(s, T0 + 2 * DAY);
    act(s, { type: 'resume', actor: actor('coordinator') }, T0 + 3 * DAY);
    expect(s.gates[0]!.dueAt).toBe(T0 + 14 * DAY); // still paused: nothing moves yet
    s.programmePausedSince = undefined;
    endHold(s, T0 + 5 * DAY);
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
    act(s, { type: 'extend', gateId: 'checkins', actor: actor('coordinator'), dueAt: iso(T0 + 60 * DAY), reason: 'family moved' }, T0 + 45 * DAY);
    expect(gate.dueAt).toBe(T0 + 60 * DAY);
    expect(gate.reports[0]!).toMatchObject({ dueAt: T0 + 46 * DAY, escalationsSent: 0 });
    expect(gate.reports[1]!.dueAt).toBe(T0 + 90 * DAY);
    expect(nextWake(s)).toBe(T0 + 60 * DAY);
  });
});
