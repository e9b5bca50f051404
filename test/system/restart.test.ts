// A running case survives a restart of the worker and of the Temporal server (persisted db file).
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startTemporalDevServer, type RunningTemporal } from '../../devstack/temporal-dev-server.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { caseWorkflowId, searchAttributeKeys } from '../../workflows/contract.js';
import { startCase, view } from '../support/cases.js';
import { createParties, withTimePolicy } from '../support/fixtures.js';
import { waitForMail } from '../support/mail.js';
import { freePort } from '../support/ports.js';
import { startTestDispatcher, startTestWorker, testDb, uniqueTaskQueue, type TestWorker, testClient } from '../support/stack.js';

describe('restarting the worker and the Temporal server', () => {
  const sql = testDb();
  // Mail goes out through the outbox whatever happens to Temporal.
  const dispatcher = startTestDispatcher(sql);
  let server: RunningTemporal | undefined;
  let worker: TestWorker | undefined;
  let connection: Connection | undefined;

  afterAll(async () => {
    await dispatcher.stop();
    await worker?.stop();
    await connection?.close();
    await server?.stop();
    await sql.end();
  });

  it('keeps the case running and fires its reminder after both come back', async () => {
    const port = await freePort();
    const dir = join(inject('scratchDir'), `restart-${port}`);
    const serverOptions = { searchAttributes: searchAttributeKeys, port, dbFile: join(dir, 'temporal.db'), logFile: join(dir, 'temporal.log') };
    const taskQueue = uniqueTaskQueue('restart');
    const template = withTimePolicy(builtInTemplates['resettlement']!, { dueIn: '40 seconds', remindAt: ['20 seconds'], escalateEvery: '1 minute' });
    const { parties, members } = await createParties(sql, template);
    const immigration = members.immigration!;

    server = await startTemporalDevServer(serverOptions);
    worker = await startTestWorker({ sql, taskQueue, address: server.address });
    connection = await Connection.connect({ address: server.address });
    const { caseId, reference } = await startCase(testClient(connection), sql, { taskQueue, template, parties });
    await waitForMail((m) => m.to.includes(immigration.email) && m.subject.startsWith('Action needed: Selection'));

    // Everything goes down while the case waits on its reminder timer.
    await worker.stop();
    await connection.close();
    await server.stop();
    worker = connection = server = undefined;

    server = await startTemporalDevServer(serverOptions);
    connection = await Connection.connect({ address: server.address });
    const handle = testClient(connection).workflow.getHandle(caseWorkflowId(caseId));
    expect((await handle.describe()).status.name).toBe('RUNNING');
    worker = await startTestWorker({ sql, taskQueue, address: server.address });

    await waitForMail((m) => m.to.includes(immigration.email) && m.subject === `Reminder: Selection (dossier or interview mission) — case ${reference}`, { timeoutMs: 60_000 });
    expect(await view(handle)).toMatchObject({ caseId, status: 'active', stage: { id: 'selection' }, gates: [{ remindersSent: 1 }] });
    // The first email was not sent again by the replayed workflow.
    const asked = await waitForMail((m) => m.to.includes(immigration.email) && m.subject.startsWith('Action needed: Selection'));
    expect(asked).toHaveLength(1);
  });
});
