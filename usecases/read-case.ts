/**
 * A case's state as a reader gets it: the workflow's own answer when it gives one within a moment,
 * else the last projected state, marked as possibly behind — never a hang, never a 500 because a
 * worker or Temporal is away.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { CaseView } from '../domain/case-view.js';
import type { Sql } from '../infra/db.js';
import { caseStateQuery, caseWorkflowId } from '../workflows/contract.js';

/** How long a reader waits for the workflow before the projection answers. */
export const LIVE_READ_DEADLINE_MS = 1_500;

export interface CaseRead {
  state: CaseView | null;
  /** `workflow`: its own answer now; `projection`: the state last written to PostgreSQL. */
  source: 'workflow' | 'projection';
  /** The projection may be behind the workflow (no worker answered in time). */
  stale: boolean;
}

export async function readCaseState(temporal: Client, sql: Sql, caseId: string): Promise<CaseRead> {
  let closed = false;
  try {
    const state = await temporal.withDeadline(Date.now() + LIVE_READ_DEADLINE_MS, () => temporal.workflow.getHandle(caseWorkflowId(caseId)).query(caseStateQuery));
    return { state, source: 'workflow', stale: false };
  } catch (error) {
    // A closed case's workflow may be gone; its last projection is its final state.
    closed = error instanceof WorkflowNotFoundError;
  }
  const [row] = await sql<{ state: CaseView | null }[]>`SELECT state FROM cases WHERE id = ${caseId}`;
  return { state: row?.state ?? null, source: 'projection', stale: !closed };
}
