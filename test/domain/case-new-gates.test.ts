/**
 * The gate kinds that go where case systems do not: a match offered to a shortlist in turn, an
 * outcome that expires before the case no longer needs it, and requirements on a sponsor group
 * that its changes can undo. Pure rules, at chosen instants.
 */
import { describe, expect, it } from 'vitest';
import { refuseAction as refuseCode, type CaseAction } from '../../domain/case-actions.js';
import { applyAction } from '../../domain/case-apply.js';
import { Recorder } from '../../domain/case-effects.js';
import { groupChanged, groupRead, groupsToRead } from '../../domain/case-groups.js';
import { advance, newCaseState, refuseParties, startCase } from '../../domain/case-lifecycle.js';
import { currentStage, type CaseState, type GroupCheckGateState, type MatchGateState } from '../../domain/case-model.js';
import { nextWake, tick } from '../../domain/case-timers.js';
import { turnOf } from '../../domain/case-turn.js';
import { caseView } from '../../domain/case-view.js';
import { durationMs } from '../../domain/duration.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { act, actor, DAY, driveTo, makeCase, ORG, T0 } from './helpers.js';

const matched = builtInTemplates['matched-sponsorship']!;
const GROUP_A = '00000000-0000-4000-8000-00000000000a';
const GROUP_B = '00000000-0000-4000-8000-00000000000b';
const coordinator = actor('coordinator');
const groupActor = (organisationId: string) => ({ personId: `person-${organisationId.slice(-1)}`, organisationId, role: 'sponsor' as const });

function matchedCase(): CaseState {
  const parties = { coordinator: ORG.coordinator, municipality: ORG.municipality, immigration: ORG.immigration };
  const s = newCaseState({ caseId: 'case-m', reference: 'SR-M', template: matched, parties }, T0);
  startCase(s, new Recorder(s, s.caseId, T0));
  run(s, { type: 'decide', gateId: 'eligibility', actor: coordinator, outcome: 'approve' }, T0);
  return s;
}

function run(s: CaseState, action: CaseAction, now: number): Recorder {
  expect(refuseCode(s, action, now)).toBeUndefined();
  const rec = new Recorder(s, s.caseId, now);
  applyAction(s, action, rec);
  advance(s, rec);
  return rec;
}

function tickAt(s: CaseState, now: number): Recorder {
  const rec = new Recorder(s, s.caseId, now);
  tick(s, rec);
  advance(s, rec);
  return rec;
}

const kinds = (rec: Recorder) => rec.effects.events.map((e) => e.kind);
const matchGate = (s: CaseState) => s.gates.find((g): g is MatchGateState => g.kind === 'match')!;

describe('match offers', () => {
  it('opens with the matched slot empty, and refuses it filled at opening', () => {
    const parties = { coordinator: ORG.coordinator, municipality: ORG.municipality, immigration: ORG.immigration };
    expect(refuseParties(matched, parties)).toBeUndefined();
    expect(refuseParties(matched, { ...parties, sponsor: GROUP_A })).toMatch(/filled by a match/);
    expect(refuseParties(matched, { coordinator: ORG.coordinator })).toMatch(/missing for: municipality, immigration/);
  });

  it('asks the shortlist in turn: a decline moves to the next, an acceptance fills the slot and moves on', () => {
    const s = matchedCase();
    expect(currentStage(s)!.id).toBe('matching');
    expect(turnOf(s, matchGate(s), T0)).toMatchObject({ todo: 'propose-match', organisations: [ORG.coordinator], declines: 0 });
    expect(refuseCode(s, { type: 'propose_match', gateId: 'sponsor-match', actor: coordinator, candidates: [] }, T0)).toEqual({ code: 'shortlist-invalid', max: 10 });
    expect(refuseCode(s, { type: 'propose_match', gateId: 'sponsor-match', actor: coordinator, candidates: [GROUP_A, GROUP_A] }, T0)).toEqual({ code: 'shortlist-invalid', max: 10 });

    const proposed = run(s, { type: 'propose_match', gateId: 'sponsor-match', actor: coordinator, candidates: [GROUP_A, GROUP_B] }, T0);
    expect(kinds(proposed)).toEqual(['match_shortlisted', 'match_proposed']);
    expect(proposed.effects.notifications).toMatchObject([{ template: 'match-proposed', organisationIds: [GROUP_A], dueAt: T0 + 14 * DAY }]);
    expect(turnOf(s, matchGate(s), T0)).toMatchObject({ todo: 'answer-match', organisations: [GROUP_A], dueAt: T0 + 14 * DAY });
    expect(caseView(s, T0).proposedTo).toEqual({ sponsor: GROUP_A });
    // Only the candidate asked answers; the coordinator cannot propose over an open proposal.
    expect(refuseCode(s, { type: 'accept_match', gateId: 'sponsor-match', actor: groupActor(GROUP_B) }, T0)).toEqual({ code: 'not-your-turn', gateId: 'sponsor-match' });
    expect(refuseCode(s, { type: 'propose_match', gateId: 'sponsor-match', actor: coordinator, candidates: [GROUP_B] }, T0)).toMatchObject({ code: 'match-proposal-open', organisationId: GROUP_A });
    expect(refuseCode(s, { type: 'decline_match', gateId: 'sponsor-match', actor: groupActor(GROUP_A), reasonRef: '' }, T0)).toEqual({ code: 'reason-needed', action: 'decline_match' });

    const declined = run(s, { type: 'decline_match', gateId: 'sponsor-match', actor: groupActor(GROUP_A), reasonRef: 'text-no-room' }, T0 + DAY);
    expect(kinds(declined)).toEqual(['match_declined', 'match_proposed']);
    expect(caseView(s, T0 + DAY).proposedTo).toEqual({ sponsor: GROUP_B });

    const accepted = run(s, { type: 'accept_match', gateId: 'sponsor-match', actor: groupActor(GROUP_B) }, T0 + 2 * DAY);
    expect(kinds(accepted)).toContain('match_accepted');
    expect(s.parties.sponsor).toBe(GROUP_B);
    expect(currentStage(s)!.id).toBe('commitment');
    expect(caseView(s, T0 + 2 * DAY).proposedTo).toEqual({});
  });

  it('reminds the candidate before the answer date, lapses it, and gives the step back to the coordinator when the shortlist is empty', () => {
    const s = matchedCase();
    run(s, { type: 'propose_match', gateId: 'sponsor-match', actor: coordinator, candidates: [GROUP_A] }, T0);
    expect(nextWake(s)).toBe(T0 + 11 * DAY); // three days before the answer date
    const reminder = tickAt(s, T0 + 11 * DAY);
    expect(kinds(reminder)).toEqual(['match_reminder']);
    expect(reminder.effects.notifications).toMatchObject([{ template: 'reminder', organisationIds: [GROUP_A], detail: 'match-answer' }]);
    expect(refuseCode(s, { type: 'accept_match', gateId: 'sponsor-match', actor: groupActor(GROUP_A) }, T0 + 14 * DAY)).toMatchObject({ code: 'match-proposal-lapsed' });
    const lapse = tickAt(s, T0 + 14 * DAY);
    expect(kinds(lapse)).toEqual(['match_lapsed', 'match_shortlist_empty']);
    expect(lapse.effects.notifications).toMatchObject([{ template: 'escalation', organisationIds: [ORG.coordinator], detail: 'match-shortlist-empty' }]);
    expect(turnOf(s, matchGate(s), T0 + 14 * DAY)).toMatchObject({ todo: 'propose-match', organisations: [ORG.coordinator], declines: 1 });
  });

  it('lapses a proposal on its date while the case is held', () => {
    const s = matchedCase();
    run(s, { type: 'propose_match', gateId: 'sponsor-match', actor: coordinator, candidates: [GROUP_A, GROUP_B] }, T0);
    run(s, { type: 'hold', actor: coordinator, reasonRef: 'text-hold' }, T0 + DAY);
    expect(nextWake(s)).toBe(T0 + 14 * DAY);
    expect(kinds(tickAt(s, T0 + 14 * DAY))).toEqual(['match_lapsed', 'match_proposed']);
  });
});

describe('outcomes that expire', () => {
  const SIX_MONTHS = durationMs('6 months');

  it('reopens a municipal consent that expires before arrival, beside the current stage, and the case waits on it', () => {
    const { s } = makeCase();
    driveTo(s, 'visa', T0); // consent approved at T0, valid six months, needed until arrival
    expect(caseView(s, T0).relied).toEqual([{ gateId: 'municipal-consent', neededUntil: 'arrival', expiresAt: new Date(T0 + SIX_MONTHS).toISOString() }]);
    act(s, { type: 'decide', gateId: 'entry-visa', actor: actor('immigration'), outcome: 'approve' }, T0 + DAY);
    expect(currentStage(s)!.id).toBe('pre-departure');
    const expiry = tickAt(s, T0 + SIX_MONTHS);
    expect(kinds(expiry)).toContain('outcome_expired');
    expect(expiry.effects.notifications).toContainEqual(expect.objectContaining({ template: 'action-required', organisationIds: [ORG.municipality], detail: 'outcome-expired' }));
    const consent = s.gates.find((g) => g.id === 'municipal-consent')!;
    expect(consent).toMatchObject({ status: 'open', reopened: { reason: 'expired', times: 1 } });
    expect(caseView(s, T0 + SIX_MONTHS).gates.find((g) => g.id === 'municipal-consent')).toMatchObject({ reopened: { reason: 'expired' }, waitingOn: [ORG.municipality] });

    // Pre-departure done: the case still waits on the renewed consent before it travels.
    act(s, { type: 'complete', gateId: 'orientation', actor: actor('iom') }, T0 + SIX_MONTHS);
    act(s, { type: 'complete', gateId: 'travel', actor: actor('iom') }, T0 + SIX_MONTHS);
    expect(currentStage(s)!.id).toBe('pre-departure');
    act(s, { type: 'decide', gateId: 'municipal-consent', actor: actor('municipality'), outcome: 'approve' }, T0 + SIX_MONTHS + DAY);
    expect(currentStage(s)!.id).toBe('arrival');
    // Renewed: valid six months from the new approval.
    expect(s.relied).toEqual([{ gateId: 'municipal-consent', neededUntil: 6, expiresAt: T0 + SIX_MONTHS + DAY + SIX_MONTHS }]);
  });

  it('is needed no more once the arrival stage is done: no expiry after it', () => {
    const { s } = makeCase();
    driveTo(s, 'support', T0 + DAY);
    expect(s.relied).toEqual([]);
    expect(kinds(tickAt(s, T0 + durationMs('6 months') + DAY))).not.toContain('outcome_expired');
  });

  it('reopens at its place when it expires in its own stage', () => {
    const { s } = makeCase();
    driveTo(s, 'commitment', T0);
    act(s, { type: 'decide', gateId: 'municipal-consent', actor: actor('municipality'), outcome: 'approve' }, T0);
    expect(currentStage(s)!.id).toBe('commitment'); // the settlement plan is still open
    tickAt(s, T0 + SIX_MONTHS);
    expect(s.gates.map((g) => [g.id, g.status])).toEqual([
      ['sponsor-plan', 'open'],
      ['municipal-consent', 'open'],
    ]);
  });
});

describe('requirements on a sponsor group', () => {
  const counts = (members: number, lacking: number, trained: boolean, rosterVersion: number) => ({
    rosterVersion,
    members,
    missing: [
      { check: 'good-conduct', members: lacking },
      { check: 'training', members: trained ? 0 : 1 },
    ],
    at: T0,
  });

  function atChecks(): { s: CaseState; gate: () => GroupCheckGateState } {
    const s = matchedCase();
    run(s, { type: 'propose_match', gateId: 'sponsor-match', actor: coordinator, candidates: [GROUP_A] }, T0);
    run(s, { type: 'accept_match', gateId: 'sponsor-match', actor: groupActor(GROUP_A) }, T0);
    // The programme-less case needs no place: the commitment stage opens at once.
    expect(currentStage(s)!.id).toBe('commitment');
    return { s, gate: () => s.gates.find((g): g is GroupCheckGateState => g.kind === 'group-check')! };
  }

  it('is read when it opens; short of it, the group is told once and it is their turn', () => {
    const { s, gate } = atChecks();
    expect(groupsToRead(s)).toEqual([{ gateId: 'sponsor-checks', organisationId: GROUP_A, everyMember: ['good-conduct'], someMember: ['training'], rosterVersion: 0 }]);
    expect(turnOf(s, gate(), T0)).toBeUndefined(); // nobody is asked before it is read
    const rec = new Recorder(s, s.caseId, T0);
    groupRead(s, 'sponsor-checks', counts(4, 2, false, 3), rec);
    expect(kinds(rec)).toEqual(['group_requirements_unmet']);
    expect(rec.effects.notifications).toMatchObject([{ template: 'action-required', organisationIds: [GROUP_A], detail: 'group-requirements' }]);
    expect(turnOf(s, gate(), T0)).toMatchObject({ todo: 'meet-group-requirements', organisations: [GROUP_A], missing: 3 });
    expect(groupsToRead(s)).toEqual([]);
    // A newer roster: read again; still short, nobody is told twice.
    expect(groupChanged(s, GROUP_A, 4)).toBe(true);
    expect(groupChanged(s, GROUP_A, 4)).toBe(false); // the same notice again changes nothing
    const again = new Recorder(s, s.caseId, T0);
    groupRead(s, 'sponsor-checks', counts(4, 1, false, 4), again);
    expect(again.effects).toMatchObject({ events: [], notifications: [] });
    expect(turnOf(s, gate(), T0)).toMatchObject({ missing: 2 });
  });

  it('closes when met; a member joining without the check opens it again, and an older reading changes nothing', () => {
    const { s, gate } = atChecks();
    const met = new Recorder(s, s.caseId, T0);
    groupRead(s, 'sponsor-checks', counts(3, 0, true, 5), met);
    expect(kinds(met)).toEqual(['group_requirements_met']);
    expect(gate().status).toBe('done');
    expect(s.relied).toEqual([{ gateId: 'sponsor-checks', neededUntil: 7, group: GROUP_A, rosterVersion: 5, readVersion: 5 }]);

    groupChanged(s, GROUP_A, 6);
    const stale = new Recorder(s, s.caseId, T0 + DAY);
    groupRead(s, 'sponsor-checks', counts(4, 1, true, 4), stale);
    expect(gate().status).toBe('done');
    const joined = new Recorder(s, s.caseId, T0 + DAY);
    groupRead(s, 'sponsor-checks', counts(4, 1, true, 6), joined);
    expect(kinds(joined)).toEqual(['group_requirements_reopened']);
    expect(joined.effects.notifications).toMatchObject([{ organisationIds: [GROUP_A], detail: 'group-changed' }]);
    expect(gate()).toMatchObject({ status: 'open', reopened: { reason: 'group-changed', times: 1 }, evaluation: { rosterVersion: 6, members: 4 } });
  });

  it('reopens a step of an earlier stage when the group no longer meets it, until arrival', () => {
    const { s } = atChecks();
    groupRead(s, 'sponsor-checks', counts(3, 0, true, 5), new Recorder(s, s.caseId, T0));
    run(s, { type: 'decide', gateId: 'municipal-consent', actor: actor('municipality'), outcome: 'approve' }, T0);
    expect(currentStage(s)!.id).toBe('housing');
    // A change that still meets it: read, nothing opens.
    groupChanged(s, GROUP_A, 6);
    expect(groupsToRead(s)).toMatchObject([{ gateId: 'sponsor-checks', rosterVersion: 6 }]);
    groupRead(s, 'sponsor-checks', counts(3, 0, true, 6), new Recorder(s, s.caseId, T0));
    expect(s.gates.map((g) => g.id)).toEqual(['housing']);
    // The only trained member left: the step opens beside housing, and the case waits on it.
    groupChanged(s, GROUP_A, 7);
    const left = new Recorder(s, s.caseId, T0 + DAY);
    groupRead(s, 'sponsor-checks', counts(2, 0, false, 7), left);
    expect(kinds(left)).toEqual(['group_requirements_reopened']);
    expect(s.gates.map((g) => [g.id, g.status])).toEqual([
      ['housing', 'open'],
      ['sponsor-checks', 'open'],
    ]);
    run(s, { type: 'offer_housing', gateId: 'housing', actor: actor('municipality'), offer: { offerId: 'o1', rooms: 2, accessible: false, availableFrom: '2030-06-01', validUntil: new Date(T0 + 20 * DAY).toISOString() } }, T0 + DAY);
    run(s, { type: 'accept_offer', gateId: 'housing', actor: groupActor(GROUP_A), offerId: 'o1' }, T0 + DAY);
    expect(currentStage(s)!.id).toBe('housing');
    const rec = new Recorder(s, s.caseId, T0 + 2 * DAY);
    groupRead(s, 'sponsor-checks', counts(3, 0, true, 8), rec);
    advance(s, rec);
    expect(currentStage(s)!.id).toBe('agreement');
  });
});

describe('departure batches', () => {
  it('lets the coordinator complete a step done in a batch, and no other', () => {
    const s = matchedCase();
    const travel = matched.stages.find((st) => st.id === 'travel')!.gates[0]!;
    expect(travel).toMatchObject({ kind: 'task', doneInBatch: 'departure' });
    // At the match step, a batch's completion is refused as any action on a step not open.
    expect(refuseCode(s, { type: 'complete', gateId: 'travel', actor: coordinator, batch: { batchId: 'b1', event: 'departure' } }, T0)).toMatchObject({ code: 'gate-not-open' });
    const { s: corridorLike } = makeCase();
    driveTo(corridorLike, 'arrival', T0);
    // Community sponsorship's arrival is not done in a batch.
    expect(refuseCode(corridorLike, { type: 'complete', gateId: 'arrival', actor: actor('coordinator'), batch: { batchId: 'b1', event: 'arrival' } }, T0)).toEqual({ code: 'not-done-in-batch', gateId: 'arrival', event: 'arrival' });
  });
});
