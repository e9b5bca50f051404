/**
 * Cases as the lists see them, made by the domain and written by the real projection activity
 * (no workflow): for tests and benchmarks of the inbox, the board and the case lists at sizes a
 * workflow per case would take hours to reach. A case opened `daysAgo` has its first stage's steps
 * due (or overdue) as its pathway's time policy says.
 */
import { createProjectionActivities } from '../../activities/projection.js';
import { Recorder } from '../../domain/case-effects.js';
import { newCaseState, startCase } from '../../domain/case-lifecycle.js';
import { applyAction } from '../../domain/case-apply.js';
import { caseView } from '../../domain/case-view.js';
import type { PathwayTemplate } from '../../domain/pathway.js';
import type { Sql } from '../../infra/db.js';
import { createCaseRow } from './fixtures.js';

const DAY = 86_400_000;

export interface ProjectedCase {
  template: PathwayTemplate;
  parties: Record<string, string>;
  programmeId?: string | undefined;
  reference?: string | undefined;
  /** When it was opened, in days before now (fractions allowed). */
  daysAgo: number;
  /** Put on hold by its coordinator (reminders stop; not overdue on the board). */
  held?: boolean;
}

export function projector(sql: Sql) {
  const { projectCase } = createProjectionActivities({ sql });
  return async function projectedCase(c: ProjectedCase): Promise<{ caseId: string; reference: string }> {
    const { caseId, reference } = await createCaseRow(sql, c.template, c.parties, c.programmeId, c.reference);
    const now = Date.now();
    const openedAt = now - c.daysAgo * DAY;
    const s = newCaseState({ caseId, reference, programmeId: c.programmeId, template: c.template, parties: c.parties }, openedAt);
    const rec = new Recorder(s, caseId, openedAt);
    startCase(s, rec);
    if (c.held) {
      const coordinator = c.template.parties.find((p) => p.kind === 'coordinator')!.id;
      applyAction(s, { type: 'hold', actor: { personId: 'projected', organisationId: c.parties[coordinator]!, role: 'coordinator' }, reasonRef: 'projected-hold' }, rec);
    }
    s.version += 1;
    await projectCase({ view: caseView(s, now), events: rec.effects.events, notifications: [] });
    return { caseId, reference };
  };
}
