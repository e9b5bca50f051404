// Retention (usecases/retention.ts, workflows/retention.ts): a closed case's personal data is
// erased once it closed more than N months ago, recorded with actor `system`. On the time-skipping
// server a real case closes, 25 months pass, a second case closes, and the retention run erases
// the first only; on the dev server the schedule itself starts the run. Each part has a database of
// its own: a run erases every closed case that is due, and the shared one holds other files' cases.
import { randomUUID } from 'node:crypto';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { connectDb, type Sql } from '../../infra/db.js';
import { migrate } from '../../infra/migrate.js';
import { eraseExpired, RETENTION_SCHEDULE_ID, retentionReason } from '../../usecases/retention.js';
import type { retentionWorkflow } from '../../workflows/retention.js';
import { ensureSchedules, scheduleDefinitions } from '../../worker/schedules.js';
import { act, startCase, textRef } from '../support/cases.js';
import { createCaseRow, createParties } from '../support/fixtures.js';
import { startTestWorker, testClient, testDataConverter, uniqueTaskQueue } from '../support/stack.js';
import { startTimeSkipping, type TimeSkipping } from '../support/time-skipping.js';
import { Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';

const template = builtInTemplates['community-sponsorship']!;

/** A fresh database with every migration, so a retention run here erases nothing of other test files. */
async function ownDatabase(label: string): Promise<{ sql: Sql; drop(): Promise<void> }> {
  const admin = connectDb(inject('databaseUrl'), { max: 1 });
  const name = `${label}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${name}`;
  const sql = connectDb(url.toString(), { max: 4 });
  await migrate(sql);
  return {
    sql,
    async drop() {
      await sql.end();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

const erasureOf = async (sql: Sql, caseId: string) => (await sql`SELECT actor, person_id, reason, retention_months FROM case_erasures WHERE case_id = ${caseId}`)[0];
const householdOf = async (sql: Sql, caseId: string) => (await sql`SELECT principal_name FROM case_households WHERE case_id = ${caseId}`)[0];

async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !(await check()); ) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('retention on the time-skipping server', () => {
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  let ts: TimeSkipping;

  beforeAll(async () => {
    db = await ownDatabase('retention');
    ts = await startTimeSkipping(db.sql, 'retention');
  });
  afterAll(async () => {
    await ts?.stop();
    await db?.drop();
  });

  /** A real case, withdrawn with a reason kept in PostgreSQL; closed at the server's (skipped) time. */
  async function closedCase() {
    const { parties, members } = await createParties(db.sql, template);
    const { caseId, handle } = await startCase(ts.env.client, db.sql, { taskQueue: ts.taskQueue, template, parties });
    const reasonRef = textRef();
    await db.sql`INSERT INTO texts (id, case_id, person_id, kind, body) VALUES (${reasonRef}, ${caseId}, ${members.coordinator!.personId}, 'reason', 'The family of the principal moved on')`;
    await act(handle, 'withdraw', { actor: members.coordinator!.actor, reasonRef });
    await until(async () => (await db.sql`SELECT status FROM cases WHERE id = ${caseId}`)[0]?.status === 'withdrawn');
    return caseId;
  }

  it('erases a case closed longer ago than the retention, and leaves one closed since', async () => {
    const old = await closedCase();
    await ts.env.sleep('775 days'); // past 25 months
    const recent = await closedCase();
    const open = (await createCaseRow(db.sql, template, (await createParties(db.sql, template)).parties)).caseId;

    const handle = await ts.env.client.workflow.start<typeof retentionWorkflow>('retentionWorkflow', { workflowId: `retention-${randomUUID()}`, taskQueue: ts.taskQueue, args: [{ months: 24 }] });
    expect(await handle.result()).toEqual({ erased: 1 });
    // Deterministic: its own history replays against the bundle.
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: testDataConverter(), replayName: 'retention-run' }, await handle.fetchHistory())).resolves.toBeUndefined();

    expect(await erasureOf(db.sql, old)).toEqual({ actor: 'system', person_id: null, reason: retentionReason(24), retention_months: 24 });
    expect(await householdOf(db.sql, old)).toBeUndefined();
    expect((await db.sql`SELECT body, erased_at FROM texts WHERE case_id = ${old}`)[0]).toMatchObject({ body: '' });
    expect(await db.sql`SELECT 1 FROM case_events WHERE case_id = ${old}`).not.toHaveLength(0);
    for (const kept of [recent, open]) {
      expect(await erasureOf(db.sql, kept)).toBeUndefined();
      expect(await householdOf(db.sql, kept)).toEqual({ principal_name: 'Test Principal' });
    }
    // Nothing personal passed through the run's history: months, a time and counts.
    const history = JSON.stringify((await handle.fetchHistory()).events);
    expect(history).not.toContain('Test Principal');
    expect(history).not.toContain('moved on');

    // Again at the same moment (the server's clock runs on while nothing waits): nothing more to do, and the record is the first.
    const at = (await handle.describe()).startTime.getTime();
    const again = await ts.env.client.workflow.execute<typeof retentionWorkflow>('retentionWorkflow', { workflowId: `retention-${randomUUID()}`, taskQueue: ts.taskQueue, args: [{ months: 24, now: at }] });
    expect(again).toEqual({ erased: 0 });
    expect(Number((await db.sql`SELECT count(*) AS n FROM case_erasures`)[0]!.n)).toBe(1);
  });

  it('erases in bounded batches, saying when more are due', async () => {
    const now = Date.now() + 10 * 365 * 86_400_000;
    const cases = [];
    for (let i = 0; i < 3; i++) {
      const { caseId } = await createCaseRow(db.sql, template, (await createParties(db.sql, template)).parties);
      await db.sql`UPDATE cases SET status = 'completed' WHERE id = ${caseId}`;
      cases.push(caseId);
    }
    expect(await eraseExpired(db.sql, { months: 24, now, limit: 2 })).toMatchObject({ erased: 2, more: true });
    const rest = await eraseExpired(db.sql, { months: 24, now, limit: 2 });
    expect(rest.erased).toBeGreaterThanOrEqual(1);
    for (const id of cases) expect(await erasureOf(db.sql, id)).toMatchObject({ actor: 'system' });
  });
});

describe('the retention schedule on the dev server', () => {
  let db: Awaited<ReturnType<typeof ownDatabase>>;

  beforeAll(async () => {
    db = await ownDatabase('retention_schedule');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('starts the retention run, which erases a case closed long ago', async () => {
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    const client = testClient(connection);
    const taskQueue = uniqueTaskQueue('retention-schedule');
    const worker = await startTestWorker({ sql: db.sql, taskQueue, client });
    const definition = scheduleDefinitions(taskQueue, 24).find((d) => d.scheduleId === RETENTION_SCHEDULE_ID)!;
    const scheduleId = `test-${randomUUID().slice(0, 8)}-${RETENTION_SCHEDULE_ID}`;
    try {
      const { caseId } = await createCaseRow(db.sql, template, (await createParties(db.sql, template)).parties);
      await db.sql`UPDATE cases SET status = 'rejected' WHERE id = ${caseId}`;
      await db.sql`INSERT INTO case_events (case_id, event_key, kind, actor, at) VALUES (${caseId}, ${`old:${caseId}`}, 'gate_rejected', 'system', now() - interval '30 months')`;
      const recent = (await createCaseRow(db.sql, template, (await createParties(db.sql, template)).parties)).caseId;
      await db.sql`UPDATE cases SET status = 'rejected' WHERE id = ${recent}`;
      await db.sql`INSERT INTO case_events (case_id, event_key, kind, actor, at) VALUES (${recent}, ${`recent:${recent}`}, 'gate_rejected', 'system', now() - interval '3 months')`;

      await ensureSchedules(client, [{ ...definition, scheduleId, state: { paused: true }, action: { ...definition.action, workflowId: `retention-${randomUUID()}` }, policies: { overlap: ScheduleOverlapPolicy.SKIP } }]);
      await client.schedule.getHandle(scheduleId).trigger();
      await until(async () => (await erasureOf(db.sql, caseId)) !== undefined);
      expect(await erasureOf(db.sql, caseId)).toEqual({ actor: 'system', person_id: null, reason: 'retention: 24 months', retention_months: 24 });
      expect(await householdOf(db.sql, caseId)).toBeUndefined();
      expect(await erasureOf(db.sql, recent)).toBeUndefined();
    } finally {
      await client.schedule.getHandle(scheduleId).delete().catch(() => {});
      await worker.stop();
      await connection.close();
    }
  });
});
