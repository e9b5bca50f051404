/** Each validator refusing each invalid coordinator or decision action, and what valid ones do. */
import { describe, expect, it } from 'vitest';
import { refuseAction } from '../../domain/case-actions.js';
import { Recorder } from '../../domain/case-effects.js';
import { grantPlace } from '../../domain/case-lifecycle.js';
import { caseView } from '../../domain/case-view.js';
import { ORG, OTHER_MUNICIPALITY, T0, DAY, act, actor, driveTo, iso, makeCase } from './helpers.js';

const approveEligibility = { type: 'decide', gateId: 'eligibility', actor: actor('coordinator'), outcome: 'approve' } as const;

describe('case actions: the case as a whole', () => {
  it('starts in eligibility with one open decision gate assigned to the coordinator', () => {
    const { s, rec } = makeCase();
    expect(s.status).toBe('active');
    expect(s.gates.map((g) => [g.id, g.kind, g.assignee, g.dueAt])).toEqual([['eligibility', 'decision', ORG.coordinator, T0 + 14 * DAY]]);
    expect(rec.effects.events.map((e) => e.kind)).toEqual(['case_opened', 'stage_entered', 'gate_opened']);
    expect(refuseAction(s, approveEligibility, T0)).toBeUndefined();
  });

  it('refuses everything once the case is final (withdrawn)', () => {
    const { s } = makeCase();
    const rec = act(s, { type: 'withdraw', actor: actor('coordinator'), reason: 'family found another route' }, T0);
    expect(s.status).toBe('withdrawn');
    expect(s.gates[0]!.status).toBe('rejected');
    expect(rec.effects.events.map((e) => e.kind)).toContain('case_withdrawn');
    expect(rec.effects.programme).toEqual([]);
    expect(refuseAction(s, approveEligibility, T0)).toMatch(/the case is withdrawn; no further actions are possible/);
    expect(refuseAction(s, { type: 'resume', actor: actor('coordinator') }, T0)).toMatch(/the case is withdrawn/);
  });

  it('refuses a hold when already held, and resume when not held', () => {
    const { s } = makeCase();
    expect(refuseAction(s, { type: 'resume', actor: actor('coordinator') }, T0)).toMatch(/^the case is not on hold$/);
    act(s, { type: 'hold', actor: actor('coordinator'), reason: 'medical check' }, T0);
    expect(refuseAction(s, { type: 'hold', actor: actor('coordinator'), reason: 'again' }, T0 + DAY)).toMatch(`the case is already on hold since ${iso(T0)}`);
    expect(refuseAction(s, { type: 'resume', actor: actor('coordinator') }, T0 + DAY)).toBeUndefined();
  });

  it('refuses resume while only the programme is paused', () => {
    const { s } = makeCase({ programmeId: 'prog-1' });
    s.programmePausedSince = T0;
    expect(refuseAction(s, { type: 'resume', actor: actor('coordinator') }, T0)).toMatch(/held because its programme is paused; resume the programme instead/);
  });

  it('resuming a hold moves every open deadline on by the time held', () => {
    const { s } = makeCase();
    act(s, { type: 'hold', actor: actor('coordinator'), reason: 'medical check' }, T0 + DAY);
    const rec = act(s, { type: 'resume', actor: actor('coordinator') }, T0 + 4 * DAY);
    expect(s.hold).toBeUndefined();
    expect(s.gates[0]!.dueAt).toBe(T0 + 17 * DAY);
    expect(rec.effects.events.find((e) => e.kind === 'case_resumed')?.data).toEqual({ heldDays: 3 });
  });

  it('refuses coordinator actions by anyone but the case coordinator', () => {
    const { s } = makeCase();
    const sponsor = actor('sponsor');
    const wrongRole = actor('coordinator', 'sponsor');
    expect(refuseAction(s, { type: 'withdraw', actor: sponsor, reason: 'x' }, T0)).toMatch(/only the case's coordinator can withdraw it/);
    expect(refuseAction(s, { type: 'hold', actor: wrongRole, reason: 'x' }, T0)).toMatch(/only the case's coordinator can put it on hold/);
    expect(refuseAction(s, { type: 'resume', actor: sponsor }, T0)).toMatch(/only the case's coordinator can resume it/);
    expect(refuseAction(s, { type: 'nudge', gateId: 'eligibility', actor: sponsor }, T0)).toMatch(/only the case's coordinator can nudge a gate/);
    expect(refuseAction(s, { type: 'extend', gateId: 'eligibility', actor: sponsor, dueAt: iso(T0 + 30 * DAY), reason: 'x' }, T0)).toMatch(/only the case's coordinator can extend a gate/);
    expect(refuseAction(s, { type: 'reassign', gateId: 'eligibility', actor: sponsor, organisationId: OTHER_MUNICIPALITY, reason: 'x' }, T0)).toMatch(/only the case's coordinator can reassign a gate/);
  });

  it('refuses an extension to a past date, an earlier date or not a date', () => {
    const { s } = makeCase();
    const extend = (dueAt: string) => refuseAction(s, { type: 'extend', gateId: 'eligibility', actor: actor('coordinator'), dueAt, reason: 'waiting for papers' }, T0 + DAY);
    expect(extend(iso(T0))).toMatch(/the new due date must be in the future/);
    expect(extend(iso(T0 + 10 * DAY))).toMatch(`the new due date must be later than the current one (${iso(T0 + 14 * DAY)})`);
    expect(extend('next tuesday')).toMatch(/dueAt is not a date/);
    expect(extend(iso(T0 + 30 * DAY))).toBeUndefined();
  });

  it('an extension moves the due date, resets escalations and skips reminders already behind', () => {
    const { s } = makeCase();
    const gate = s.gates[0]!;
    gate.escalationsSent = 2;
    act(s, { type: 'extend', gateId: 'eligibility', actor: actor('coordinator'), dueAt: iso(T0 + 28 * DAY), reason: 'waiting for papers' }, T0 + 22 * DAY);
    expect(gate.dueAt).toBe(T0 + 28 * DAY);
    expect(gate.escalationsSent).toBe(0);
    // reminders now fall at day 14+7 and 14+12: the first is behind us, the second is still to come
    expect(gate.remindersSent).toBe(1);
  });

  it('refuses reassigning a gate to the organisation it is already assigned to', () => {
    const { s } = makeCase();
    driveTo(s, 'commitment', T0);
    const reassign = (organisationId: string) => ({ type: 'reassign', gateId: 'municipal-consent', actor: actor('coordinator'), organisationId, reason: 'moved' }) as const;
    expect(refuseAction(s, reassign(ORG.municipality), T0)).toMatch(/the gate is already assigned to that organisation/);
    act(s, reassign(OTHER_MUNICIPALITY), T0);
    expect(s.gates.find((g) => g.id === 'municipal-consent')!.assignee).toBe(OTHER_MUNICIPALITY);
    expect(s.parties.municipality).toBe(OTHER_MUNICIPALITY);
  });

  it('a nudge reminds whoever the gate waits on', () => {
    const { s } = makeCase();
    const rec = act(s, { type: 'nudge', gateId: 'eligibility', actor: actor('coordinator') }, T0 + DAY);
    expect(rec.effects.notifications).toMatchObject([{ template: 'reminder', organisationIds: [ORG.coordinator], detail: 'nudge' }]);
  });
});

describe('case actions: gates', () => {
  it('refuses gate actions while the programme is paused, on hold, or waitlisted', () => {
    const paused = makeCase({ programmeId: 'prog-1' }).s;
    paused.programmePausedSince = T0;
    expect(refuseAction(paused, approveEligibility, T0)).toMatch(`the programme is paused since ${iso(T0)}; actions resume when it does`);

    const held = makeCase().s;
    act(held, { type: 'hold', actor: actor('coordinator'), reason: 'medical check' }, T0);
    expect(refuseAction(held, approveEligibility, T0)).toMatch(`the case is on hold since ${iso(T0)}: medical check`);

    const waiting = makeCase({ programmeId: 'prog-1' }).s;
    const rec = act(waiting, approveEligibility, T0);
    expect(waiting.status).toBe('waitlisted');
    expect(waiting.place).toBe('requested');
    expect(rec.effects.programme).toEqual(['request_place']);
    expect(refuseAction(waiting, { type: 'decide', gateId: 'sponsor-plan', actor: actor('coordinator'), outcome: 'approve' }, T0)).toMatch(/the case is waiting for a place in the programme/);
  });

  it('refuses unknown gates, gates of another stage and gates already decided', () => {
    const { s } = makeCase();
    expect(refuseAction(s, { type: 'decide', gateId: 'no-such-gate', actor: actor('coordinator'), outcome: 'approve' }, T0)).toMatch(/this pathway has no gate "no-such-gate"/);
    expect(refuseAction(s, { type: 'decide', gateId: 'sponsor-plan', actor: actor('coordinator'), outcome: 'approve' }, T0)).toMatch(/gate "sponsor-plan" is not open: the case is in stage "eligibility"/);
    driveTo(s, 'commitment', T0);
    act(s, { type: 'decide', gateId: 'sponsor-plan', actor: actor('coordinator'), outcome: 'approve' }, T0);
    expect(s.stageIndex).toBe(1); // municipal consent is still open
    expect(refuseAction(s, { type: 'decide', gateId: 'sponsor-plan', actor: actor('coordinator'), outcome: 'approve' }, T0)).toMatch(/gate "sponsor-plan" is already decided/);
    expect(refuseAction(s, { type: 'nudge', gateId: 'sponsor-plan', actor: actor('coordinator') }, T0)).toMatch(/already decided/);
  });

  it('refuses an action of the wrong kind for the gate, and an organisation that does not act there', () => {
    const { s } = makeCase();
    expect(refuseAction(s, { type: 'complete', gateId: 'eligibility', actor: actor('coordinator') }, T0)).toMatch(/gate "eligibility" is a decision gate; "complete" does not apply to it/);
    expect(refuseAction(s, { type: 'sign', gateId: 'eligibility', actor: actor('coordinator'), version: 1 }, T0)).toMatch(/is a decision gate; "sign" does not apply/);
    expect(refuseAction(s, { type: 'decide', gateId: 'eligibility', actor: actor('municipality'), outcome: 'approve' }, T0)).toMatch(/your organisation does not act at gate "eligibility" now/);
  });

  it('refuses a rejection without a reason', () => {
    const { s } = makeCase();
    expect(refuseAction(s, { type: 'decide', gateId: 'eligibility', actor: actor('coordinator'), outcome: 'reject' }, T0)).toMatch(/a rejection needs a reason/);
    expect(refuseAction(s, { type: 'decide', gateId: 'eligibility', actor: actor('coordinator'), outcome: 'reject', reason: '   ' }, T0)).toMatch(/a rejection needs a reason/);
    expect(refuseAction(s, { type: 'decide', gateId: 'eligibility', actor: actor('coordinator'), outcome: 'reject', reason: 'outside mandate' }, T0)).toBeUndefined();
  });

  it('a rejection at eligibility ends the case without touching the quota', () => {
    const { s } = makeCase({ programmeId: 'prog-1' });
    const rec = act(s, { type: 'decide', gateId: 'eligibility', actor: actor('coordinator'), outcome: 'reject', reason: 'outside mandate' }, T0 + DAY);
    expect(s.status).toBe('rejected');
    expect(s.outcome).toEqual({ status: 'rejected', reason: 'Eligibility decision: outside mandate', at: T0 + DAY });
    expect(rec.effects.programme).toEqual([]);
    expect(s.place).toBe('not_needed_yet');
    expect(caseView(s, T0 + DAY).nextStep).toMatch(/^closed: rejected/);
  });

  it('a rejection after a place was reserved ends the case and releases the place', () => {
    const { s } = makeCase({ programmeId: 'prog-1' });
    act(s, approveEligibility, T0);
    const granted = new Recorder(s, s.caseId, T0 + DAY);
    grantPlace(s, granted);
    expect(s.place).toBe('reserved');
    expect(s.status).toBe('active');
    expect(s.gates.map((g) => [g.id, g.dueAt])).toEqual([['sponsor-plan', T0 + 15 * DAY], ['municipal-consent', T0 + 43 * DAY]]);
    const rec = act(s, { type: 'decide', gateId: 'municipal-consent', actor: actor('municipality'), outcome: 'reject', reason: 'no capacity' }, T0);
    expect(s.status).toBe('rejected');
    expect(s.place).toBe('released');
    expect(rec.effects.programme).toEqual(['release_place']);
    expect(s.gates.map((g) => g.status)).toEqual(['rejected', 'rejected']);
  });

  it('withdrawing a waitlisted case gives back its place request', () => {
    const { s } = makeCase({ programmeId: 'prog-1' });
    act(s, approveEligibility, T0);
    const rec = act(s, { type: 'withdraw', actor: actor('coordinator'), reason: 'no longer needed' }, T0);
    expect(rec.effects.programme).toEqual(['release_place']);
    expect(s.place).toBe('released');
  });

  it('moves stage by stage and uses the place on arrival', () => {
    const { s } = makeCase({ programmeId: 'prog-1' });
    driveTo(s, 'arrival', T0);
    const rec = act(s, { type: 'complete', gateId: 'arrival', actor: actor('sponsor') }, T0 + DAY);
    expect(rec.effects.programme).toEqual(['use_place']);
    expect(s.place).toBe('used');
    expect(s.completedStages.map((c) => c.stageId)).toEqual(['eligibility', 'commitment', 'housing', 'agreement', 'visa', 'pre-departure', 'arrival']);
    expect(s.gates.map((g) => g.kind)).toEqual(['checkins']);
  });
});

describe('reassigning a slot', () => {
  it('moves every open gate where that organisation acts, not only the one named', () => {
    const { s } = makeCase();
    driveTo(s, 'pre-departure', T0);
    const NEW_IOM = '00000000-0000-4000-8000-0000000000aa';
    act(s, { type: 'reassign', gateId: 'orientation', actor: actor('coordinator'), organisationId: NEW_IOM, reason: 'office closed' }, T0);
    expect(s.gates.map((g) => [g.id, g.assignee])).toEqual([
      ['orientation', NEW_IOM],
      ['travel', NEW_IOM],
    ]);
    expect(s.parties.iom).toBe(NEW_IOM);
  });
});

