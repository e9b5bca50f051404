/**
 * The retention run's one activity (workflows/retention.ts): erases a batch of closed cases past
 * their retention (usecases/retention.ts). Idempotent: a case is erased once, whatever retries or
 * overlapping runs do. Only counts go back to the workflow's history.
 */
import type { Sql } from '../infra/db.js';
import { eraseExpired } from '../usecases/retention.js';

export function createRetentionActivities({ sql }: { sql: Sql }) {
  return {
    async eraseExpiredCases(input: { months: number; now: number; limit: number }): Promise<{ erased: number; more: boolean }> {
      return eraseExpired(sql, input);
    },
  };
}
