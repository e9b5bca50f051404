/**
 * The case's clock: reminders before a gate's due date, escalation to coordinators after it,
 * offer lapses, and check-in reports. `nextWake` says when the workflow must next look;
 * `tick` fires everything that is due. Silent while the case is held or its programme paused,
 * but for housing offers, which lapse on the date the municipality gave.
 */
import type { Recorder } from './case-effects.js';
import { proposeNext, reopenGate } from './case-lifecycle.js';
import { coordinatorOrg, gateTemplate, isFinal, isHeld, type CaseState, type CheckinsGateState, type GateState, type HousingOffer, type MatchGateState } from './case-model.js';
import { durationMs } from './duration.js';
import type { TimePolicy } from './pathway.js';
import { waitingOn } from './case-turn.js';

function policy(s: CaseState, gate: GateState): TimePolicy | undefined {
  return gateTemplate(s, gate.id)?.time;
}

/** Reminder i falls `remindAt[i]` after the gate opened, counted back from the (possibly extended) due date. */
function reminderTimes(gate: GateState, p: TimePolicy): number[] {
  const start = gate.dueAt - durationMs(p.dueIn);
  return p.remindAt.map((r) => start + durationMs(r));
}

const escalationTime = (dueAt: number, sent: number, p: TimePolicy) => dueAt + sent * durationMs(p.escalateEvery);

/** For a check-in report: a notice when it is due, then the reminders, within the grace period. */
const reportReminderTimes = (dueAt: number, p: TimePolicy) => [dueAt, ...p.remindAt.map((r) => dueAt + durationMs(r))];

/** Every moment at which something is scheduled for this gate (unsorted). */
function scheduled(s: CaseState, gate: GateState): number[] {
  const p = policy(s, gate);
  if (!p || gate.status !== 'open') return [];
  if (gate.kind === 'checkins') return checkinTimes(gate, p);
  const times = [escalationTime(gate.dueAt, gate.escalationsSent, p)];
  const reminder = reminderTimes(gate, p)[gate.remindersSent];
  if (reminder !== undefined) times.push(reminder);
  if (gate.kind === 'housing') {
    const t = gateTemplate(s, gate.id);
    for (const o of gate.offers.filter((x) => x.status === 'open')) {
      times.push(o.validUntil);
      if (!o.expiryReminderSent && t?.kind === 'housing') times.push(o.validUntil - durationMs(t.offerReminderBefore));
    }
  }
  if (gate.kind === 'match') {
    const t = gateTemplate(s, gate.id);
    const open = openProposal(gate);
    if (open) {
      times.push(open.answerBy);
      if (!open.reminderSent && t?.kind === 'match') times.push(open.answerBy - durationMs(t.answerReminderBefore));
    }
  }
  return times;
}

const openProposal = (g: GateState) => (g.kind === 'match' && g.status === 'open' ? g.proposals.find((p) => p.status === 'open') : undefined);

/** When outcomes the case relies on expire: even while it is held (a consent's validity does not wait). */
const expiries = (s: CaseState) => (s.relied ?? []).flatMap((r) => (r.expiresAt === undefined ? [] : [r.expiresAt]));

function checkinTimes(gate: CheckinsGateState, p: TimePolicy): number[] {
  const next = gate.reports.find((r) => r.submittedAt === undefined);
  if (!next) return [gate.endsAt];
  const times = [escalationTime(next.dueAt + durationMs(p.dueIn), next.escalationsSent, p)];
  const reminder = reportReminderTimes(next.dueAt, p)[next.remindersSent];
  if (reminder !== undefined) times.push(reminder);
  return times;
}

/** When the workflow must next wake up, or undefined if only a person can move the case. */
export function nextWake(s: CaseState): number | undefined {
  if (isFinal(s)) return undefined;
  // While held, reminders and escalations wait; an offer still lapses on the date it was given.
  // A proposal lapses on its date too: the candidate was given it.
  const dated = isHeld(s) ? s.gates.flatMap((g) => [...openOffers(g).map((o) => o.validUntil), ...(openProposal(g) ? [openProposal(g)!.answerBy] : [])]) : s.gates.flatMap((g) => scheduled(s, g));
  const times = [...dated, ...expiries(s)];
  return times.length ? Math.min(...times) : undefined;
}

const openOffers = (g: GateState) => (g.kind === 'housing' && g.status === 'open' ? g.offers.filter((o) => o.status === 'open') : []);

function lapseOffer(gate: Extract<GateState, { kind: 'housing' }>, o: HousingOffer, rec: Recorder): void {
  o.status = 'lapsed';
  rec.event('housing_offer_lapsed', 'system', { gateId: gate.id, data: { offerId: o.offerId } });
  rec.notify('offer-lapsed', [gate.respondent, gate.assignee], { gateTitle: gate.title });
}

/** Fires every reminder, escalation and lapse that is due at `rec.now`. */
export function tick(s: CaseState, rec: Recorder): void {
  if (isFinal(s)) return;
  const now = rec.now;
  expire(s, rec);
  for (const gate of s.gates) if (gate.kind === 'match') lapseProposal(s, gate, rec);
  if (isHeld(s)) {
    for (const gate of s.gates) if (gate.kind === 'housing') for (const o of openOffers(gate)) if (now >= o.validUntil) lapseOffer(gate, o, rec);
    return;
  }
  for (const gate of s.gates) {
    const p = policy(s, gate);
    if (!p || gate.status !== 'open') continue;
    if (gate.kind === 'checkins') {
      tickCheckins(s, gate, p, rec);
      continue;
    }
    if (gate.kind === 'housing') {
      const t = gateTemplate(s, gate.id);
      for (const o of gate.offers.filter((x) => x.status === 'open')) {
        if (now >= o.validUntil) lapseOffer(gate, o, rec);
        else if (!o.expiryReminderSent && t?.kind === 'housing' && now >= o.validUntil - durationMs(t.offerReminderBefore)) {
          o.expiryReminderSent = true;
          rec.event('offer_expiry_reminder', 'system', { gateId: gate.id, data: { offerId: o.offerId } });
          rec.notify('offer-expiring', [gate.respondent], { gateTitle: gate.title, dueAt: o.validUntil });
        }
      }
    }
    if (gate.kind === 'match') {
      const t = gateTemplate(s, gate.id);
      const open = openProposal(gate);
      if (open && !open.reminderSent && t?.kind === 'match' && now >= open.answerBy - durationMs(t.answerReminderBefore)) {
        open.reminderSent = true;
        rec.event('match_reminder', 'system', { gateId: gate.id, data: { organisationId: open.organisationId } });
        rec.notify('reminder', [open.organisationId], { gateTitle: gate.title, dueAt: open.answerBy, detail: 'match-answer' });
      }
    }
    const reminders = reminderTimes(gate, p);
    let remind = false;
    while (gate.remindersSent < reminders.length && now >= reminders[gate.remindersSent]!) {
      gate.remindersSent += 1;
      remind = true;
    }
    // Several missed reminder points (e.g. after a long outage) send one reminder, not a burst.
    if (remind && now < gate.dueAt) {
      rec.event('reminder_sent', 'system', { gateId: gate.id, data: { reminder: gate.remindersSent } });
      rec.notify('reminder', waitingOn(s, gate, now), { gateTitle: gate.title, dueAt: gate.dueAt });
    }
    let escalate = false;
    while (now >= escalationTime(gate.dueAt, gate.escalationsSent, p)) {
      gate.escalationsSent += 1;
      escalate = true;
    }
    if (escalate) {
      rec.event('escalated', 'system', { gateId: gate.id, data: { escalation: gate.escalationsSent, waitingOn: waitingOn(s, gate, now).join(',') } });
      rec.notify('escalation', [coordinatorOrg(s)], { gateTitle: gate.title, dueAt: gate.dueAt, detail: 'overdue' });
    }
  }
}

function tickCheckins(s: CaseState, gate: CheckinsGateState, p: TimePolicy, rec: Recorder): void {
  const next = gate.reports.find((r) => r.submittedAt === undefined);
  if (!next) return settleCheckins(s, gate, rec);
  const reminders = reportReminderTimes(next.dueAt, p);
  let remind = false;
  while (next.remindersSent < reminders.length && rec.now >= reminders[next.remindersSent]!) {
    next.remindersSent += 1;
    remind = true;
  }
  const deadline = next.dueAt + durationMs(p.dueIn);
  if (remind && rec.now < deadline) {
    rec.event(next.remindersSent === 1 ? 'checkin_due' : 'reminder_sent', 'system', { gateId: gate.id, data: { report: next.index + 1 } });
    rec.notify(next.remindersSent === 1 ? 'action-required' : 'reminder', [gate.assignee], { gateTitle: `${gate.title} #${next.index + 1}`, dueAt: deadline });
  }
  let escalate = false;
  while (rec.now >= escalationTime(deadline, next.escalationsSent, p)) {
    next.escalationsSent += 1;
    escalate = true;
  }
  if (escalate) {
    rec.event('checkin_missed', 'system', { gateId: gate.id, data: { report: next.index + 1, escalation: next.escalationsSent } });
    rec.notify('escalation', [coordinatorOrg(s)], { gateTitle: `${gate.title} #${next.index + 1}`, dueAt: deadline, detail: 'checkin-missed' });
  }
  gate.remindersSent = gate.reports.reduce((n, r) => n + r.remindersSent, 0);
  gate.escalationsSent = gate.reports.reduce((n, r) => n + r.escalationsSent, 0);
}

/** Call when a hold or a programme pause begins. */
export function beginHold(s: CaseState, now: number): void {
  s.heldSince ??= now;
}

/**
 * Call after a hold or pause ended. Once nothing holds the case any more, every open deadline
 * moves on by the time it was held (a gate opened during the hold only by the time since it
 * opened). Dates given explicitly stand as given: a due date a coordinator set during the hold,
 * and a housing offer's valid-until (the municipality's date, not ours to move).
 */
export function endHold(s: CaseState, now: number): number {
  if (isHeld(s) || s.heldSince === undefined) return 0;
  const since = s.heldSince;
  s.heldSince = undefined;
  for (const gate of s.gates) {
    if (gate.status !== 'open') continue;
    const by = now - Math.max(since, gate.openedAt);
    const setDuringHold = gate.dueSetAt !== undefined && gate.dueSetAt >= since;
    if (!setDuringHold) gate.dueAt += by;
    if (gate.kind === 'checkins') {
      gate.endsAt += by;
      const next = gate.reports.find((r) => r.submittedAt === undefined);
      for (const r of gate.reports) if (r.submittedAt === undefined && !(setDuringHold && r === next)) r.dueAt += by;
    }
  }
  return now - since;
}

/** After an extension: reminder points already behind us are not sent late. */
export function skipPassedReminders(s: CaseState, gate: GateState, now: number): void {
  const p = policy(s, gate);
  if (!p || gate.kind === 'checkins') return;
  gate.remindersSent = reminderTimes(gate, p).filter((t) => t <= now).length;
}

/** Moves the gate's due date to the next report's deadline, and closes it when support ends. */
export function settleCheckins(s: CaseState, gate: Extract<GateState, { kind: 'checkins' }>, rec: Recorder): void {
  const next = gate.reports.find((r) => r.submittedAt === undefined);
  const template = gateTemplate(s, gate.id);
  if (next && template) {
    gate.dueAt = next.dueAt + durationMs(template.time.dueIn);
    return;
  }
  gate.dueAt = gate.endsAt;
  if (rec.now >= gate.endsAt) {
    rec.event('support_period_ended', 'system', { gateId: gate.id });
    gate.status = 'done';
    gate.closedAt = rec.now;
  }
}

/** A candidate who did not answer in time: the next one is asked (or the coordinator told). */
function lapseProposal(s: CaseState, gate: MatchGateState, rec: Recorder): void {
  const open = openProposal(gate);
  if (!open || rec.now < open.answerBy) return;
  open.status = 'lapsed';
  rec.event('match_lapsed', 'system', { gateId: gate.id, data: { organisationId: open.organisationId } });
  proposeNext(s, gate, rec);
}

/** Outcomes past their validity: their steps open again, and the case waits on them. */
function expire(s: CaseState, rec: Recorder): void {
  const due = (s.relied ?? []).filter((r) => r.expiresAt !== undefined && rec.now >= r.expiresAt);
  if (due.length === 0) return;
  s.relied = s.relied!.filter((r) => !due.includes(r));
  for (const r of due) reopenGate(s, r.gateId, 'expired', rec);
}
