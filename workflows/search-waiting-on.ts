/**
 * The `WaitingOn` search attribute, as each run of a case writes it. Runs started before turns
 * were named (domain/case-turn.ts) upserted the attribute whenever whom a case waits on changed;
 * since then, a municipality's "no housing" makes the step the coordinator's, which would upsert
 * at a point where those runs' histories did not — a nondeterminism error on replay. So a run
 * that began without the patch keeps the older answer for its attribute (the municipality
 * still), while its projection — what people see — already names the coordinator; a run begun
 * with it (every new case, every continue-as-new) writes the new one.
 */
import type { CaseView } from '../domain/case-view.js';

export const TURNS_IN_SEARCH_ATTRIBUTES = 'turns-in-search-attributes';

export function searchWaitingOn(view: CaseView, namedTurns: boolean): string[] {
  if (namedTurns) return view.waitingOn;
  const open = view.gates.filter((g) => g.status === 'open');
  return [...new Set(open.flatMap((g) => (g.turn?.todo === 'choose-another' ? [g.assignee] : g.waitingOn)))];
}
