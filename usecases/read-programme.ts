/**
 * A programme's state as a reader gets it, like a case's (read-case.ts): the workflow's own answer
 * within a moment, else the last projection marked as possibly behind; and the texts it refers to.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ProgrammeView } from '../domain/programme-model.js';
import type { Queryable, Sql } from '../infra/db.js';
import { programmeStateQuery, programmeWorkflowId } from '../workflows/contract.js';
import { LIVE_READ_DEADLINE_MS } from './read-case.js';
import { textsByIds } from './texts.js';

export interface ProgrammeRead {
  state: ProgrammeView | null;
  source: 'workflow' | 'projection';
  stale: boolean;
}

export async function readProgrammeState(temporal: Client, sql: Sql, programmeId: string): Promise<ProgrammeRead> {
  let closed = false;
  try {
    const state = await temporal.withDeadline(Date.now() + LIVE_READ_DEADLINE_MS, () => temporal.workflow.getHandle(programmeWorkflowId(programmeId)).query(programmeStateQuery));
    return { state, source: 'workflow', stale: false };
  } catch (error) {
    // A closed programme's workflow may be gone; its last projection is its final state.
    closed = error instanceof WorkflowNotFoundError;
  }
  const [row] = await sql<{ state: ProgrammeView | null }[]>`SELECT state FROM programmes WHERE id = ${programmeId}`;
  return { state: row?.state ?? null, source: 'projection', stale: !closed };
}

/** The texts a programme's state refers to by id: why it is paused, what signatories asked to change. */
export function programmeStateTexts(sql: Queryable, state: ProgrammeView | null): Promise<Map<string, string>> {
  return textsByIds(sql, [state?.paused?.reasonRef, ...(state?.mou.changeRequests ?? []).map((r) => r.commentRef)]);
}
