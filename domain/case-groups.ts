/**
 * A sponsor group's requirements at a case (every member with a certificate of good conduct, one
 * trained…). Who the members are and what they completed lives in PostgreSQL; the case holds only
 * the counts it last read, at which roster version. A change of the group reaches the case as a
 * newer version; the case reads the group again and the step closes or opens by what it read —
 * also a step of an earlier stage, as long as the case still relies on it (until arrival). Pure.
 */
import type { Recorder } from './case-effects.js';
import { relyOn, reopenGate } from './case-lifecycle.js';
import { gateTemplate, isFinal, type CaseState, type GroupCheckGateState, type GroupEvaluation } from './case-model.js';

/** What a step asks of the group, as its template says. */
export interface GroupRequirement {
  gateId: string;
  organisationId: string;
  everyMember: string[];
  someMember: string[];
  /** The newest roster version the case was told of: a reading older than it is behind. */
  rosterVersion: number;
}

export const isMet = (e: GroupEvaluation): boolean => e.members > 0 && e.missing.every((m) => m.members === 0);

const groupGate = (s: CaseState, gateId: string) => s.gates.find((g): g is GroupCheckGateState => g.id === gateId && g.kind === 'group-check');

function requirement(s: CaseState, gateId: string, organisationId: string, rosterVersion: number): GroupRequirement[] {
  const t = gateTemplate(s, gateId);
  return t?.kind === 'group-check' ? [{ gateId, organisationId, everyMember: t.everyMember, someMember: t.someMember, rosterVersion }] : [];
}

/** The steps whose group must be read (again): opened, or told of a newer roster than last read. */
export function groupsToRead(s: CaseState): GroupRequirement[] {
  if (isFinal(s)) return [];
  const current = s.gates.flatMap((g) =>
    g.kind === 'group-check' && (!g.evaluation || g.evaluation.rosterVersion < g.rosterVersion) ? requirement(s, g.id, g.assignee, g.rosterVersion) : [],
  );
  const earlier = (s.relied ?? []).flatMap((r) =>
    r.group !== undefined && !groupGate(s, r.gateId) && (r.readVersion ?? 0) < (r.rosterVersion ?? 0) ? requirement(s, r.gateId, r.group, r.rosterVersion ?? 0) : [],
  );
  return [...current, ...earlier];
}

/** The group changed (members joined or left, a check was recorded): the steps that check it are read again. Returns whether it concerned this case. */
export function groupChanged(s: CaseState, organisationId: string, rosterVersion: number): boolean {
  if (isFinal(s)) return false;
  let concerned = false;
  for (const g of s.gates) {
    if (g.kind !== 'group-check' || g.assignee !== organisationId || g.rosterVersion >= rosterVersion) continue;
    g.rosterVersion = rosterVersion;
    concerned = true;
  }
  for (const r of s.relied ?? []) {
    if (r.group !== organisationId || groupGate(s, r.gateId) || (r.rosterVersion ?? 0) >= rosterVersion) continue;
    r.rosterVersion = rosterVersion;
    concerned = true;
  }
  return concerned;
}

/** What was read of the group for `gateId`: the step is done when met, open (again) when not. */
export function groupRead(s: CaseState, gateId: string, evaluation: GroupEvaluation, rec: Recorder): void {
  if (isFinal(s)) return;
  const data = { members: evaluation.members, missing: evaluation.missing.reduce((n, m) => n + m.members, 0) };
  let gate = groupGate(s, gateId);
  if (!gate) {
    // A step of an earlier stage the case relies on: it opens again only when no longer met.
    const relied = s.relied?.find((r) => r.gateId === gateId);
    if (!relied || (relied.readVersion ?? 0) >= evaluation.rosterVersion) return;
    relied.readVersion = evaluation.rosterVersion;
    if (isMet(evaluation)) return;
    reopenGate(s, gateId, 'group-changed', rec);
    gate = groupGate(s, gateId);
    if (!gate) return;
    gate.evaluation = evaluation;
    gate.rosterVersion = Math.max(gate.rosterVersion, relied.rosterVersion ?? 0, evaluation.rosterVersion);
    gate.told = true;
    return;
  }
  if (gate.evaluation && gate.evaluation.rosterVersion >= evaluation.rosterVersion) return;
  gate.evaluation = evaluation;
  // Never behind what was read: a reading of an older roster than told is read again later.
  gate.rosterVersion = Math.max(gate.rosterVersion, evaluation.rosterVersion);
  if (isMet(evaluation)) {
    if (gate.status === 'done') return;
    gate.status = 'done';
    gate.closedAt = rec.now;
    rec.event('group_requirements_met', 'system', { gateId, data });
    relyOn(s, gate, rec);
    return;
  }
  if (gate.status === 'done') {
    const rosterVersion = gate.rosterVersion;
    reopenGate(s, gateId, 'group-changed', rec);
    const reopened = groupGate(s, gateId)!;
    reopened.evaluation = evaluation;
    reopened.rosterVersion = rosterVersion;
    reopened.told = true;
    return;
  }
  if (gate.told) return;
  gate.told = true;
  rec.event('group_requirements_unmet', 'system', { gateId, data });
  rec.notify('action-required', [gate.assignee], { gateTitle: gate.title, dueAt: gate.dueAt, detail: 'group-requirements' });
}
