/** The programme's rules: MoU, status, quota and pause. Pure; the programme workflow drives it. */
import { newAgreement, publish, refusePublish, refuseRequestChanges, refuseSign, requestChanges, sign, unsigned } from './agreement.js';
import type { ProgrammeRequest, Recorder } from './case-effects.js';
import { durationMs } from './duration.js';
import type { NewProgramme, ProgrammeAction, ProgrammeState, ProgrammeView } from './programme-model.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function newProgrammeState(p: NewProgramme, now: number): ProgrammeState {
  return {
    ...p,
    status: 'draft',
    createdAt: now,
    mou: newAgreement(p.mouSignatories),
    mouRemindersSent: 0,
    mouEscalationsSent: 0,
    reserved: [],
    used: [],
    waitlist: [],
    openCases: [],
    seq: 0,
    version: 0,
  };
}

const free = (p: ProgrammeState) => Math.max(0, p.quota - p.used.length - p.reserved.length);

export function refuseProgrammeAction(p: ProgrammeState, a: ProgrammeAction): string | undefined {
  if (p.status === 'closed') return 'the programme is closed';
  const coordinator = a.actor.role === 'coordinator' && a.actor.organisationId === p.coordinatorOrg;
  switch (a.type) {
    case 'publish_mou':
      if (!coordinator) return "only the programme's coordinator publishes versions of the MoU";
      return refusePublish(p.mou);
    case 'sign_mou':
      return refuseSign(p.mou, a.actor.organisationId, a.version);
    case 'request_mou_changes':
      if (!a.comment.trim()) return 'a change request needs a comment';
      return refuseRequestChanges(p.mou, a.actor.organisationId);
    case 'pause':
      if (!coordinator) return "only the programme's coordinator can pause it";
      if (p.status === 'paused') return `the programme is already paused since ${iso(p.pause!.since)}`;
      if (p.status !== 'active') return `only an active programme can be paused; it is ${p.status}`;
      return a.reason.trim() ? undefined : 'a pause needs a reason';
    case 'resume':
      if (!coordinator) return "only the programme's coordinator can resume it";
      return p.status === 'paused' ? undefined : `the programme is not paused; it is ${p.status}`;
    case 'set_quota': {
      if (!coordinator) return "only the programme's coordinator can change the quota";
      if (!Number.isInteger(a.quota) || a.quota < 0) return 'the quota must be a whole number of places, 0 or more';
      const taken = p.used.length + p.reserved.length;
      return a.quota < taken ? `the quota cannot go below the ${taken} places already used or reserved` : undefined;
    }
    case 'close':
      if (!coordinator) return "only the programme's coordinator can close it";
      return p.openCases.length ? `${p.openCases.length} case(s) are still open; close or withdraw them first` : undefined;
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
        grantFromWaitlist(p, rec);
      }
      return;
    case 'request_mou_changes':
      requestChanges(p.mou, a.actor.organisationId, by, a.comment, rec.now);
      rec.event('mou_changes_requested', by, { reason: a.comment, data: { version: p.mou.version } });
      rec.notify('action-required', [p.coordinatorOrg], { gateTitle: `MoU ${p.name}`, detail: 'changes-requested' });
      return;
    case 'pause':
      p.status = 'paused';
      p.pause = { since: rec.now, reason: a.reason };
      rec.event('programme_paused', by, { reason: a.reason });
      for (const caseId of p.openCases) rec.signalCase(caseId, 'programme_paused');
      return;
    case 'resume':
      rec.event('programme_resumed', by, { data: { pausedDays: Math.round((rec.now - p.pause!.since) / 86_400_000) } });
      p.status = 'active';
      p.pause = undefined;
      for (const caseId of p.openCases) rec.signalCase(caseId, 'programme_resumed');
      grantFromWaitlist(p, rec);
      return;
    case 'set_quota':
      rec.event('quota_changed', by, { data: { from: p.quota, to: a.quota } });
      p.quota = a.quota;
      grantFromWaitlist(p, rec);
      return;
    case 'close':
      p.status = 'closed';
      p.closedReason = a.reason;
      rec.event('programme_closed', by, { reason: a.reason });
      return;
  }
}

/** Places go to waiting cases in the order they asked, while the programme is active. */
function grantFromWaitlist(p: ProgrammeState, rec: Recorder): void {
  while (p.status === 'active' && free(p) > 0 && p.waitlist.length > 0) {
    const caseId = p.waitlist.shift()!;
    p.reserved.push(caseId);
    rec.event('place_granted', 'system', { data: { caseId } });
    rec.signalCase(caseId, 'place_granted');
  }
}

const without = (list: string[], id: string) => list.filter((x) => x !== id);

/** A case reports that it opened, closed, or needs / gives back / uses a place. Idempotent. */
export function handleCaseEvent(p: ProgrammeState, caseId: string, event: 'opened' | 'closed' | ProgrammeRequest, rec: Recorder): void {
  switch (event) {
    case 'opened':
      if (p.openCases.includes(caseId)) return;
      p.openCases.push(caseId);
      if (p.status === 'paused') rec.signalCase(caseId, 'programme_paused');
      return;
    case 'closed':
      p.openCases = without(p.openCases, caseId);
      return;
    case 'request_place':
      if (p.reserved.includes(caseId) || p.used.includes(caseId)) return rec.signalCase(caseId, 'place_granted');
      if (!p.waitlist.includes(caseId)) {
        p.waitlist.push(caseId);
        rec.event('case_waitlisted', 'system', { data: { caseId } });
      }
      return grantFromWaitlist(p, rec);
    case 'release_place':
      p.reserved = without(p.reserved, caseId);
      p.waitlist = without(p.waitlist, caseId);
      rec.event('place_released', 'system', { data: { caseId } });
      return grantFromWaitlist(p, rec);
    case 'use_place':
      if (!p.reserved.includes(caseId)) return;
      p.reserved = without(p.reserved, caseId);
      p.used.push(caseId);
      rec.event('place_used', 'system', { data: { caseId } });
      return;
  }
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
    paused: p.pause ? { since: iso(p.pause.since), reason: p.pause.reason } : null,
    quota: { total: p.quota, used: p.used.length, reserved: p.reserved.length, free: free(p), waitlisted: p.waitlist.length },
    mou: {
      version: p.mou.version,
      document: p.mou.document ?? null,
      signatories: p.mou.signatories,
      unsigned: unsigned(p.mou),
      executedAt: p.mou.executedAt ? iso(p.mou.executedAt) : null,
      dueAt: due ? iso(due) : null,
      remindersSent: p.mouRemindersSent,
    },
    openCases: p.openCases.length,
    waitlist: [...p.waitlist],
    coordinatorOrg: p.coordinatorOrg,
    version: p.version,
  };
}
