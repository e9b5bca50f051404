/** Stages in order, gates of a stage in parallel, quota places, the programme link and the end of a case. Pure. */
import { newAgreement } from './agreement.js';
import type { Recorder } from './case-effects.js';
import {
  coordinatorOrg,
  currentStage,
  isFinal,
  isHeld,
  KEPT_COMPLETED_STAGES,
  type CaseOutcome,
  type CaseState,
  type GateState,
} from './case-model.js';
import { beginHold, endHold } from './case-timers.js';
import { durationMs } from './duration.js';
import type { GateTemplate, PathwayTemplate } from './pathway.js';
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

/** Refuses parties that do not fill every slot of the template. */
export function refuseParties(template: PathwayTemplate, parties: Record<string, string>): string | undefined {
  const missing = template.parties.filter((p) => !parties[p.id]).map((p) => p.id);
  return missing.length ? `organisations missing for: ${missing.join(', ')}` : undefined;
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
  }
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
  s.gates = currentStage(s)!.gates.map((t) => openGate(s, t, rec.now));
  for (const g of s.gates) {
    rec.event('gate_opened', 'system', { gateId: g.id, data: { dueAt: new Date(g.dueAt).toISOString() } });
    const who = g.kind === 'agreement' ? [coordinatorOrg(s)] : g.kind === 'checkins' ? [] : [g.assignee];
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
