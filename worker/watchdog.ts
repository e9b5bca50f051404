/**
 * Finds cases that stopped without anyone seeing, and puts them where someone will:
 * - a case or programme whose workflow never started (its creation answered 503): started now;
 * - a bulk action whose workflow never started (its request answered 503, and was not sent again): started now;
 * - a sponsor group's roster change not yet told to its cases (its delivery never started): delivered now;
 * - a case whose workflow was terminated, failed or timed out: marked stopped (the board lists it),
 *   and its place and its count in the programme given back, as the case itself would have;
 * - bookkeeping that would otherwise grow: old idempotency records, failing steps nobody retries.
 * Every step is idempotent, so any number of workers may run it.
 */
import type { Client } from '@temporalio/client';
import type { Sql } from '../infra/db.js';
import { Waker } from '../infra/waker.js';
import { isWorkflowGone } from '../infra/temporal-errors.js';
import { messageId, type CaseMessage } from '../domain/programme-link.js';
import { loadNewCase, startCaseWorkflow } from '../usecases/create-case.js';
import { loadNewProgramme, startProgrammeWorkflow } from '../usecases/create-programme.js';
import { startForgottenBulkActions } from '../usecases/bulk-actions.js';
import { startForgottenBatches } from '../usecases/departure-batches.js';
import { deliverForgottenRosterChanges } from '../usecases/group-members.js';
import { startOnce } from '../usecases/start-workflow.js';
import { caseMessageUpdate, programmeWorkflowId } from '../workflows/contract.js';
import { log as processLog } from '../infra/logger.js';

export interface WatchdogOptions {
  sql: Sql;
  temporal: Client;
  taskQueue: string;
  everyMs?: number;
  /** A case still `starting` after this long is started by the watchdog. */
  startAfterMs?: number;
  log?: (line: string) => void;
}

/** Visibility's names of the statuses (in queries) and the client's (in answers), and the board's. */
const STOPPED = [
  { query: 'Terminated', name: 'TERMINATED', reason: 'terminated' },
  { query: 'Failed', name: 'FAILED', reason: 'failed' },
  { query: 'TimedOut', name: 'TIMED_OUT', reason: 'timed-out' },
] as const;

export function startWatchdog(options: WatchdogOptions): { stop(): Promise<void>; sweep(): Promise<void> } {
  const { sql, temporal, taskQueue } = options;
  const watchdogLog = processLog.child({ component: 'watchdog' });
  const log = options.log ?? ((line: string) => watchdogLog.warn(line));
  const startAfter = options.startAfterMs ?? 30_000;

  /** Starts what was recorded `startAfter` ago or longer but whose workflow never started. */
  async function startForgotten(what: 'case' | 'programme', ids: { id: string }[], start: (id: string) => Promise<boolean>): Promise<void> {
    for (const { id } of ids) {
      if (await start(id)) log(`started ${what} ${id}, whose creation had not reached Temporal`);
    }
  }

  const startForgottenProgrammes = async () =>
    startForgotten(
      'programme',
      await sql<{ id: string }[]>`SELECT id FROM programmes WHERE state IS NULL AND created_at < now() - ${startAfter} * interval '1 millisecond' ORDER BY created_at LIMIT 100`,
      async (id) => {
        const programme = await loadNewProgramme(sql, id);
        return programme !== undefined && (await startOnce(() => startProgrammeWorkflow(temporal, taskQueue, programme))) === 'started';
      },
    );

  const startForgottenCases = async () =>
    startForgotten(
      'case',
      await sql<{ id: string }[]>`SELECT id FROM cases WHERE status = 'starting' AND created_at < now() - ${startAfter} * interval '1 millisecond' ORDER BY created_at LIMIT 100`,
      async (id) => {
        const newCase = await loadNewCase(sql, id);
        return newCase !== undefined && (await startOnce(() => startCaseWorkflow(temporal, taskQueue, newCase))) === 'started';
      },
    );

  async function markStoppedCases(): Promise<void> {
    const query = `WorkflowType = 'caseWorkflow' AND (${STOPPED.map((s) => `ExecutionStatus = '${s.query}'`).join(' OR ')}) AND CloseTime > '${new Date(Date.now() - 7 * 86_400_000).toISOString()}'`;
    for await (const wf of temporal.workflow.list({ query })) {
      const caseId = wf.workflowId.replace(/^case:/, '');
      const reason = STOPPED.find((s) => s.name === wf.status.name)?.reason;
      if (!reason) continue;
      const [row] = await sql<{ programmeId: string | null; place: string | null }[]>`
        UPDATE cases SET stopped = ${sql.json({ reason, at: (wf.closeTime ?? new Date()).toISOString() })}
        WHERE id = ${caseId} AND stopped IS NULL AND status IN ('starting', 'active', 'waitlisted')
        RETURNING programme_id AS "programmeId", place`;
      if (!row) continue;
      log(`case ${caseId}: its workflow ${reason}; it is on the board`);
      if (!row.programmeId) continue;
      // What the case would have said at its end, with the ids it would have used.
      const messages: CaseMessage[] = [];
      if (row.place === 'reserved' || row.place === 'requested') messages.push({ kind: 'release_place', held: row.place });
      messages.push({ kind: 'closed' });
      for (const message of messages) {
        try {
          await temporal.workflow.getHandle(programmeWorkflowId(row.programmeId)).executeUpdate(caseMessageUpdate, { args: [{ caseId, message }], updateId: messageId(caseId, message) });
        } catch (error) {
          if (!isWorkflowGone(error)) throw error;
        }
      }
    }
  }

  async function tidy(): Promise<void> {
    await sql`DELETE FROM idempotent_requests WHERE created_at < now() - interval '7 days'`;
    // A step retried at most a minute apart that has not failed for 10 minutes is not failing any more (its workflow moved on).
    await sql`DELETE FROM failing_steps WHERE updated_at < now() - interval '10 minutes'`;
  }

  async function sweep(): Promise<void> {
    for (const [name, step] of [
      ['start forgotten programmes', startForgottenProgrammes],
      ['start forgotten cases', startForgottenCases],
      ['start forgotten bulk actions', async () => {
        for (const id of await startForgottenBulkActions({ sql, temporal, taskQueue }, startAfter)) log(`started bulk action ${id}, whose creation had not reached Temporal`);
      }],
      ['start forgotten departure batches', async () => {
        for (const id of await startForgottenBatches({ sql, temporal, taskQueue }, startAfter)) log(`started departure batch ${id}, whose creation had not reached Temporal`);
      }],
      ['deliver roster changes', async () => {
        for (const id of await deliverForgottenRosterChanges({ sql, temporal, taskQueue }, startAfter)) log(`delivering the roster changes of group ${id}, left undelivered`);
      }],
      ['mark stopped cases', markStoppedCases],
      ['tidy', tidy],
    ] as const) {
      try {
        await step();
      } catch (error) {
        log(`${name}: ${(error as Error).name} ${(error as { code?: string | number }).code ?? ''}`.trim());
      }
    }
  }

  let stopping = false;
  const waker = new Waker();
  const running = (async () => {
    while (!stopping) {
      await sweep();
      await waker.sleep(options.everyMs ?? 30_000);
    }
  })();
  return {
    sweep,
    async stop() {
      stopping = true;
      waker.wake();
      await running;
    },
  };
}
