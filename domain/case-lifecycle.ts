/** Stages in order, gates of a stage in parallel, quota places and the end of a case. Pure. */
import { newAgreement } from './agreement.js';
import type { Recorder } from './case-effects.js';
import { coordinatorOrg, currentStage, isFinal, isHeld, type CaseState, type CaseStatus, type GateState } from './case-model.js';
import { beginHold, endHold } from './case-timers.js';
import { durationMs } from './duration.js';
import type { GateTemplate, PathwayTemplate } from './pathway.js';

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
    place: 'not_needed_yet',
    seq: 0,
    version: 0,
  };
}

/** Refuses parties that do not fill every slot of the template. */
export function refuseParties(template: PathwayTemplate, parties: Record<string, string>): string | undefined {
  const missing = template.parties.filter((p) => !parties[p.id]).map((p) => p.id);
  return missing.length ? `organisations missing for: ${missing.join(', ')}` : undefined;
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
      return { ...common, kind: 'decision', slot: t.actor, assignee: s.parties[t.actor]!, infoRequests: [] };
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
        capacityDeclines: [],
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
    rec.programme('request_place');
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

/** Starts the case at its first stage. */
export function startCase(s: CaseState, rec: Recorder): void {
  rec.event('case_opened', 'system', { data: { pathway: s.template.id, reference: s.reference } });
  enterStage(s, 0, rec);
}

/** Moves on while every gate of the current stage is done; holds while held or paused. */
export function advance(s: CaseState, rec: Recorder): void {
  while (!isFinal(s) && !isHeld(s) && s.status === 'active' && s.gates.length > 0 && s.gates.every((g) => g.status === 'done')) {
    const stage = currentStage(s)!;
    s.completedStages.push({ stageId: stage.id, completedAt: rec.now });
    rec.event('stage_completed', 'system', { data: { stage: stage.id } });
    if (stage.arrival && s.place === 'reserved') {
      s.place = 'used';
      rec.programme('use_place');
    }
    if (s.stageIndex + 1 >= s.template.stages.length) {
      endCase(s, 'completed', 'every stage completed', 'system', rec);
      return;
    }
    enterStage(s, s.stageIndex + 1, rec);
  }
}

/** The programme granted a place (at once, or later from the waitlist). */
export function grantPlace(s: CaseState, rec: Recorder): void {
  if (s.place !== 'requested' || isFinal(s)) return;
  s.place = 'reserved';
  s.status = 'active';
  rec.event('place_reserved', 'system');
  rec.notify('case-update', [s.parties[sponsorSlot(s)] ?? coordinatorOrg(s)], { detail: 'place-reserved' });
  openStageGates(s, rec);
}

/** Its programme paused: the case holds at its next gate and its reminders stop. Idempotent. */
export function programmePaused(s: CaseState, rec: Recorder): void {
  if (s.programmePausedSince !== undefined || isFinal(s)) return;
  s.programmePausedSince = rec.now;
  beginHold(s, rec.now);
  rec.event('programme_paused', 'system');
}

/** Its programme resumed: deadlines move on by the time held (if nothing else still holds it). */
export function programmeResumed(s: CaseState, rec: Recorder): void {
  if (s.programmePausedSince === undefined) return;
  const pausedFor = rec.now - s.programmePausedSince;
  s.programmePausedSince = undefined;
  endHold(s, rec.now);
  rec.event('programme_resumed', 'system', { data: { pausedDays: Math.round(pausedFor / 86_400_000) } });
}

/** Rejection diverts the case to another stage. */
export function divertTo(s: CaseState, stageId: string, rec: Recorder): void {
  const index = s.template.stages.findIndex((x) => x.id === stageId);
  rec.event('case_diverted', 'system', { data: { to: stageId } });
  enterStage(s, index, rec);
}

export function endCase(s: CaseState, status: Extract<CaseStatus, 'completed' | 'rejected' | 'withdrawn'>, reason: string, actor: string, rec: Recorder): void {
  s.status = status;
  s.outcome = { status, reason, at: rec.now };
  for (const g of s.gates) if (g.status === 'open') g.status = status === 'completed' ? 'done' : 'rejected';
  if (s.place === 'requested' || s.place === 'reserved') {
    s.place = 'released';
    rec.programme('release_place');
  }
  rec.event(`case_${status}`, actor, { reason });
  rec.notify('case-update', [coordinatorOrg(s), ...(s.parties[sponsorSlot(s)] ? [s.parties[sponsorSlot(s)]!] : [])], { detail: status });
}

/** The slot of the sponsor group (or whoever represents the household), if the pathway has one. */
export function sponsorSlot(s: CaseState): string {
  return s.template.parties.find((p) => p.kind === 'sponsor_group')?.id ?? '';
}
