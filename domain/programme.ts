/** The programme's rules: MoU, status, quota and pause. Pure; the programme workflow drives it. */
import { newAgreement, publish, refusePublish, refuseRequestChanges, refuseSign, requestChanges, sign, unsigned } from './agreement.js';
import type { Recorder } from './case-effects.js';
import { REMEMBERED_UPDATES } from './case-model.js';
import { durationMs } from './duration.js';
import type { CaseMessage, ProgrammeReply } from './programme-link.js';
import type { NewProgramme, ProgrammeAction, ProgrammeState, ProgrammeView } from './programme-model.js';
import type { Refusal } from './refusal.js';
import { keepLast } from './text-ref.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function newProgrammeState(p: NewProgramme, now: number): ProgrammeState {
  return {
    ...p,
    status: 'draft',
    createdAt: now,
    mou: newAgreement(p.mouSignatories),
    mouRemindersSent: 0,
    mouEscalationsSent: 0,
    places: { reserved: 0, used: 0, waitlisted: 0 },
    openCases: 0,
    epoch: 0,
    toldEpoch: 0,
    grantRounds: 0,
    waitlistSeq: 0,
    recentActions: [],
    recentMessages: [],
    seq: 0,
    version: 0,
  };
}

export const freePlaces = (p: ProgrammeState) => Math.max(0, p.quota - p.places.used - p.places.reserved);

export function refuseProgrammeAction(p: ProgrammeState, a: ProgrammeAction): Refusal | undefined {
  if (p.status === 'closed') return { code: 'programme-closed' };
  const coordinator = a.actor.role === 'coordinator' && a.actor.organisationId === p.coordinatorOrg;
  switch (a.type) {
    case 'publish_mou':
      if (!coordinator) return { code: 'programme-coordinator-only', action: 'publish_mou' };
      return refusePublish(p.mou);
    case 'sign_mou':
      return refuseSign(p.mou, a.actor.organisationId, a.version);
    case 'request_mou_changes':
      if (!a.commentRef) return { code: 'reason-needed', action: 'request_mou_changes' };
      return refuseRequestChanges(p.mou, a.actor.organisationId);
    case 'pause':
      if (!coordinator) return { code: 'programme-coordinator-only', action: 'pause' };
      if (p.status === 'paused') return { code: 'programme-already-paused', since: iso(p.pause!.since) };
      if (p.status !== 'active') return { code: 'programme-not-active', status: p.status };
      return a.reasonRef ? undefined : { code: 'reason-needed', action: 'pause' };
    case 'resume':
      if (!coordinator) return { code: 'programme-coordinator-only', action: 'resume' };
      return p.status === 'paused' ? undefined : { code: 'programme-not-paused', status: p.status };
    case 'set_quota': {
      if (!coordinator) return { code: 'programme-coordinator-only', action: 'set_quota' };
      if (!Number.isInteger(a.quota) || a.quota < 0) return { code: 'quota-invalid' };
      const taken = p.places.used + p.places.reserved;
      return a.quota < taken ? { code: 'quota-below-taken', taken } : undefined;
    }
    case 'close':
      if (!coordinator) return { code: 'programme-coordinator-only', action: 'close' };
      if (p.openCases > 0) return { code: 'programme-has-open-cases', openCases: p.openCases };
      return a.reasonRef ? undefined : { code: 'reason-needed', action: 'close' };
  }
}

export function applyProgrammeAction(p: ProgrammeState, a: ProgrammeAction, rec: Recorder): void {
  const by = a.actor.personId;
  switch (a.type) {
    case 'publish_mou':
      publish(p.mou, a.document);
      p.mouPublishedAt = rec.now;
      p.mouRemindersSent = 0;
      p.mouEscalationsSent = 0;
      if (p.status === 'draft') p.status = 'negotiating';
      rec.event('mou_published', by, { data: { version: p.mou.version, contentHash: a.document.contentHash } });
      rec.notify('action-required', p.mou.signatories, { gateTitle: `MoU ${p.name} (v${p.mou.version})`, dueAt: mouDueAt(p), detail: 'sign' });
      return;
    case 'sign_mou':
      sign(p.mou, a.actor.organisationId, by, rec.now);
      rec.event('mou_signed', by, { data: { version: p.mou.version } });
      if (p.mou.executedAt !== undefined) {
        p.status = 'active';
        rec.event('mou_executed', 'system', { data: { version: p.mou.version } });
        rec.notify('case-update', p.mou.signatories, { gateTitle: `MoU ${p.name}`, detail: 'agreement-executed' });
      }
      return;
    case 'request_mou_changes':
      requestChanges(p.mou, a.actor.organisationId, by, a.commentRef, rec.now);
      rec.event('mou_changes_requested', by, { textRef: a.commentRef, data: { version: p.mou.version } });
      rec.notify('action-required', [p.coordinatorOrg], { gateTitle: `MoU ${p.name}`, detail: 'changes-requested' });
      return;
    case 'pause':
      p.status = 'paused';
      p.pause = { since: rec.now, reasonRef: a.reasonRef };
      p.epoch += 1;
      rec.event('programme_paused', by, { textRef: a.reasonRef, data: { openCases: p.openCases } });
      return;
    case 'resume':
      rec.event('programme_resumed', by, { data: { pausedDays: Math.round((rec.now - p.pause!.since) / 86_400_000), openCases: p.openCases } });
      p.status = 'active';
      p.pause = undefined;
      p.epoch += 1;
      return;
    case 'set_quota':
      rec.event('quota_changed', by, { data: { from: p.quota, to: a.quota } });
      p.quota = a.quota;
      return;
    case 'close':
      p.status = 'closed';
      p.closedReasonRef = a.reasonRef;
      rec.event('programme_closed', by, { textRef: a.reasonRef });
      return;
  }
}

const replyOf = (p: ProgrammeState, fields: Partial<ProgrammeReply> = {}): ProgrammeReply => ({
  accepted: true,
  status: p.status,
  epoch: p.epoch,
  paused: p.status === 'paused',
  ...fields,
});

/**
 * The answer a case's message with this id got before, if it is one of the newest. Kept apart from
 * people's actions: a busy programme's thousands of messages must not push those out.
 */
export function rememberedReply(p: ProgrammeState, id: string): ProgrammeReply | undefined {
  return p.recentMessages.find((r) => r.id === id)?.reply;
}

export function rememberReply(p: ProgrammeState, id: string, reply: ProgrammeReply): void {
  p.recentMessages.push({ id, reply });
  keepLast(p.recentMessages, REMEMBERED_UPDATES);
}

/**
 * A case tells the programme something. The case knows its own place (it says what it held when it
 * gives it back), so the programme needs only counts. Apply once per message id (see `rememberReply`).
 */
export function handleCaseMessage(p: ProgrammeState, caseId: string, m: CaseMessage, rec: Recorder): ProgrammeReply {
  switch (m.kind) {
    case 'opened':
      if (p.status === 'closed') return replyOf(p, { accepted: false, refusal: 'the programme is closed' });
      p.openCases += 1;
      return replyOf(p);
    case 'closed':
      p.openCases = Math.max(0, p.openCases - 1);
      return replyOf(p);
    case 'request_place':
      if (p.status === 'active' && freePlaces(p) > 0 && p.places.waitlisted === 0) {
        p.places.reserved += 1;
        rec.event('place_reserved', 'system', { data: { caseId } });
        return replyOf(p, { place: 'reserved' });
      }
      p.places.waitlisted += 1;
      p.waitlistSeq += 1;
      rec.waitlist({ op: 'add', caseId, position: p.waitlistSeq });
      rec.event('case_waitlisted', 'system', { data: { caseId } });
      return replyOf(p, { place: 'waitlisted' });
    case 'release_place':
      if (m.held === 'reserved') p.places.reserved = Math.max(0, p.places.reserved - 1);
      else {
        p.places.waitlisted = Math.max(0, p.places.waitlisted - 1);
        rec.waitlist({ op: 'remove', caseId });
      }
      rec.event('place_released', 'system', { data: { caseId, held: m.held } });
      return replyOf(p);
    case 'use_place':
      p.places.reserved = Math.max(0, p.places.reserved - 1);
      p.places.used += 1;
      rec.event('place_used', 'system', { data: { caseId } });
      return replyOf(p);
  }
}

/** How many places could be offered to the waiting list now (none while an offer is out). */
export const grantablePlaces = (p: ProgrammeState): number => (p.grant || p.status !== 'active' ? 0 : Math.min(freePlaces(p), p.places.waitlisted));

/**
 * Offers free places to waiting cases, in the order they joined the list, while the programme is
 * active. The places count as reserved until the cases answer (`grantAnswered`).
 */
export function startGrant(p: ProgrammeState): { round: number; places: number } | undefined {
  const places = grantablePlaces(p);
  if (places <= 0) return undefined;
  p.grantRounds += 1;
  p.grant = { round: p.grantRounds, places };
  p.places.reserved += places;
  p.places.waitlisted -= places;
  return p.grant;
}

/** The waiting cases answered: those that left meanwhile give their place back (and their turn, which they give up themselves). */
export function grantAnswered(p: ProgrammeState, accepted: string[], rec: Recorder): void {
  const grant = p.grant;
  if (!grant) return;
  const unanswered = grant.places - accepted.length;
  p.places.reserved -= unanswered;
  p.places.waitlisted += unanswered;
  p.grant = undefined;
  for (const caseId of accepted) rec.event('place_granted', 'system', { data: { caseId } });
}

function mouDueAt(p: ProgrammeState): number | undefined {
  return p.mouPublishedAt === undefined ? undefined : p.mouPublishedAt + durationMs(p.mouTime.dueIn);
}

/** When the MoU next needs a reminder or escalation; nothing while paused, executed or closed. */
export function programmeNextWake(p: ProgrammeState): number | undefined {
  const due = mouDueAt(p);
  if (p.status !== 'negotiating' || due === undefined) return undefined;
  const reminder = p.mouTime.remindAt[p.mouRemindersSent];
  const times = [due + p.mouEscalationsSent * durationMs(p.mouTime.escalateEvery)];
  if (reminder !== undefined) times.push(p.mouPublishedAt! + durationMs(reminder));
  return Math.min(...times);
}

export function programmeTick(p: ProgrammeState, rec: Recorder): void {
  const due = mouDueAt(p);
  if (p.status !== 'negotiating' || due === undefined) return;
  let remind = false;
  while (p.mouRemindersSent < p.mouTime.remindAt.length && rec.now >= p.mouPublishedAt! + durationMs(p.mouTime.remindAt[p.mouRemindersSent]!)) {
    p.mouRemindersSent += 1;
    remind = true;
  }
  if (remind && rec.now < due) {
    rec.event('mou_reminder_sent', 'system', { data: { reminder: p.mouRemindersSent } });
    rec.notify('reminder', unsigned(p.mou), { gateTitle: `MoU ${p.name} (v${p.mou.version})`, dueAt: due });
  }
  let escalate = false;
  while (rec.now >= due + p.mouEscalationsSent * durationMs(p.mouTime.escalateEvery)) {
    p.mouEscalationsSent += 1;
    escalate = true;
  }
  if (escalate) {
    rec.event('mou_escalated', 'system', { data: { escalation: p.mouEscalationsSent, unsigned: unsigned(p.mou).join(',') } });
    rec.notify('escalation', [p.coordinatorOrg], { gateTitle: `MoU ${p.name}`, dueAt: due, detail: 'overdue' });
  }
}

export function programmeView(p: ProgrammeState): ProgrammeView {
  const due = mouDueAt(p);
  return {
    programmeId: p.programmeId,
    name: p.name,
    pathwayId: p.pathwayId,
    status: p.status,
    paused: p.pause ? { since: iso(p.pause.since), reasonRef: p.pause.reasonRef } : null,
    quota: { total: p.quota, used: p.places.used, reserved: p.places.reserved, free: freePlaces(p), waitlisted: p.places.waitlisted },
    mou: {
      version: p.mou.version,
      document: p.mou.document ?? null,
      signatories: p.mou.signatories,
      unsigned: unsigned(p.mou),
      executedAt: p.mou.executedAt ? iso(p.mou.executedAt) : null,
      dueAt: due ? iso(due) : null,
      remindersSent: p.mouRemindersSent,
      changeRequestCount: p.mou.changeRequestCount,
      changeRequests: p.mou.changeRequests.map((c) => ({ organisationId: c.organisationId, version: c.version, commentRef: c.commentRef, at: iso(c.at) })),
    },
    openCases: p.openCases,
    casesTold: p.toldEpoch >= p.epoch,
    coordinatorOrg: p.coordinatorOrg,
    version: p.version,
  };
}
