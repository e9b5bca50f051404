// The rows the lists read for one case: one per open step and party whose turn it is, exactly one
// of them marked as the step's own row, none for a case that is not moving.
import { describe, expect, it } from 'vitest';
import { caseOnHold, nextStepOf, openGateRows } from '../../activities/open-gates.js';
import { caseView } from '../../domain/case-view.js';
import { makeCase, ORG, T0 } from '../domain/helpers.js';

describe('open gate rows', () => {
  const viewOf = () => caseView(makeCase().s, T0);

  it('gives each party of an open step its own row, and the step one row of its own', () => {
    const view = viewOf();
    view.gates[0]!.waitingOn = [ORG.sponsor, ORG.municipality, ORG.sponsor];
    const rows = openGateRows(view, ORG.coordinator);
    expect(rows.map((r) => [r.gate_id, r.waiting_on, r.first_party])).toEqual([
      ['eligibility', ORG.sponsor, true],
      ['eligibility', ORG.municipality, false],
    ]);
    expect(rows.every((r) => r.all_waiting_on.join() === [ORG.sponsor, ORG.municipality].join() && r.coordinator_organisation_id === ORG.coordinator)).toBe(true);
  });

  it('keeps a step that waits on nobody (one row, no party), and none of a closed or waitlisted case', () => {
    const view = viewOf();
    view.gates[0]!.waitingOn = [];
    expect(openGateRows(view, ORG.coordinator).map((r) => [r.waiting_on, r.first_party])).toEqual([[null, true]]);
    expect(openGateRows({ ...view, status: 'waitlisted' }, ORG.coordinator)).toEqual([]);
    expect(openGateRows({ ...view, status: 'withdrawn' }, ORG.coordinator)).toEqual([]);
    expect(nextStepOf({ ...view, status: 'completed' })).toBeNull();
  });

  it('marks a paused programme over a coordinator hold, and names the step due first', () => {
    const view = viewOf();
    expect(caseOnHold(view)).toBeNull();
    expect(caseOnHold({ ...view, held: { since: view.gates[0]!.openedAt, reasonRef: 'r' } })).toBe('held');
    expect(caseOnHold({ ...view, held: { since: view.gates[0]!.openedAt, reasonRef: 'r' }, programmePaused: true })).toBe('paused');
    expect(nextStepOf(view)).toEqual({ gateId: 'eligibility', title: 'Eligibility decision', dueAt: view.gates[0]!.dueAt, todo: 'decide' });
    const [row] = openGateRows(view, ORG.coordinator);
    expect(row).toMatchObject({ todo: 'decide', todo_params: { text: 'Decide on eligibility' }, due_at: view.gates[0]!.dueAt });
  });
});
