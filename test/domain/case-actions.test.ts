/** Each validator refusing each invalid coordinator or decision action, and what valid ones do. */
import { describe, expect, it } from 'vitest';
import type { CaseAction } from '../../domain/case-actions.js';
import { Recorder } from '../../domain/case-effects.js';
import { applyProgrammeStatus, grantPlace, programmeNoticeReceived, programmeReplied } from '../../domain/case-lifecycle.js';
import type { CaseState } from '../../domain/case-model.js';
import { caseView } from '../../domain/case-view.js';
import { ORG, OTHER_MUNICIPALITY, T0, DAY, act, actor, deliverOutbox, driveTo, iso, makeCase, outboxKinds, reply, text } from './helpers.js';
import { refuseAction } from './refusal-words.js';

const approveEligibility = { type: 'decide', gateId: 'eligibility', actor: actor('coordinator'), outcome: 'approve' } as const;

describe('case actions: the case as a whole', () => {
  it('starts in eligibility with one open decision gate assigned to the coordinator', () => {
    const { s, rec } = makeCase();
    expect(s.status).toBe('active');
    expect(s.gates.map((g) => [g.id, g.kind, g.assignee, g.dueAt])).toEqual([['eligibility', 'decision', ORG.coordinator, T0 + 14 * DAY]]);
    expect(rec.effects.events.map((e) => e.kind)).toEqual(['case_opened', 'stage_entered', 'gate_opened']);
    expect(refuseAction(s, approveEligibility, T0)).toBeUndefined();
    expect(s.outbox).toEqual([]); // outside any programme: nobody to tell
  });

  it('refuses everything once the case is final (withdrawn)', () => {
    const { s } = makeCase();
    const rec = act(s, { type: 'withdraw', actor: actor('coordinator'), reasonRef: text('route') }, T0);
    expect(s.status).toBe('withdrawn');
    expect(s.gates[0]!.status).toBe('rejected');
    expect(s.outcome).toEqual({ status: 'withdrawn', code: 'withdrawn', by: 'person-coordinator', textRef: 'text-route', at: T0 });
    expect(rec.effects.events.find((e) => e.kind === 'case_withdrawn')).toMatchObject({ actor: 'person-coordinator', textRef: 'text-route', data: { code: 'withdrawn' } });
    expect(s.outbox).toEqual([]);
    expect(refuseAction(s, approveEligibility, T0)).toMatch(/the case is withdrawn; no further actions are possible/);
    expect(refuseAction(s, { type: 'resume', actor: actor('coordinator') }, T0)).toMatch(/the case is withdrawn/);
  });

  it('refuses a hold or a withdrawal without a reason', () => {
    const { s } = makeCase();
    const coordinator = actor('coordinator');
    expect(refuseAction(s, { type: 'hold', actor: coordinator, reasonRef: '' }, T0)).toBe('a hold needs a reason');
    expect(refuseAction(s, { type: 'hold', actor: coordinator } as CaseAction, T0)).toBe('a hold needs a reason');
    expect(refuseAction(s, { type: 'withdraw', actor: coordinator, reasonRef: '' }, T0)).toBe('a withdrawal needs a reason');
    expect(refuseAction(s, { type: 'withdraw', actor: coordinator } as CaseAction, T0)).toBe('a withdrawal needs a reason');
    expect(refuseAction(s, { type: 'hold', actor: coordinator, reasonRef: text() }, T0)).toBeUndefined();
    expect(refuseAction(s, { type: 'withdraw', actor: coordinator, reasonRef: text() }, T0)).toBeUndefined();
  });

  it('refuses a hold when already held, and resume when not held', () => {
    const { s } = makeCase();
    expect(refuseAction(s, { type: 'resume', actor: actor('coordinator') }, T0)).toMatch(/^the case is not on hold$/);
    act(s, { type: 'hold', actor: actor('coordinator'), reasonRef: text('medical') }, T0);
    expect(refuseAction(s, { type: 'hold', actor: actor('coordinator'), reasonRef: text('again') }, T0 + DAY)).toMatch(`the case is already on hold since ${iso(T0)}`);
    expect(refuseAction(s, { type: 'resume', actor: actor('coordinator') }, T0 + DAY)).toBeUndefined();
  });

  it('refuses resume while only the programme is paused', () => {
    const { s } = makeCase({ programmeId: 'prog-1' });
    s.programmePausedSince = T0;
    expect(refuseAction(s, { type: 'resume', actor: actor('coordinator') }, T0)).toMatch(/held because its programme is paused; resume the programme instead/);
  });

  it('resuming a hold moves every open deadline on by the time held', () => {
    const { s } = makeCase();
    const held = act(s, { type: 'hold', actor: actor('coordinator'), reasonRef: text('medical') }, T0 + DAY);
    expect(held.effects.events).toMatchObject([{ kind: 'case_held', actor: 'person-coordinator', textRef: 'text-medical' }]);
    const view = caseView(s, T0 + 2 * DAY);
    expect(view.held).toEqual({ since: iso(T0 + DAY), reasonRef: 'text-medical' });
    expect(view.nextStep).toBe('held by the coordinator');
    expect(view.stuck).toBe(false);
    const rec = act(s, { type: 'resume', actor: actor('coordinator') }, T0 + 4 * DAY);
    expect(s.hold).toBeUndefined();
    expect(s.gates[0]!.dueAt).toBe(T0 + 17 * DAY);
    expect(rec.effects.events.find((e) => e.kind === 'case_resumed')?.data).toEqual({ heldDays: 3 });
  });

  it('refuses coordinator actions by anyone but the case coordinator', () => {
    const { s } = makeCase();
    const sponsor = actor('sponsor');
    const wrongRole = actor('coordinator', 'sponsor');
    expect(refuseAction(s, { type: 'withdraw', actor: sponsor, reasonRef: text() }, T0)).toMatch(/only the case's coordinator can withdraw it/);
    expect(refuseAction(s, { type: 'hold', actor: wrongRole, reasonRef: text() }, T0)).toMatch(/only the case's coordinator can put it on hold/);
    expect(refuseAction(s, { type: 'resume', actor: sponsor }, T0)).toMatch(/only the case's coordinator can resume it/);
    expect(refuseAction(s, { type: 'nudge', gateId: 'eligibility', actor: sponsor }, T0)).toMatch(/only the case's coordinator can nudge a gate/);
    expect(refuseAction(s, { type: 'extend', gateId: 'eligibility', actor: sponsor, dueAt: iso(T0 + 30 * DAY), reasonRef: text() }, T0)).toMatch(/only the case's coordinator can extend a gate/);
    expect(refuseAction(s, { type: 'reassign', gateId: 'eligibility', actor: sponsor, organisationId: OTHER_MUNICIPALITY, reasonRef: text() }, T0)).toMatch(/only the case's coordinator can reassign a gate/);
  });

  it('refuses an extension to a past date, an earlier date or not a date', () => {
    const { s } = makeCase();
    const extend = (dueAt: string) => refuseAction(s, { type: 'extend', gateId: 'eligibility', actor: actor('coordinator'), dueAt, reasonRef: text('papers') }, T0 + DAY);
    expect(extend(iso(T0))).toMatch(/the new due date must be in the future/);
    expect(extend(iso(T0 + 10 * DAY))).toMatch(`the new due date must be later than the current one (${iso(T0 + 14 * DAY)})`);
    expect(extend('next tuesday')).toMatch(/dueAt is not a date/);
    expect(extend(iso(T0 + 30 * DAY))).toBeUndefined();
  });

  it('an extension moves the due date, resets escalations and skips reminders already behind', () => {
    const { s } = makeCase();
    const gate = s.gates[0]!;
    gate.escalationsSent = 2;
    const rec = act(s, { type: 'extend', gateId: 'eligibility', actor: actor('coordinator'), dueAt: iso(T0 + 28 * DAY), reasonRef: text('papers') }, T0 + 22 * DAY);
    expect(rec.effects.events).toMatchObject([{ kind: 'deadline_extended', gateId: 'eligibility', textRef: 'text-papers', data: { from: iso(T0 + 14 * DAY), to: iso(T0 + 28 * DAY) } }]);
    expect(gate.dueAt).toBe(T0 + 28 * DAY);
    expect(gate.dueSetAt).toBe(T0 + 22 * DAY);
    expect(gate.escalationsSent).toBe(0);
    // reminders now fall at day 14+7 and 14+12: the first is behind us, the second is still to come
    expect(gate.remindersSent).toBe(1);
  });

  it('refuses reassigning a gate to the organisation it is already assigned to', () => {
    const { s } = makeCase();
    driveTo(s, 'commitment', T0);
    const reassign = (organisationId: string) => ({ type: 'reassign', gateId: 'municipal-consent', actor: actor('coordinator'), organisationId, reasonRef: text('moved') }) as const;
    expect(refuseAction(s, reassign(ORG.municipality), T0)).toMatch(/the gate is already assigned to that organisation/);
    const rec = act(s, reassign(OTHER_MUNICIPALITY), T0);
    expect(rec.effects.events).toMatchObject([{ kind: 'gate_reassigned', textRef: 'text-moved', data: { from: ORG.municipality, to: OTHER_MUNICIPALITY } }]);
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
    applyProgrammeStatus(paused, { epoch: 1, paused: true }, new Recorder(paused, paused.caseId, T0));
    expect(refuseAction(paused, approveEligibility, T0)).toBe(`the programme is paused since ${iso(T0)}; actions resume when it does`);

    const held = makeCase().s;
    act(held, { type: 'hold', actor: actor('coordinator'), reasonRef: text('medical') }, T0);
    // The refusal names no reason: the text stays in PostgreSQL.
    expect(refuseAction(held, approveEligibility, T0)).toBe(`the case is on hold since ${iso(T0)}`);

    const waiting = makeCase({ programmeId: 'prog-1' }).s;
    const rec = act(waiting, approveEligibility, T0);
    expect(waiting.status).toBe('waitlisted');
    expect(waiting.place).toBe('requested');
    expect(outboxKinds(waiting)).toEqual(['opened', 'request_place']);
    expect(rec.effects.events.map((e) => e.kind)).toContain('place_requested');
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
    expect(refuseAction(s, { type: 'decide', gateId: 'eligibility', actor: actor('coordinator'), outcome: 'reject', reasonRef: '' }, T0)).toMatch(/a rejection needs a reason/);
    expect(refuseAction(s, { type: 'decide', gateId: 'eligibility', actor: actor('coordinator'), outcome: 'reject', reasonRef: text() }, T0)).toBeUndefined();
    // Approving or asking for information needs none.
    expect(refuseAction(s, { type: 'decide', gateId: 'eligibility', actor: actor('coordinator'), outcome: 'request_info' }, T0)).toBeUndefined();
  });

  it('a rejection at eligibility ends the case without touching the quota', () => {
    const { s } = makeCase({ programmeId: 'prog-1' });
    const rec = act(s, { type: 'decide', gateId: 'eligibility', actor: actor('coordinator'), outcome: 'reject', reasonRef: text('mandate') }, T0 + DAY);
    expect(s.status).toBe('rejected');
    expect(s.outcome).toEqual({ status: 'rejected', code: 'rejected', by: 'person-coordinator', gateId: 'eligibility', textRef: 'text-mandate', at: T0 + DAY });
    expect(rec.effects.events.find((e) => e.kind === 'case_rejected')).toMatchObject({ gateId: 'eligibility', textRef: 'text-mandate', data: { code: 'rejected' } });
    // It tells the programme it closed, but has no place to give back.
    expect(outboxKinds(s)).toEqual(['opened', 'closed']);
    expect(s.place).toBe('not_needed_yet');
    const view = caseView(s, T0 + DAY);
    expect(view.nextStep).toBe('closed: rejected');
    expect(view.outcome).toEqual({ status: 'rejected', code: 'rejected', by: 'person-coordinator', gateId: 'eligibility', textRef: 'text-mandate', at: iso(T0 + DAY) });
  });

  it('a rejection after a place was reserved ends the case and releases the place', () => {
    const { s } = makeCase({ programmeId: 'prog-1' });
    act(s, approveEligibility, T0);
    // The programme is full: the case waits its turn, then a place comes from the waiting list.
    const waitlisted = deliverOutbox(s, T0, (m) => reply(m.kind === 'request_place' ? { place: 'waitlisted' } : {}));
    expect(waitlisted.rec.effects.events.map((e) => e.kind)).toEqual(['case_waitlisted']);
    expect(s.status).toBe('waitlisted');
    const granted = new Recorder(s, s.caseId, T0 + DAY);
    grantPlace(s, granted);
    expect(s.place).toBe('reserved');
    expect(s.status).toBe('active');
    expect(s.gates.map((g) => [g.id, g.dueAt])).toEqual([['sponsor-plan', T0 + 15 * DAY], ['municipal-consent', T0 + 43 * DAY]]);
    const rec = act(s, { type: 'decide', gateId: 'municipal-consent', actor: actor('municipality'), outcome: 'reject', reasonRef: text('capacity') }, T0);
    expect(s.status).toBe('rejected');
    expect(s.place).toBe('released');
    expect(s.outbox.map((m) => m.message)).toEqual([{ kind: 'release_place', held: 'reserved' }, { kind: 'closed' }]);
    expect(rec.effects.events.map((e) => e.kind)).toContain('case_rejected');
    expect(s.gates.map((g) => g.status)).toEqual(['rejected', 'rejected']);
  });

  it('withdrawing a waitlisted case gives back its place request', () => {
    const { s } = makeCase({ programmeId: 'prog-1' });
    act(s, approveEligibility, T0);
    act(s, { type: 'withdraw', actor: actor('coordinator'), reasonRef: text() }, T0);
    expect(s.outbox).toEqual([
      { id: 'case:case-1:opened', message: { kind: 'opened' } },
      { id: 'case:case-1:request_place', message: { kind: 'request_place' } },
      { id: 'case:case-1:release_place', message: { kind: 'release_place', held: 'requested' } },
      { id: 'case:case-1:closed', message: { kind: 'closed' } },
    ]);
    expect(s.place).toBe('released');
  });

  it('a case that ends before its place request is answered gives back what the programme gave it', () => {
    for (const place of ['reserved', 'waitlisted'] as const) {
      const { s } = makeCase({ programmeId: 'prog-1' });
      act(s, approveEligibility, T0);
      act(s, { type: 'withdraw', actor: actor('coordinator'), reasonRef: text() }, T0);
      // The programme answers the request after the case ended.
      const { delivered } = deliverOutbox(s, T0, (m) => reply(m.kind === 'request_place' ? { place } : {}));
      expect(delivered).toContainEqual({ kind: 'release_place', held: place === 'reserved' ? 'reserved' : 'requested' });
      expect(s.status).toBe('withdrawn');
      expect(s.place).toBe('released');
    }
  });

  it('moves stage by stage and uses the place on arrival', () => {
    const { s } = makeCase({ programmeId: 'prog-1' });
    driveTo(s, 'arrival', T0);
    expect(s.outbox).toEqual([]); // delivered on the way
    act(s, { type: 'complete', gateId: 'arrival', actor: actor('sponsor') }, T0 + DAY);
    expect(s.outbox).toEqual([{ id: 'case:case-1:use_place', message: { kind: 'use_place' } }]);
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
    act(s, { type: 'reassign', gateId: 'orientation', actor: actor('coordinator'), organisationId: NEW_IOM, reasonRef: text('office') }, T0);
    expect(s.gates.map((g) => [g.id, g.assignee])).toEqual([
      ['orientation', NEW_IOM],
      ['travel', NEW_IOM],
    ]);
    expect(s.parties.iom).toBe(NEW_IOM);
  });
});


describe('the case and its programme', () => {
  const atNow = (s: CaseState, now: number) => new Recorder(s, s.caseId, now);
  const placeReply = (place: 'reserved' | 'waitlisted') => (m: { kind: string }) => reply(m.kind === 'request_place' ? { place } : {});

  it('a case outside any programme queues no message and never waits for a place', () => {
    const { s } = makeCase();
    driveTo(s, 'arrival', T0);
    expect(s.place).toBe('not_needed_yet');
    act(s, { type: 'complete', gateId: 'arrival', actor: actor('sponsor') }, T0);
    act(s, { type: 'withdraw', actor: actor('coordinator'), reasonRef: text() }, T0);
    expect(s.outbox).toEqual([]);
  });

  it('says it opened, and asks for a place on entering a stage that reserves one, opening no gate meanwhile', () => {
    const { s } = makeCase({ programmeId: 'prog-1' });
    expect(s.outbox).toEqual([{ id: 'case:case-1:opened', message: { kind: 'opened' } }]);
    act(s, approveEligibility, T0);
    expect(s.outbox.map((m) => m.id)).toEqual(['case:case-1:opened', 'case:case-1:request_place']);
    expect(s).toMatchObject({ status: 'waitlisted', place: 'requested', gates: [] });
    const view = caseView(s, T0);
    expect(view.nextStep).toBe('waiting for a place in the programme');
    expect(view.programmeMessagesPending).toBe(2);
  });

  it('a place reserved in answer to its request opens the stage gates', () => {
    const { s } = makeCase({ programmeId: 'prog-1' });
    act(s, approveEligibility, T0);
    const { delivered, rec } = deliverOutbox(s, T0 + DAY, placeReply('reserved'));
    expect(delivered).toEqual([{ kind: 'opened' }, { kind: 'request_place' }]);
    expect(s).toMatchObject({ status: 'active', place: 'reserved', outbox: [] });
    expect(s.gates.map((g) => [g.id, g.status, g.openedAt])).toEqual([
      ['sponsor-plan', 'open', T0 + DAY],
      ['municipal-consent', 'open', T0 + DAY],
    ]);
    expect(rec.effects.events.map((e) => e.kind)).toEqual(['place_reserved', 'gate_opened', 'gate_opened']);
    expect(rec.effects.notifications).toContainEqual(expect.objectContaining({ template: 'case-update', organisationIds: [ORG.sponsor], detail: 'place-reserved' }));
  });

  it('a turn on the waiting list keeps it waiting until the programme offers a place; a repeated offer gets the same answer', () => {
    const { s } = makeCase({ programmeId: 'prog-1' });
    act(s, approveEligibility, T0);
    deliverOutbox(s, T0, placeReply('waitlisted'));
    expect(s).toMatchObject({ status: 'waitlisted', place: 'requested', gates: [] });

    const first = atNow(s, T0 + 5 * DAY);
    expect(programmeNoticeReceived(s, 'grant-1', { kind: 'place_granted', round: 1 }, first)).toBe(true);
    expect(s).toMatchObject({ status: 'active', place: 'reserved', placeGrantedBy: 'grant-1' });
    expect(first.effects.events.map((e) => e.kind)).toEqual(['place_reserved', 'gate_opened', 'gate_opened']);

    const again = atNow(s, T0 + 6 * DAY);
    expect(programmeNoticeReceived(s, 'grant-1', { kind: 'place_granted', round: 1 }, again)).toBe(true);
    expect(again.effects.events).toEqual([]);
    // Another offer, to a case that has its place already, is refused: the programme takes that place back.
    expect(programmeNoticeReceived(s, 'grant-2', { kind: 'place_granted', round: 2 }, again)).toBe(false);
    expect(s.gates.map((g) => g.openedAt)).toEqual([T0 + 5 * DAY, T0 + 5 * DAY]);
  });

  it('a place offered to a case that has left is refused', () => {
    const { s } = makeCase({ programmeId: 'prog-1' });
    act(s, approveEligibility, T0);
    act(s, { type: 'withdraw', actor: actor('coordinator'), reasonRef: text() }, T0);
    const rec = atNow(s, T0 + DAY);
    expect(programmeNoticeReceived(s, 'grant-1', { kind: 'place_granted', round: 1 }, rec)).toBe(false);
    expect(s).toMatchObject({ status: 'withdrawn', place: 'released' });
    expect(rec.effects.events).toEqual([]);
  });

  it('a programme that refuses the case ends it, and is told nothing more', () => {
    const { s } = makeCase({ programmeId: 'prog-1' });
    const { delivered, rec } = deliverOutbox(s, T0, () => reply({ accepted: false, refusal: 'the programme is closed', status: 'closed' }));
    expect(delivered).toEqual([{ kind: 'opened' }]);
    expect(s.status).toBe('withdrawn');
    expect(s.outcome).toEqual({ status: 'withdrawn', code: 'programme-refused', by: 'system', detail: 'the programme is closed', at: T0 });
    expect(s.outbox).toEqual([]);
    expect(rec.effects.events.find((e) => e.kind === 'case_withdrawn')?.data).toEqual({ code: 'programme-refused' });
    expect(caseView(s, T0).outcome).toMatchObject({ code: 'programme-refused', detail: 'the programme is closed' });
  });

  it('a refusal drops a place request still queued, without releasing it', () => {
    const { s } = makeCase({ programmeId: 'prog-1' });
    act(s, approveEligibility, T0);
    expect(outboxKinds(s)).toEqual(['opened', 'request_place']);
    const head = s.outbox.shift()!;
    programmeReplied(s, head.message, reply({ accepted: false, refusal: 'the programme is closed', status: 'closed' }), atNow(s, T0));
    expect(s).toMatchObject({ status: 'withdrawn', place: 'released', outbox: [] });
  });

  it('pause and resume reach the case by epoch; an older or equal epoch is ignored', () => {
    const { s } = makeCase({ programmeId: 'prog-1' }); // eligibility due at day 14
    const paused = atNow(s, T0 + DAY);
    applyProgrammeStatus(s, { epoch: 1, paused: true }, paused);
    expect(s).toMatchObject({ programmePausedSince: T0 + DAY, programmeEpoch: 1, heldSince: T0 + DAY });
    expect(paused.effects.events.map((e) => e.kind)).toEqual(['programme_paused']);
    expect(caseView(s, T0 + DAY)).toMatchObject({ programmePaused: true, nextStep: 'held: the programme is paused' });

    // The same epoch again, or an older one saying "resumed", changes nothing.
    const stale = atNow(s, T0 + 2 * DAY);
    applyProgrammeStatus(s, { epoch: 1, paused: false }, stale);
    applyProgrammeStatus(s, { epoch: 0, paused: false }, stale);
    expect(s.programmePausedSince).toBe(T0 + DAY);
    expect(stale.effects.events).toEqual([]);

    const resumed = atNow(s, T0 + 4 * DAY);
    applyProgrammeStatus(s, { epoch: 2, paused: false }, resumed);
    expect(s.programmePausedSince).toBeUndefined();
    expect(s.programmeEpoch).toBe(2);
    expect(s.gates[0]!.dueAt).toBe(T0 + 17 * DAY);
    expect(resumed.effects.events).toMatchObject([{ kind: 'programme_resumed', data: { pausedDays: 3 } }]);

    // A late answer carrying the older pause does not pause the case again.
    deliverOutbox(s, T0 + 5 * DAY, () => reply({ epoch: 1, paused: true, status: 'paused' }));
    expect(s.programmePausedSince).toBeUndefined();
    expect(refuseAction(s, approveEligibility, T0 + 5 * DAY)).toBeUndefined();
  });

  it('an answer carries the programme pause: a case opened in a paused programme holds at once', () => {
    const { s } = makeCase({ programmeId: 'prog-1' });
    deliverOutbox(s, T0, () => reply({ status: 'paused', epoch: 3, paused: true }));
    expect(s).toMatchObject({ status: 'active', programmePausedSince: T0, programmeEpoch: 3 });
    expect(refuseAction(s, approveEligibility, T0)).toMatch(/the programme is paused since/);
  });

  it('a final case ignores pause and resume', () => {
    const { s } = makeCase({ programmeId: 'prog-1' });
    act(s, { type: 'withdraw', actor: actor('coordinator'), reasonRef: text() }, T0);
    const rec = atNow(s, T0 + DAY);
    applyProgrammeStatus(s, { epoch: 1, paused: true }, rec);
    expect(s.programmePausedSince).toBeUndefined();
    expect(s.programmeEpoch).toBe(0);
    expect(rec.effects.events).toEqual([]);
  });
});
