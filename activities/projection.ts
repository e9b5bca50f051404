import type { JSONValue } from 'postgres';
import type { Sql } from '../infra/db.js';
import type { CaseState } from '../workflows/contract.js';

export function createProjectionActivities({ sql }: { sql: Sql }) {
  return {
    /** Writes the case's state to PostgreSQL; an older version never overwrites a newer one. */
    async projectCase(state: CaseState): Promise<void> {
      await sql`
        UPDATE cases
        SET status = ${state.status}, stage = ${state.stage}, state = ${sql.json(state as unknown as JSONValue)},
            state_version = ${state.version}, updated_at = now()
        WHERE id = ${state.caseId} AND state_version < ${state.version}`;
    },
  };
}
