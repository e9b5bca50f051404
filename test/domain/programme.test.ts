/** The programme's rules: MoU, status, quota with its waiting list, pause and close; counts only, never a list of cases. */
import { describe, expect, it } from 'vitest';
import type { ActorRef } from '../../domain/case-actions.js';
import { Recorder, type WaitlistChange } from '../../domain/case-effects.js';
import { REMEMBERED_UPDATES } from '../../domain/case-model.js';
import { messageId, type CaseMessage, type ProgrammeReply } from '../../domain/programme-link.js';
import type { ProgrammeAction, ProgrammeState } from '../../domain/programme-model.js';
import {
  applyProgrammeAction,
  freePlaces,
  grantablePlaces,
  grantAnswered,
  handleCaseMessage,
  newProgrammeState,
  programmeNextWake,
  programmeTick,
  programmeView,
  rememberedReply,
  rememberReply,
  startGrant,
} from '../../domain/programme.js';
import { refuseProgrammeAction } from './refusal-words.js';

const T0 = Date.parse('2030-01-15T08:00:00.000Z');
const DAY = 86_400_000;
const COORD = '10000000-0000-4000-8000-000000000001';
const MUNI = '10000000-0000-4000-8000-000000000002';
const AGENCY = '10000000-0000-4000-8000-000000000003';
const coordinator: ActorRef = { personId: 'p-coord', organisationId: COORD, role: 'coordinator' };
const municipal: ActorRef = { personId: 'p-muni', organisationId: MUNI, role: 'municipal_officer' };
const agency: ActorRef = { personId: 'p-agency', organisationId: AGENCY, role: 'agency_officer' };

const newProgramme = (quota = 2) =>
  newProgrammeState(
    { programmeId: 'prog-1', name: 'Sponsorship 2030', pathwayId: 'community-sponsorship', quota, coordinatorOrg: COORD, mouSignatories: [COORD, MUNI, AGENCY], mouTime: { dueIn: '14 days', remindAt: ['7 days'], escalateEvery: '7 days' } },
    T0,
  );

/** Asserts the action is valid and applies it. */
function run(p: ProgrammeState, a: ProgrammeAction, now = T0): Recorder {
  expect(refuseProgrammeAction(p, a)).toBeUndefined();
  const rec = new Recorder(p, p.programmeId, now);
  applyProgrammeAction(p, a, rec);
  return rec;
}
/** A case's message, answered as the programme workflow does: a message with an id seen before gets its earlier answer. */
function tell(p: ProgrammeState, caseId: string, message: CaseMessage, now = T0): { reply: ProgrammeReply; rec: Recorder } {
  const rec = new Recorder(p, p.programmeId, now);
  const id = messageId(caseId, message);
  const before = rememberedReply(p, id);
  if (before) return { reply: before, rec };
  const reply = handleCaseMessage(p, caseId, message, rec);
  rememberReply(p, id, reply);
  return { reply, rec };
}
const requestPlace = (p: ProgrammeState, caseId: string) => tell(p, caseId, { kind: 'request_place' });
const release = (p: ProgrammeState, caseId: string, held: 'reserved' | 'requested') => tell(p, caseId, { kind: 'release_place', held });
const doc = (n: number) => ({ title: `MoU v${n}`, contentHash: `hash-${n}` });

/** A programme whose MoU every signatory signed. */
function activeProgramme(quota = 2): ProgrammeState {
  const p = newProgramme(quota);
  run(p, { type: 'publish_mou', actor: coordinator, document: doc(1) });
  for (const actor of [coordinator, municipal, agency]) run(p, { type: 'sign_mou', actor, version: 1 });
  return p;
}

describe('programme MoU', () => {
  it('publishing makes a draft negotiating; signing by all makes it active', () => {
    const p = newProgramme();
    expect(p.status).toBe('draft');
    expect(refuseProgrammeAction(p, { type: 'sign_mou', actor: municipal, version: 1 })).toMatch(/no version of the agreement has been published yet/);
    const published = run(p, { type: 'publish_mou', actor: coordinator, document: doc(1) });
    expect(p.status).toBe('negotiating');
    expect(published.effects.notifications).toMatchObject([{ template: 'action-required', organisationIds: [COORD, MUNI, AGENCY], dueAt: T0 + 14 * DAY }]);
    run(p, { type: 'sign_mou', actor: coordinator, version: 1 });
    run(p, { type: 'sign_mou', actor: municipal, version: 1 });
    expect(p.status).toBe('negotiating');
    expect(programmeView(p).mou.unsigned).toEqual([AGENCY]);
    const last = run(p, { type: 'sign_mou', actor: agency, version: 1 }, T0 + DAY);
    expect(p.status).toBe('active');
    expect(p.mou.executedAt).toBe(T0 + DAY);
    expect(last.effects.events.map((e) => e.kind)).toEqual(['mou_signed', 'mou_executed']);
  });

  it('a new version voids signatures; signing refuses the wrong version, twice, or outsiders', () => {
    const p = newProgramme();
    run(p, { type: 'publish_mou', actor: coordinator, document: doc(1) });
    run(p, { type: 'sign_mou', actor: municipal, version: 1 });
    expect(refuseProgrammeAction(p, { type: 'sign_mou', actor: municipal, version: 1 })).toMatch(/already signed version 1/);
    run(p, { type: 'publish_mou', actor: coordinator, document: doc(2) });
    expect(programmeView(p).mou.unsigned).toEqual([COORD, MUNI, AGENCY]);
    expect(refuseProgrammeAction(p, { type: 'sign_mou', actor: municipal, version: 1 })).toMatch(/version 1 is not the current version \(2\)/);
    const outsider: ActorRef = { personId: 'p-x', organisationId: '10000000-0000-4000-8000-000000000009', role: 'sponsor' };
    expect(refuseProgrammeAction(p, { type: 'sign_mou', actor: outsider, version: 2 })).toMatch(/not a signatory/);
    expect(refuseProgrammeAction(p, { type: 'request_mou_changes', actor: municipal, commentRef: '' })).toMatch(/a change request needs a comment/);
    const rec = run(p, { type: 'request_mou_changes', actor: municipal, commentRef: 'text-1' });
    expect(rec.effects.events).toMatchObject([{ kind: 'mou_changes_requested', textRef: 'text-1', data: { version: 2 } }]);
    expect(programmeView(p).mou).toMatchObject({ changeRequestCount: 1, changeRequests: [{ organisationId: MUNI, version: 2, commentRef: 'text-1' }] });
  });

  it('refuses a new version once executed', () => {
    const p = activeProgramme();
    expect(refuseProgrammeAction(p, { type: 'publish_mou', actor: coordinator, document: doc(2) })).toMatch(/the agreement is already executed; it cannot get a new version/);
  });

  it('refuses coordinator actions by anyone else', () => {
    const p = activeProgramme();
    const sameOrgOtherRole: ActorRef = { ...coordinator, role: 'admin' };
    expect(refuseProgrammeAction(newProgramme(), { type: 'publish_mou', actor: municipal, document: doc(1) })).toMatch(/only the programme's coordinator publishes versions of the MoU/);
    expect(refuseProgrammeAction(p, { type: 'pause', actor: municipal, reasonRef: 'text-1' })).toMatch(/only the programme's coordinator can pause it/);
    expect(refuseProgrammeAction(p, { type: 'set_quota', actor: sameOrgOtherRole, quota: 5 })).toMatch(/only the programme's coordinator can change the quota/);
    expect(refuseProgrammeAction(p, { type: 'close', actor: agency, reasonRef: 'text-1' })).toMatch(/only the programme's coordinator can close it/);
    run(p, { type: 'pause', actor: coordinator, reasonRef: 'text-1' });
    expect(refuseProgrammeAction(p, { type: 'resume', actor: municipal })).toMatch(/only the programme's coordinator can resume it/);
  });
});

describe('programme MoU reminders', () => {
  it('reminds the organisations yet to sign, then escalates to the coordinator, until the MoU is executed', () => {
    const p = newProgramme();
    expect(programmeNextWake(p)).toBeUndefined();
    run(p, { type: 'publish_mou', actor: coordinator, document: doc(1) });
    run(p, { type: 'sign_mou', actor: coordinator, version: 1 });
    expect(programmeNextWake(p)).toBe(T0 + 7 * DAY);
    const reminder = new Recorder(p, p.programmeId, T0 + 7 * DAY);
    programmeTick(p, reminder);
    expect(reminder.effects.events.map((e) => e.kind)).toEqual(['mou_reminder_sent']);
    expect(reminder.effects.notifications).toMatchObject([{ template: 'reminder', organisationIds: [MUNI, AGENCY], dueAt: T0 + 14 * DAY }]);
    expect(programmeNextWake(p)).toBe(T0 + 14 * DAY);
    const escalation = new Recorder(p, p.programmeId, T0 + 14 * DAY);
    programmeTick(p, escalation);
    expect(escalation.effects.notifications).toMatchObject([{ template: 'escalation', organisationIds: [COORD], detail: 'overdue' }]);
    expect(programmeNextWake(p)).toBe(T0 + 21 * DAY);
    run(p, { type: 'sign_mou', actor: municipal, version: 1 });
    run(p, { type: 'sign_mou', actor: agency, version: 1 });
    expect(programmeNextWake(p)).toBeUndefined();
  });
});

describe('programme quota', () => {
  it('reserves places while free, then waitlists in the order cases asked', () => {
    const p = activeProgramme(2);
    expect(requestPlace(p, 'c1').reply).toEqual({ accepted: true, status: 'active', epoch: 0, paused: false, place: 'reserved' });
    expect(requestPlace(p, 'c2').reply.place).toBe('reserved');
    const full = requestPlace(p, 'c3');
    expect(full.reply.place).toBe('waitlisted');
    expect(full.rec.effects.waitlist).toEqual([{ op: 'add', caseId: 'c3', position: 1 }]);
    expect(full.rec.effects.events.map((e) => e.kind)).toEqual(['case_waitlisted']);
    expect(requestPlace(p, 'c4').rec.effects.waitlist).toEqual([{ op: 'add', caseId: 'c4', position: 2 }]);
    expect(programmeView(p).quota).toEqual({ total: 2, used: 0, reserved: 2, free: 0, waitlisted: 2 });
    // Asked again (a retried delivery): the same answer, and nothing counted twice.
    expect(requestPlace(p, 'c1').reply.place).toBe('reserved');
    expect(requestPlace(p, 'c3').rec.effects.waitlist).toEqual([]);
    expect(p.places).toEqual({ reserved: 2, used: 0, waitlisted: 2 });
  });

  it('a case asking while others wait joins the end of the list, even with a place free', () => {
    const p = activeProgramme(1);
    requestPlace(p, 'c1');
    requestPlace(p, 'c2');
    run(p, { type: 'set_quota', actor: coordinator, quota: 2 });
    expect(freePlaces(p)).toBe(1);
    const c3 = requestPlace(p, 'c3');
    expect(c3.reply.place).toBe('waitlisted');
    expect(c3.rec.effects.waitlist).toEqual([{ op: 'add', caseId: 'c3', position: 2 }]);
    // The free place goes to the first in the list, by a grant.
    expect(grantablePlaces(p)).toBe(1);
  });

  it('a released place is offered to the waiting list: exactly the free places, one offer at a time', () => {
    const p = activeProgramme(2);
    for (const c of ['c1', 'c2', 'c3', 'c4', 'c5']) requestPlace(p, c);
    expect(grantablePlaces(p)).toBe(0);
    const released = release(p, 'c1', 'reserved');
    expect(released.rec.effects.events).toMatchObject([{ kind: 'place_released', data: { caseId: 'c1', held: 'reserved' } }]);
    expect(released.rec.effects.waitlist).toEqual([]);
    expect(p.places).toEqual({ reserved: 1, used: 0, waitlisted: 3 });
    expect(grantablePlaces(p)).toBe(1);

    expect(startGrant(p)).toEqual({ round: 1, places: 1 });
    // The offered place counts as reserved until the case answers.
    expect(p.places).toEqual({ reserved: 2, used: 0, waitlisted: 2 });
    expect(freePlaces(p)).toBe(0);
    release(p, 'c2', 'reserved');
    expect(freePlaces(p)).toBe(1);
    expect(grantablePlaces(p)).toBe(0); // not while an offer is out
    expect(startGrant(p)).toBeUndefined();

    const answered = new Recorder(p, p.programmeId, T0);
    grantAnswered(p, ['c3'], answered);
    expect(answered.effects.events).toMatchObject([{ kind: 'place_granted', data: { caseId: 'c3' } }]);
    expect(p.grant).toBeUndefined();
    expect(p.places).toEqual({ reserved: 1, used: 0, waitlisted: 2 });
    expect(grantablePlaces(p)).toBe(1);
    expect(startGrant(p)).toEqual({ round: 2, places: 1 });
  });

  for (const order of ['left before the answer', 'left after the answer'] as const) {
    it(`a grant answered by fewer cases gives back the places nobody took (${order})`, () => {
      const p = activeProgramme(1);
      for (const c of ['c1', 'c2', 'c3', 'c4']) requestPlace(p, c);
      run(p, { type: 'set_quota', actor: coordinator, quota: 3 });
      expect(startGrant(p)).toEqual({ round: 1, places: 2 }); // offered to c2 and c3
      expect(p.places).toEqual({ reserved: 3, used: 0, waitlisted: 1 });
      // c3 was withdrawn meanwhile: it refuses the place and gives back its turn itself.
      const leave = () => expect(release(p, 'c3', 'requested').rec.effects.waitlist).toEqual([{ op: 'remove', caseId: 'c3' }]);
      if (order === 'left before the answer') leave();
      grantAnswered(p, ['c2'], new Recorder(p, p.programmeId, T0));
      if (order === 'left after the answer') leave();
      // c1 and c2 hold places, c4 waits, and one place is free for it.
      expect(p.places).toEqual({ reserved: 2, used: 0, waitlisted: 1 });
      expect(freePlaces(p)).toBe(1);
      expect(grantablePlaces(p)).toBe(1);
    });
  }

  it('a used place stays taken', () => {
    const p = activeProgramme(1);
    requestPlace(p, 'c1');
    requestPlace(p, 'c2');
    const used = tell(p, 'c1', { kind: 'use_place' });
    expect(used.rec.effects.events).toMatchObject([{ kind: 'place_used', data: { caseId: 'c1' } }]);
    expect(p.places).toEqual({ reserved: 0, used: 1, waitlisted: 1 });
    expect(grantablePlaces(p)).toBe(0);
    tell(p, 'c1', { kind: 'closed' });
    expect(programmeView(p).quota).toEqual({ total: 1, used: 1, reserved: 0, free: 0, waitlisted: 1 });
  });

  it('the quota cannot go below the places used or reserved, counting places offered and not yet answered', () => {
    const p = activeProgramme(1);
    for (const c of ['c1', 'c2', 'c3', 'c4']) requestPlace(p, c);
    tell(p, 'c1', { kind: 'use_place' });
    const changed = run(p, { type: 'set_quota', actor: coordinator, quota: 3 });
    expect(changed.effects.events).toMatchObject([{ kind: 'quota_changed', data: { from: 1, to: 3 } }]);
    startGrant(p);
    expect(refuseProgrammeAction(p, { type: 'set_quota', actor: coordinator, quota: 2 })).toMatch(/the quota cannot go below the 3 places already used or reserved/);
    expect(refuseProgrammeAction(p, { type: 'set_quota', actor: coordinator, quota: 3 })).toBeUndefined();
    expect(refuseProgrammeAction(p, { type: 'set_quota', actor: coordinator, quota: -1 })).toMatch(/the quota must be a whole number of places, 0 or more/);
    expect(refuseProgrammeAction(p, { type: 'set_quota', actor: coordinator, quota: 3.5 })).toMatch(/the quota must be a whole number/);
  });

  it('waitlists every request before the MoU is executed, and has places to offer once it is', () => {
    const p = newProgramme(1);
    run(p, { type: 'publish_mou', actor: coordinator, document: doc(1) });
    expect(requestPlace(p, 'c1').reply).toMatchObject({ status: 'negotiating', place: 'waitlisted' });
    expect(grantablePlaces(p)).toBe(0);
    run(p, { type: 'sign_mou', actor: coordinator, version: 1 });
    run(p, { type: 'sign_mou', actor: municipal, version: 1 });
    run(p, { type: 'sign_mou', actor: agency, version: 1 });
    expect(grantablePlaces(p)).toBe(1);
  });
});

describe('programme pause and close', () => {
  it('pause and resume each bump the epoch, which every answer carries; a paused programme offers no place', () => {
    expect(refuseProgrammeAction(newProgramme(), { type: 'pause', actor: coordinator, reasonRef: 'text-1' })).toMatch(/only an active programme can be paused; it is draft/);
    const p = activeProgramme(1);
    expect(refuseProgrammeAction(p, { type: 'resume', actor: coordinator })).toMatch(/the programme is not paused; it is active/);
    expect(refuseProgrammeAction(p, { type: 'pause', actor: coordinator, reasonRef: '' })).toMatch(/a pause needs a reason/);
    for (const c of ['c1', 'c2', 'c3']) tell(p, c, { kind: 'opened' });
    tell(p, 'c3', { kind: 'closed' });
    expect(p.openCases).toBe(2);

    const paused = run(p, { type: 'pause', actor: coordinator, reasonRef: 'text-elections' }, T0 + DAY);
    expect(p).toMatchObject({ status: 'paused', epoch: 1, toldEpoch: 0 });
    expect(paused.effects).toEqual({ events: [expect.objectContaining({ kind: 'programme_paused', textRef: 'text-elections', data: { openCases: 2 } })], notifications: [], waitlist: [] });
    expect(programmeView(p)).toMatchObject({ paused: { since: new Date(T0 + DAY).toISOString(), reasonRef: 'text-elections' }, casesTold: false, openCases: 2 });
    expect(refuseProgrammeAction(p, { type: 'pause', actor: coordinator, reasonRef: 'text-2' })).toMatch(`the programme is already paused since ${new Date(T0 + DAY).toISOString()}`);

    // A case opened during the pause hears of it in the answer; its place request waits.
    expect(tell(p, 'c4', { kind: 'opened' }).reply).toEqual({ accepted: true, status: 'paused', epoch: 1, paused: true });
    expect(requestPlace(p, 'c4').reply).toMatchObject({ place: 'waitlisted', epoch: 1, paused: true });
    expect(freePlaces(p)).toBe(1);
    expect(grantablePlaces(p)).toBe(0);

    const resumed = run(p, { type: 'resume', actor: coordinator }, T0 + 11 * DAY);
    expect(p).toMatchObject({ status: 'active', epoch: 2 });
    expect(resumed.effects.events).toMatchObject([{ kind: 'programme_resumed', data: { pausedDays: 10, openCases: 3 } }]);
    expect(tell(p, 'c4', { kind: 'use_place' }).reply).toMatchObject({ epoch: 2, paused: false });
    expect(grantablePlaces(p)).toBe(0);
    p.toldEpoch = 2; // the workflow's fan-out told every open case
    expect(programmeView(p).casesTold).toBe(true);
  });

  it('refuses to close with open cases, or without a reason; once closed refuses everything, and every new case', () => {
    const p = activeProgramme();
    tell(p, 'c1', { kind: 'opened' });
    tell(p, 'c2', { kind: 'opened' });
    expect(refuseProgrammeAction(p, { type: 'close', actor: coordinator, reasonRef: 'text-done' })).toMatch(/2 case\(s\) are still open; close or withdraw them first/);
    tell(p, 'c1', { kind: 'closed' });
    tell(p, 'c1', { kind: 'closed' }); // a repeated delivery is not counted again
    expect(p.openCases).toBe(1);
    expect(refuseProgrammeAction(p, { type: 'close', actor: coordinator, reasonRef: 'text-done' })).toMatch(/^1 case\(s\) are still open/);
    tell(p, 'c2', { kind: 'closed' });
    expect(p.openCases).toBe(0);
    expect(refuseProgrammeAction(p, { type: 'close', actor: coordinator, reasonRef: '' })).toMatch(/closing needs a reason/);
    const closed = run(p, { type: 'close', actor: coordinator, reasonRef: 'text-done' });
    expect(closed.effects.events).toMatchObject([{ kind: 'programme_closed', textRef: 'text-done' }]);
    expect(p).toMatchObject({ status: 'closed', closedReasonRef: 'text-done' });
    expect(refuseProgrammeAction(p, { type: 'set_quota', actor: coordinator, quota: 10 })).toMatch(/^the programme is closed$/);
    expect(tell(p, 'c3', { kind: 'opened' }).reply).toEqual({ accepted: false, refusal: 'the programme is closed', status: 'closed', epoch: 0, paused: false });
    expect(p.openCases).toBe(0);
  });
});

describe('programme memory', () => {
  it('remembers the answers of the newest messages by id, and only those', () => {
    const p = activeProgramme(1);
    const first = requestPlace(p, 'c1').reply;
    expect(rememberedReply(p, messageId('c1', { kind: 'request_place' }))).toEqual(first);
    expect(rememberedReply(p, 'case:c2:request_place')).toBeUndefined();
    for (let i = 0; i < REMEMBERED_UPDATES - 1; i++) rememberReply(p, `later-${i}`, first);
    expect(p.recentMessages).toHaveLength(REMEMBERED_UPDATES);
    expect(rememberedReply(p, 'case:c1:request_place')).toEqual(first);
    rememberReply(p, 'one-more', first);
    expect(p.recentMessages).toHaveLength(REMEMBERED_UPDATES);
    expect(rememberedReply(p, 'case:c1:request_place')).toBeUndefined();
    // People's actions are remembered apart: many messages never push them out.
    expect(p.recentActions).toEqual([]);
  });

  it('stays bounded however many cases pass through: 5,000 cases opening, asking for, giving back and closing', () => {
    const p = activeProgramme(50);
    const waitingList: string[] = []; // the waiting list as PostgreSQL holds it, in order
    const holds = new Map<string, 'reserved' | 'requested'>(); // what each open case holds (each case knows its own)
    const apply = (changes: WaitlistChange[]) => {
      for (const w of changes) {
        if (w.op === 'add') waitingList.push(w.caseId);
        else waitingList.splice(waitingList.indexOf(w.caseId), 1);
      }
    };
    const send = (caseId: string, message: CaseMessage) => {
      const { reply, rec } = tell(p, caseId, message);
      apply(rec.effects.waitlist);
      return reply;
    };
    const leave = (caseId: string) => {
      send(caseId, { kind: 'release_place', held: holds.get(caseId)! });
      send(caseId, { kind: 'closed' });
      holds.delete(caseId);
    };
    /** As the workflow and its activity: offer the free places to the first cases on the list; they all take them. */
    const grant = () => {
      const g = startGrant(p);
      if (!g) return;
      const offered = waitingList.splice(0, g.places);
      for (const c of offered) holds.set(c, 'reserved');
      grantAnswered(p, offered, new Recorder(p, p.programmeId, T0));
    };
    const check = () => {
      expect(p.places.waitlisted).toBe(waitingList.length);
      expect(p.places.reserved).toBe([...holds.values()].filter((h) => h === 'reserved').length);
      expect(p.openCases).toBe(holds.size);
    };
    let largest = 0;
    const CASES = 5_000;
    const STAYING = 80;
    for (let i = 0; i < CASES; i++) {
      const caseId = `case-${i}`;
      send(caseId, { kind: 'opened' });
      holds.set(caseId, send(caseId, { kind: 'request_place' }).place === 'reserved' ? 'reserved' : 'requested');
      if (i >= STAYING) leave(`case-${i - STAYING}`);
      grant();
      if (i % 97 === 0) check();
      largest = Math.max(largest, JSON.stringify(p).length);
    }
    expect(p.grantRounds).toBeGreaterThan(1_000);
    for (const caseId of [...holds.keys()]) {
      leave(caseId);
      grant();
    }
    check();
    expect(p.places).toEqual({ reserved: 0, used: 0, waitlisted: 0 });
    expect(p.openCases).toBe(0);
    expect(p.waitlistSeq).toBeGreaterThan(CASES / 2);
    expect(p.recentMessages.length).toBe(REMEMBERED_UPDATES);
    expect(longestList(p)).toBeLessThanOrEqual(REMEMBERED_UPDATES);
    expect(largest).toBeLessThan(50_000);
  });
});

/** The longest list anywhere in the state. */
function longestList(value: unknown): number {
  if (Array.isArray(value)) return Math.max(value.length, ...value.map(longestList));
  if (value && typeof value === 'object') return Math.max(0, ...Object.values(value).map(longestList));
  return 0;
}
