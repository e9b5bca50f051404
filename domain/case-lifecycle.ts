/** Stages in order, gates of a stage in parallel, quota places, the programme link and the end of a case. Pure. */
import { newAgreement } from './agreement.js';
import type { Recorder } from './case-effects.js';
import {
  coordinatorOrg,
  currentStage,
  gateTemplate,
  isFinal,
  isHeld,
  KEPT_COMPLETED_STAGES,
  KEPT_PROPOSALS,
  type CaseOutcome,
  type CaseState,
  type GateState,
  type MatchGateState,
} from './case-model.js';
import { beginHold, endHold } from './case-timers.js';
import { durationMs } from './duration.js';
import { matchedSlots, type GateTemplate, type PathwayTemplate } from './pathway.js';
import { messageId, type CaseMessage, type ProgrammeNotice, type ProgrammeReply } from './programme-link.js';
import { keepLast } from './text-ref.js';

export interface NewCase {
  caseId: string;
  reference: string;
  programmeId?: string;
  template: PathwayTemplate;
  parties: Record<string, string>;
}

export function newCaseState(c: NewCase, now: number): CaseState {
  return {
    ...c,
    status: 'active',
    openedAt: now,
    stageIndex: 0,
    stageEnteredAt: now,
    gates: [],
    completedStages: [],
    programmeEpoch: 0,
    place: 'not_needed_yet',
    outbox: [],
    recentUpdates: [],
    seq: 0,
    version: 0,
  };
}

/** Refuses parties that do not fill every slot of the template (but those a match fills later, which must stay empty). */
export function refuseParties(template: PathwayTemplate, parties: Record<string, string>): string | undefined {
  const matched = matchedSlots(template);
  const missing = template.parties.filter((p) => !parties[p.id] && !matched.includes(p.id)).map((p) => p.id);
  if (missing.length) return `organisations missing for: ${missing.join(', ')}`;
  const early = matched.filter((slot) => parties[slot]);
  return early.length ? `filled by a match during the case, not when it is opened: ${early.join(', ')}` : undefined;
}

/** Queues a message to the programme (a case outside any programme has nobody to tell). */
function tellProgramme(s: CaseState, message: CaseMessage): void {
  if (!s.programmeId) return;
  s.outbox.push({ id: messageId(s.caseId, message), message });
}

function openGate(s: CaseState, t: GateTemplate, now: number): GateState {
  const common = {
    id: t.id,
    title: t.title,
    openedAt: now,
    dueAt: now + durationMs(t.time.dueIn),
    remindersSent: 0,
    escalationsSent: 0,
    status: 'open' as const,
  };
  switch (t.kind) {
    case 'decision':
      return { ...common, kind: 'decision', slot: t.actor, assignee: s.parties[t.actor]!, infoRequests: 0 };
    case 'task':
      return { ...common, kind: 'task', slot: t.actor, assignee: s.parties[t.actor]! };
    case 'housing':
      return {
        ...common,
        kind: 'housing',
        slot: t.actor,
        assignee: s.parties[t.actor]!,
        respondentSlot: t.respondent,
        respondent: s.parties[t.respondent]!,
        offers: [],
        offersMade: 0,
        capacityDeclines: 0,
        respondentDeclines: 0,
        declineEscalationsSent: 0,
      };
    case 'agreement':
      return { ...common, kind: 'agreement', slot: 'coordinator', assignee: coordinatorOrg(s), agreement: newAgreement(t.signatories.map((x) => s.parties[x]!)) };
    case 'checkins': {
      const reports = t.reportsAt.map((at, index) => ({ index, dueAt: now + durationMs(at), remindersSent: 0, escalationsSent: 0 }));
      const grace = durationMs(t.time.dueIn);
      return { ...common, kind: 'checkins', slot: t.actor, assignee: s.parties[t.actor]!, reports, endsAt: now + durationMs(t.supportPeriod), dueAt: reports[0]!.dueAt + grace };
    }
    case 'match':
      return { ...common, kind: 'match', slot: t.actor, assignee: s.parties[t.actor]!, fillsSlot: t.fills, shortlist: [], proposals: [], proposalsMade: 0, declines: 0 };
    case 'group-check':
      // No evaluation yet: the workflow reads the group at once.
      return { ...common, kind: 'group-check', slot: t.group, assignee: s.parties[t.group]!, rosterVersion: 0 };
  }
}

/** Index of the stage whose completion ends the need for a step's outcome: as the template says, else the arrival, else the last. */
function neededUntilIndex(s: CaseState, t: GateTemplate): number {
  const named = 'neededUntil' in t && t.neededUntil !== undefined ? s.template.stages.findIndex((x) => x.id === t.neededUntil) : -1;
  if (named >= 0) return named;
  const arrival = s.template.stages.findIndex((x) => x.arrival);
  return arrival >= 0 ? arrival : s.template.stages.length - 1;
}

/**
 * A step just done whose outcome the case will rely on later: one that expires (`validFor`) or a
 * group's requirements, which the group's changes can undo. Replaces what was kept for it before.
 */
export function relyOn(s: CaseState, gate: GateState, rec: Recorder): void {
  const t = gateTemplate(s, gate.id);
  if (!t) return;
  const validFor = (t.kind === 'decision' || t.kind === 'task') && t.validFor !== undefined ? durationMs(t.validFor) : undefined;
  const read = gate.kind === 'group-check' ? (gate.evaluation?.rosterVersion ?? 0) : undefined;
  if (validFor === undefined && read === undefined) return;
  const until = neededUntilIndex(s, t);
  if (s.stageIndex > until) return;
  const relied = (s.relied ??= []).filter((r) => r.gateId !== gate.id);
  relied.push({
    gateId: gate.id,
    neededUntil: until,
    ...(validFor !== undefined ? { expiresAt: rec.now + validFor } : {}),
    ...(read !== undefined ? { group: gate.assignee, rosterVersion: read, readVersion: read } : {}),
  });
  s.relied = relied;
}

/** Stage `index` completed: the outcomes needed only until it are needed no more. */
function stopRelyingUpTo(s: CaseState, index: number): void {
  if (s.relied?.length) s.relied = s.relied.filter((r) => r.neededUntil > index);
}

/**
 * A done step opens again (its outcome expired, or the group it checked no longer meets it): at its
 * place when it is of the current stage, else beside the current stage's steps, and the case waits
 * on it before moving on. Its acting party is told; a decision is taken anew.
 */
export function reopenGate(s: CaseState, gateId: string, reason: 'expired' | 'group-changed', rec: Recorder): void {
  const t = gateTemplate(s, gateId);
  if (!t || isFinal(s)) return;
  const before = s.gates.find((g) => g.id === gateId);
  if (before?.status === 'open') return;
  const fresh = openGate(s, t, rec.now);
  // Who acted before acts again (a reassigned slot keeps its organisation).
  if (before) fresh.assignee = before.assignee;
  fresh.reopened = { reason, at: rec.now, times: (before?.reopened?.times ?? 0) + 1 };
  if (before) s.gates[s.gates.indexOf(before)] = fresh;
  else s.gates.push(fresh);
  rec.event(reason === 'expired' ? 'outcome_expired' : 'group_requirements_reopened', 'system', { gateId, data: { dueAt: new Date(fresh.dueAt).toISOString() } });
  rec.notify('action-required', [fresh.assignee], { gateTitle: fresh.title, dueAt: fresh.dueAt, detail: reason === 'expired' ? 'outcome-expired' : 'group-changed' });
}

function enterStage(s: CaseState, index: number, rec: Recorder): void {
  s.stageIndex = index;
  s.stageEnteredAt = rec.now;
  s.gates = [];
  const stage = currentStage(s)!;
  rec.event('stage_entered', 'system', { data: { stage: stage.id } });
  if (stage.reservesPlace && s.programmeId && s.place === 'not_needed_yet') {
    s.place = 'requested';
    s.status = 'waitlisted';
    tellProgramme(s, { kind: 'request_place' });
    rec.event('place_requested', 'system', { data: { stage: stage.id } });
    return;
  }
  openStageGates(s, rec);
}

function openStageGates(s: CaseState, rec: Recorder): void {
  const opened = currentStage(s)!.gates.map((t) => openGate(s, t, rec.now));
  // A step of an earlier stage opened again while the case waited for its place still waits.
  s.gates = [...s.gates.filter((g) => g.reopened && g.status === 'open' && !opened.some((o) => o.id === g.id)), ...opened];
  for (const g of opened) {
    rec.event('gate_opened', 'system', { gateId: g.id, data: { dueAt: new Date(g.dueAt).toISOString() } });
    // Check-in reports are announced when due; a group's requirements once read (when not met).
    const who = g.kind === 'agreement' ? [coordinatorOrg(s)] : g.kind === 'checkins' || g.kind === 'group-check' ? [] : [g.assignee];
    rec.notify('action-required', who, { gateTitle: g.title, dueAt: g.dueAt });
  }
}

/** Starts the case at its first stage, and tells its programme. */
export function startCase(s: CaseState, rec: Recorder): void {
  rec.event('case_opened', 'system', { data: { pathway: s.template.id, reference: s.reference } });
  tellProgramme(s, { kind: 'opened' });
  enterStage(s, 0, rec);
}

/** Moves on while every gate of the current stage is done; holds while held or paused. */
export function advance(s: CaseState, rec: Recorder): void {
  while (!isFinal(s) && !isHeld(s) && s.status === 'active' && s.gates.length > 0 && s.gates.every((g) => g.status === 'done')) {
    const stage = currentStage(s)!;
    s.completedStages.push({ stageId: stage.id, completedAt: rec.now });
    keepLast(s.completedStages, KEPT_COMPLETED_STAGES);
    rec.event('stage_completed', 'system', { data: { stage: stage.id } });
    stopRelyingUpTo(s, s.stageIndex);
    if (stage.arrival && s.place === 'reserved') {
      s.place = 'used';
      tellProgramme(s, { kind: 'use_place' });
    }
    if (s.stageIndex + 1 >= s.template.stages.length) {
      endCase(s, { status: 'completed', code: 'completed', by: 'system' }, rec);
      return;
    }
    enterStage(s, s.stageIndex + 1, rec);
  }
}

/** A place for the case: at once in answer to its request, or later from the waiting list. */
export function grantPlace(s: CaseState, rec: Recorder): void {
  if (s.place !== 'requested' || isFinal(s)) return;
  s.place = 'reserved';
  s.status = 'active';
  rec.event('place_reserved', 'system');
  rec.notify('case-update', [s.parties[sponsorSlot(s)] ?? coordinatorOrg(s)], { detail: 'place-reserved' });
  openStageGates(s, rec);
}

/** Its programme paused or resumed (told by epoch, so an older message never undoes a newer one). */
export function applyProgrammeStatus(s: CaseState, status: { epoch: number; paused: boolean }, rec: Recorder): void {
  if (status.epoch <= s.programmeEpoch || isFinal(s)) return;
  s.programmeEpoch = status.epoch;
  if (status.paused) programmePaused(s, rec);
  else programmeResumed(s, rec);
}

/** The case holds at its next gate and its reminders stop. Idempotent. */
function programmePaused(s: CaseState, rec: Recorder): void {
  if (s.programmePausedSince !== undefined) return;
  s.programmePausedSince = rec.now;
  beginHold(s, rec.now);
  rec.event('programme_paused', 'system');
}

/** Deadlines move on by the time held (if nothing else still holds it). */
function programmeResumed(s: CaseState, rec: Recorder): void {
  if (s.programmePausedSince === undefined) return;
  const pausedFor = rec.now - s.programmePausedSince;
  s.programmePausedSince = undefined;
  endHold(s, rec.now);
  rec.event('programme_resumed', 'system', { data: { pausedDays: Math.round(pausedFor / 86_400_000) } });
}

/** The programme answered `message`, which the caller has taken off the outbox. */
export function programmeReplied(s: CaseState, message: CaseMessage, reply: ProgrammeReply, rec: Recorder): void {
  applyProgrammeStatus(s, reply, rec);
  if (message.kind === 'opened' && !reply.accepted && !isFinal(s)) {
    // The programme never counted this case: it is told nothing more (no release, no close).
    s.outbox = [];
    endCase(s, { status: 'withdrawn', code: 'programme-refused', by: 'system', detail: reply.refusal ?? 'the programme does not take cases' }, rec);
    return;
  }
  if (message.kind === 'request_place') {
    // The case ended before the answer came: what it gives back is what the programme gave it.
    const release = s.outbox.find((m) => m.message.kind === 'release_place');
    if (release && reply.place) release.message = { kind: 'release_place', held: reply.place === 'reserved' ? 'reserved' : 'requested' };
    if (reply.place === 'reserved') grantPlace(s, rec);
    else if (reply.place === 'waitlisted' && s.place === 'requested') rec.event('case_waitlisted', 'system');
  }
}

/**
 * A notice from the programme. `id` is the notice's update id: a place offered again (a retried
 * delivery) gets the answer it got the first time.
 */
export function programmeNoticeReceived(s: CaseState, id: string, notice: ProgrammeNotice, rec: Recorder): boolean {
  if (notice.kind === 'status') {
    applyProgrammeStatus(s, notice, rec);
    return true;
  }
  if (s.placeGrantedBy === id) return true;
  if (s.place !== 'requested' || isFinal(s)) return false;
  s.placeGrantedBy = id;
  grantPlace(s, rec);
  return true;
}

/** Rejection diverts the case to another stage. */
export function divertTo(s: CaseState, stageId: string, rec: Recorder): void {
  const index = s.template.stages.findIndex((x) => x.id === stageId);
  rec.event('case_diverted', 'system', { data: { to: stageId } });
  enterStage(s, index, rec);
}

export function endCase(s: CaseState, outcome: Omit<CaseOutcome, 'at'>, rec: Recorder): void {
  s.status = outcome.status;
  s.outcome = { ...outcome, at: rec.now };
  for (const g of s.gates) if (g.status === 'open') g.status = outcome.status === 'completed' ? 'done' : 'rejected';
  const counted = outcome.code !== 'programme-refused';
  if (s.place === 'requested' || s.place === 'reserved') {
    if (counted) tellProgramme(s, { kind: 'release_place', held: s.place });
    s.place = 'released';
  }
  if (counted) tellProgramme(s, { kind: 'closed' });
  rec.event(`case_${outcome.status}`, outcome.by, { textRef: outcome.textRef, ...(outcome.gateId ? { gateId: outcome.gateId } : {}), data: { code: outcome.code } });
  rec.notify('case-update', [coordinatorOrg(s), ...(s.parties[sponsorSlot(s)] ? [s.parties[sponsorSlot(s)]!] : [])], { detail: outcome.status });
}

/** The slot of the sponsor group (or whoever represents the household), if the pathway has one. */
export function sponsorSlot(s: CaseState): string {
  return s.template.parties.find((p) => p.kind === 'sponsor_group')?.id ?? '';
}

/**
 * Asks the next candidate of a match's shortlist, who has the template's `answerWithin` to answer;
 * with nobody left, the step is the coordinator's again (told, as an escalation, that nobody took it).
 */
export function proposeNext(s: CaseState, gate: MatchGateState, rec: Recorder): void {
  const t = gateTemplate(s, gate.id);
  const next = gate.shortlist.shift();
  if (next === undefined || t?.kind !== 'match') {
    rec.event('match_shortlist_empty', 'system', { gateId: gate.id });
    rec.notify('escalation', [coordinatorOrg(s)], { gateTitle: gate.title, dueAt: gate.dueAt, detail: 'match-shortlist-empty' });
    return;
  }
  const answerBy = rec.now + durationMs(t.answerWithin);
  gate.proposals.push({ organisationId: next, proposedAt: rec.now, answerBy, status: 'open', reminderSent: false });
  gate.proposalsMade += 1;
  while (gate.proposals.length > KEPT_PROPOSALS) gate.proposals.splice(gate.proposals.findIndex((p) => p.status !== 'open'), 1);
  rec.event('match_proposed', 'system', { gateId: gate.id, data: { organisationId: next, answerBy: new Date(answerBy).toISOString() } });
  rec.notify('match-proposed', [next], { gateTitle: gate.title, dueAt: answerBy });
}

/** The accepted candidate takes its party slot for the rest of the case. */
export function fillSlot(s: CaseState, slot: string, organisationId: string): void {
  s.parties[slot] = organisationId;
  for (const g of s.gates) if (g.status === 'open' && g.slot === slot) g.assignee = organisationId;
}
