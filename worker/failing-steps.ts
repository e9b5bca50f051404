/**
 * Records, as it happens, every activity that is failing (type, attempt, last failure, since) and
 * clears it when it succeeds: the coordinators' board reads them from one indexed table instead
 * of asking Temporal about every case.
 */
import { Context } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, ActivityInterceptorsFactory, Next } from '@temporalio/worker';
import type { Sql } from '../infra/db.js';

/** The case or programme a workflow id names (`case:<id>`, `programme:<id>`). */
function subjectOf(workflowId: string): { caseId: string | null; programmeId: string | null } {
  const [kind, id] = workflowId.split(':');
  return { caseId: kind === 'case' ? (id ?? null) : null, programmeId: kind === 'programme' ? (id ?? null) : null };
}

/** The error's kind and first words, and those of what caused it: enough to see what fails. */
function describe(error: unknown): string {
  const parts: string[] = [];
  let e = error as { name?: string; message?: string; code?: string | number; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 3; depth++, e = e.cause as typeof e) {
    parts.push(`${e.name ?? 'Error'}${e.code !== undefined ? ` ${e.code}` : ''}: ${(e.message ?? '').split('\n')[0]!.slice(0, 120)}`);
  }
  return parts.join(' ← ').slice(0, 400);
}

export function failingStepsInterceptor(sql: Sql): ActivityInterceptorsFactory {
  return (ctx: Context) => {
    const inbound: ActivityInboundCallsInterceptor = {
      async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
        const { workflowExecution, activityId, activityType, attempt } = ctx.info;
        const workflowId = workflowExecution?.workflowId ?? '';
        try {
          const result = await next(input);
          if (attempt > 1) await sql`DELETE FROM failing_steps WHERE workflow_id = ${workflowId} AND activity_id = ${activityId}`.catch(() => undefined);
          return result;
        } catch (error) {
          const { caseId, programmeId } = subjectOf(workflowId);
          // Best effort: when PostgreSQL itself is what fails, the board says the database is down.
          await sql`
            INSERT INTO failing_steps (workflow_id, activity_id, case_id, programme_id, activity_type, attempt, last_failure, since, updated_at)
            VALUES (${workflowId}, ${activityId}, ${caseId}, ${programmeId}, ${activityType}, ${attempt}, ${describe(error)}, now(), now())
            ON CONFLICT (workflow_id, activity_id) DO UPDATE SET attempt = EXCLUDED.attempt, last_failure = EXCLUDED.last_failure, updated_at = now()`.catch(() => undefined);
          throw error;
        }
      },
    };
    return { inbound };
  };
}
