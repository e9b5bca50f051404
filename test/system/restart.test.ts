// A running case survives a restart of the worker and of the Temporal server (persisted db file).
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startTemporalDevServer, type RunningTemporal } from '../../devstack/temporal-dev-server.js';
import { caseStateQuery, caseWorkflowId } from '../../workflows/contract.js';
import type { caseWorkflow } from '../../workflows/case.js';
import { createCaseRow, createSponsorGroup } from '../support/fixtures.js';
import { waitForMail } from '../support/mail.js';
import { freePort } from '../support/ports.js';
import { startTestWorker, testDb, uniqueTaskQueue, type TestWorker } from '../support/stack.js';

describe('restarting the worker and the Temporal server', () => {
  const sql = testDb();
  let server: RunningTemporal | undefined;
  let worker: TestWorker | undefined;
  let connection: Connection | undefined;

  afterAll(async () => {
    await worker?.stop();
    await connection?.close();
    await server?.stop();
    await sql.end();
  });

  it('keeps the case running and fires its timer after both come back', async () => {
    const port = await freePort();
    const dir = join(inject('scratchDir'), `restart-${port}`);
    const serverOptions = { port, dbFile: join(dir, 'temporal.db'), logFile: join(dir, 'temporal.log') };
    const taskQueue = uniqueTaskQueue('restart');
    const sponsor = await createSponsorGroup(sql);
    const { caseId, reference } = await createCaseRow(sql, sponsor);

    server = await startTemporalDevServer(serverOptions);
    worker = await startTestWorker({ sql, taskQueue, address: server.address });
    connection = await Connection.connect({ address: server.address });
    await new Client({ connection }).workflow.start<typeof caseWorkflow>('caseWorkflow', {
      workflowId: caseWorkflowId(caseId),
      taskQueue,
      args: [{ caseId, referralReminderAfter: '20 seconds' }],
    });
    await waitForMail((m) => m.to.includes(sponsor.email) && m.subject === `Case ${reference} has been opened`);

    // Everything goes down while the case waits on its timer.
    await worker.stop();
    await connection.close();
    await server.stop();
    worker = connection = server = undefined;

    server = await startTemporalDevServer(serverOptions);
    connection = await Connection.connect({ address: server.address });
    const handle = new Client({ connection }).workflow.getHandle(caseWorkflowId(caseId));
    expect((await handle.describe()).status.name).toBe('RUNNING');
    worker = await startTestWorker({ sql, taskQueue, address: server.address });

    await waitForMail((m) => m.to.includes(sponsor.email) && m.subject === `Reminder: case ${reference} is waiting for you`, { timeoutMs: 60_000 });
    expect(await handle.query(caseStateQuery)).toMatchObject({ caseId, status: 'open', remindersSent: 1 });
    // The welcome email was not sent a second time by the replayed workflow.
    const welcomes = await waitForMail((m) => m.to.includes(sponsor.email) && m.subject === `Case ${reference} has been opened`);
    expect(welcomes).toHaveLength(1);
  });
});
