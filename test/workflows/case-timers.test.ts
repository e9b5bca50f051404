// Month-scale timers on the time-skipping test server: 30 days pass in seconds.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Sql } from '../../infra/db.js';
import { ensureSearchAttributes } from '../../infra/temporal.js';
import { caseStateQuery, caseWorkflowId } from '../../workflows/contract.js';
import type { caseWorkflow } from '../../workflows/case.js';
import { createCaseRow, createSponsorGroup } from '../support/fixtures.js';
import { waitForMail } from '../support/mail.js';
import { startTestWorker, testDb, uniqueTaskQueue, type TestWorker } from '../support/stack.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('case timers on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let sql: Sql;
  let worker: TestWorker;
  const taskQueue = uniqueTaskQueue('timers');

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
    });
    await ensureSearchAttributes(env.connection, env.namespace ?? 'default');
    sql = testDb();
    worker = await startTestWorker({ sql, taskQueue, connection: env.nativeConnection });
  });

  afterAll(async () => {
    await worker?.stop();
    await env?.teardown();
    await sql?.end();
  });

  it('sends the referral reminder after 30 days of workflow time, in seconds of wall time', async () => {
    const sponsor = await createSponsorGroup(sql, 'en');
    const { caseId, reference } = await createCaseRow(sql, sponsor);
    const handle = await env.client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
      workflowId: caseWorkflowId(caseId),
      taskQueue,
      args: [{ caseId, referralReminderAfter: '30 days' }],
    });
    await waitForMail((m) => m.to.includes(sponsor.email) && m.subject === `Case ${reference} has been opened`);
    expect((await handle.query(caseStateQuery)).remindersSent).toBe(0);

    const wallStart = Date.now();
    const workflowStart = await env.currentTimeMs();
    await env.sleep('29 days');
    expect((await handle.query(caseStateQuery)).remindersSent).toBe(0);
    await env.sleep('1 day');
    const [reminder] = await waitForMail((m) => m.to.includes(sponsor.email) && m.subject.startsWith('Reminder:'));
    expect(reminder!.subject).toBe(`Reminder: case ${reference} is waiting for you`);
    expect((await handle.query(caseStateQuery)).remindersSent).toBe(1);

    expect((await env.currentTimeMs()) - workflowStart).toBeGreaterThanOrEqual(30 * DAY_MS);
    expect(Date.now() - wallStart).toBeLessThan(60_000);
  });
});
