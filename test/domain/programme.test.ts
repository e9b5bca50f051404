/** The programme's rules: MoU, status, quota with its waitlist, pause and close. */
import { describe, expect, it } from 'vitest';
import type { ActorRef } from '../../domain/case-actions.js';
import { Recorder } from '../../domain/case-effects.js';
import type { ProgrammeAction, ProgrammeState } from '../../domain/programme-model.js';
import { applyProgrammeAction, handleCaseEvent, newProgrammeState, programmeView, refuseProgrammeAction } from '../../domain/programme.js';

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
function caseEvent(p: ProgrammeState, caseId: string, event: Parameters<typeof handleCaseEvent>[2]): Recorder {
  const rec = new Recorder(p, p.programmeId, T0);
  handleCaseEvent(p, caseId, event, rec);
  return rec;
}
const doc = (n: number) => ({ title: `MoU v${n}`, contentHash: `hash-${n}` });

/** A programme whose MoU every signatory signed. */
function activeProgramme(quota = 2): ProgrammeState {
  const p = newProgramme(quota);
  run(p, { type: 'publish_mou', actor: coordinator, document: doc(1) });
  for (const actor of [coordinator, municipal, agency]) run(p, { type: 'sign_mou', actor, version: 1 });
  return p;
}
const granted = (rec: Recorder) => rec.effects.cases.filter((c) => c.signal === 'place_granted').map((c) => c.caseId);

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
    expect(refuseProgrammeAction(p, { type: 'request_mou_changes', actor: municipal, comment: ' ' })).toMatch(/a change request needs a comment/);
  });

  it('refuses a new version once executed', () => {
    const p = activeProgramme();
    expect(refuseProgrammeAction(p, { type: 'publish_mou', actor: coordinator, document: doc(2) })).toMatch(/the agreement is already executed; it cannot get a new version/);
  });

  it('refuses coordinator actions by anyone else', () => {
    const p = activeProgramme();
    const sameOrgOtherRole: ActorRef = { ...coordinator, role: 'admin' };
    expect(refuseProgrammeAction(newProgramme(), { type: 'publish_mou', actor: municipal, document: doc(1) })).toMatch(/only the programme's coordinator publishes versions of the MoU/);
    expect(refuseProgrammeAction(p, { type: 'pause', actor: municipal, reason: 'x' })).toMatch(/only the programme's coordinator can pause it/);
    expect(refuseProgrammeAction(p, { type: 'set_quota', actor: sameOrgOtherRole, quota: 5 })).toMatch(/only the programme's coordinator can change the quota/);
    expect(refuseProgrammeAction(p, { type: 'close', actor: agency, reason: 'x' })).toMatch(/only the programme's coordinator can close it/);
    run(p, { type: 'pause', actor: coordinator, reason: 'elections' });
    expect(refuseProgrammeAction(p, { type: 'resume', actor: municipal })).toMatch(/only the programme's coordinator can resume it/);
  });
});

describe('programme quota', () => {
  it('grants places while free, then waitlists', () => {
    const p = activeProgramme(2);
    expect(granted(caseEvent(p, 'c1', 'request_place'))).toEqual(['c1']);
    expect(granted(caseEvent(p, 'c2', 'request_place'))).toEqual(['c2']);
    const full = caseEvent(p, 'c3', 'request_place');
    expect(granted(full)).toEqual([]);
    expect(full.effects.events.map((e) => e.kind)).toEqual(['case_waitlisted']);
    caseEvent(p, 'c4', 'request_place');
    expect(p.waitlist).toEqual(['c3', 'c4']);
    expect(programmeView(p).quota).toEqual({ total: 2, used: 0, reserved: 2, free: 0, waitlisted: 2 });
    // asking again is idempotent: a reserved case hears again that it has its place
    expect(granted(caseEvent(p, 'c1', 'request_place'))).toEqual(['c1']);
    expect(p.reserved).toEqual(['c1', 'c2']);
  });

  it('a released place goes to the first waitlisted case', () => {
    const p = activeProgramme(2);
    for (const c of ['c1', 'c2', 'c3', 'c4']) caseEvent(p, c, 'request_place');
    const rec = caseEvent(p, 'c1', 'release_place');
    expect(rec.effects.cases).toContainEqual({ caseId: 'c3', signal: 'place_granted' });
    expect(granted(rec)).toEqual(['c3']);
    expect(p.reserved).toEqual(['c2', 'c3']);
    expect(p.waitlist).toEqual(['c4']);
  });

  it('a used place stays taken', () => {
    const p = activeProgramme(1);
    caseEvent(p, 'c1', 'request_place');
    caseEvent(p, 'c2', 'request_place');
    caseEvent(p, 'c1', 'use_place');
    expect(p.used).toEqual(['c1']);
    expect(p.reserved).toEqual([]);
    expect(granted(caseEvent(p, 'c1', 'release_place'))).toEqual([]);
    expect(p.waitlist).toEqual(['c2']);
  });

  it('raising the quota grants from the waitlist; it cannot go below the places taken', () => {
    const p = activeProgramme(1);
    for (const c of ['c1', 'c2', 'c3', 'c4']) caseEvent(p, c, 'request_place');
    caseEvent(p, 'c1', 'use_place');
    const rec = run(p, { type: 'set_quota', actor: coordinator, quota: 3 });
    expect(granted(rec)).toEqual(['c2', 'c3']);
    expect(p.waitlist).toEqual(['c4']);
    expect(refuseProgrammeAction(p, { type: 'set_quota', actor: coordinator, quota: 2 })).toMatch(/the quota cannot go below the 3 places already used or reserved/);
    expect(refuseProgrammeAction(p, { type: 'set_quota', actor: coordinator, quota: 3 })).toBeUndefined();
  });

  it('grants nothing before the MoU is executed, and grants the waitlist when it is', () => {
    const p = newProgramme(1);
    run(p, { type: 'publish_mou', actor: coordinator, document: doc(1) });
    expect(granted(caseEvent(p, 'c1', 'request_place'))).toEqual([]);
    run(p, { type: 'sign_mou', actor: coordinator, version: 1 });
    run(p, { type: 'sign_mou', actor: municipal, version: 1 });
    expect(granted(run(p, { type: 'sign_mou', actor: agency, version: 1 }))).toEqual(['c1']);
  });
});

describe('programme pause and close', () => {
  it('pauses only when active, signalling every open case; resume signals them again', () => {
    expect(refuseProgrammeAction(newProgramme(), { type: 'pause', actor: coordinator, reason: 'elections' })).toMatch(/only an active programme can be paused; it is draft/);
    const p = activeProgramme(1);
    expect(refuseProgrammeAction(p, { type: 'resume', actor: coordinator })).toMatch(/the programme is not paused; it is active/);
    expect(refuseProgrammeAction(p, { type: 'pause', actor: coordinator, reason: '  ' })).toMatch(/a pause needs a reason/);
    for (const c of ['c1', 'c2', 'c3']) caseEvent(p, c, 'opened');
    caseEvent(p, 'c3', 'closed');
    const paused = run(p, { type: 'pause', actor: coordinator, reason: 'elections' }, T0 + DAY);
    expect(p.status).toBe('paused');
    expect(paused.effects.cases).toEqual([{ caseId: 'c1', signal: 'programme_paused' }, { caseId: 'c2', signal: 'programme_paused' }]);
    expect(refuseProgrammeAction(p, { type: 'pause', actor: coordinator, reason: 'again' })).toMatch(`the programme is already paused since ${new Date(T0 + DAY).toISOString()}`);
    // a case opened during the pause is told at once; a place request waits
    expect(caseEvent(p, 'c4', 'opened').effects.cases).toEqual([{ caseId: 'c4', signal: 'programme_paused' }]);
    expect(granted(caseEvent(p, 'c4', 'request_place'))).toEqual([]);
    const resumed = run(p, { type: 'resume', actor: coordinator }, T0 + 11 * DAY);
    expect(p.status).toBe('active');
    expect(resumed.effects.cases).toEqual([
      { caseId: 'c1', signal: 'programme_resumed' },
      { caseId: 'c2', signal: 'programme_resumed' },
      { caseId: 'c4', signal: 'programme_resumed' },
      { caseId: 'c4', signal: 'place_granted' },
    ]);
    expect(resumed.effects.events[0]).toMatchObject({ kind: 'programme_resumed', data: { pausedDays: 10 } });
  });

  it('refuses to close with open cases; once closed refuses everything', () => {
    const p = activeProgramme();
    caseEvent(p, 'c1', 'opened');
    caseEvent(p, 'c2', 'opened');
    expect(refuseProgrammeAction(p, { type: 'close', actor: coordinator, reason: 'done' })).toMatch(/2 case\(s\) are still open; close or withdraw them first/);
    caseEvent(p, 'c1', 'closed');
    caseEvent(p, 'c2', 'closed');
    run(p, { type: 'close', actor: coordinator, reason: 'done' });
    expect(p.status).toBe('closed');
    expect(refuseProgrammeAction(p, { type: 'set_quota', actor: coordinator, quota: 10 })).toMatch(/^the programme is closed$/);
  });
});
