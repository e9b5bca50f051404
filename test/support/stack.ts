/** Test access to the real servers started by the global setup. */
import { randomUUID } from 'node:crypto';
import { NativeConnection, type Worker, type WorkerOptions } from '@temporalio/worker';
import { afterAll, beforeAll, inject } from 'vitest';
import type { ActivityDeps } from '../../activities/index.js';
import { connectDb, type Sql } from '../../infra/db.js';
import { createMailer } from '../../infra/mailer.js';
import { encryptingDataConverter, parseEncryptionKeys } from '../../infra/payload-codec.js';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { createSafeRoutesWorker } from '../../worker/worker.js';

export const PUBLIC_URL = 'http://saferoutes.test';
export const TEST_MAIL_FROM = 'SafeRoutes <no-reply@saferoutes.test>';

export function uniqueTaskQueue(label: string): string {
  return `test-${label}-${randomUUID().slice(0, 8)}`;
}

export function testActivityDeps(sql: Sql): ActivityDeps {
  return { sql, mailer: createMailer(inject('smtpUrl')), mailFrom: TEST_MAIL_FROM, publicUrl: PUBLIC_URL };
}

/** The data converter every test client and worker shares: payloads encrypted as in production. */
export function testDataConverter(): DataConverter {
  return encryptingDataConverter(parseEncryptionKeys(inject('payloadEncryptionKeys')));
}

export function testClient(connection: Connection): Client {
  return new Client({ connection, dataConverter: testDataConverter() });
}

export function testDb(): Sql {
  return connectDb(inject('databaseUrl'), { max: 4 });
}

export interface TestWorker {
  worker: Worker;
  stop(): Promise<void>;
}

/** A real worker with the prebuilt bundle and real activities, polling `taskQueue`. */
export async function startTestWorker(options: {
  sql: Sql;
  taskQueue: string;
  connection?: NativeConnection;
  address?: string;
  overrides?: Partial<WorkerOptions>;
  /** Instead of the real SMTP sink etc., e.g. a mail server that is down. */
  activityDeps?: ActivityDeps;
}): Promise<TestWorker> {
  const ownConnection = options.connection ? undefined : await NativeConnection.connect({ address: options.address ?? inject('temporalAddress') });
  const worker = await createSafeRoutesWorker({
    connection: (options.connection ?? ownConnection)!,
    namespace: 'default',
    taskQueue: options.taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    dataConverter: testDataConverter(),
    activityDeps: options.activityDeps ?? testActivityDeps(options.sql),
    overrides: options.overrides,
  });
  const running = worker.run();
  return {
    worker,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await ownConnection?.close();
    },
  };
}

export interface DevServerHarness {
  sql: Sql;
  connection: Connection;
  client: Client;
  worker: TestWorker;
  taskQueue: string;
}

/**
 * For a test file on the shared dev server: a database client, a Temporal client and a worker on
 * the file's own task queue, set up before its tests and torn down after.
 */
export function useDevServer(label: string): DevServerHarness {
  const h = { taskQueue: uniqueTaskQueue(label) } as DevServerHarness;
  beforeAll(async () => {
    h.sql = testDb();
    h.connection = await Connection.connect({ address: inject('temporalAddress') });
    h.client = testClient(h.connection);
    h.worker = await startTestWorker({ sql: h.sql, taskQueue: h.taskQueue });
  });
  afterAll(async () => {
    await h.worker?.stop();
    await h.connection?.close();
    await h.sql?.end();
  });
  return h;
}
